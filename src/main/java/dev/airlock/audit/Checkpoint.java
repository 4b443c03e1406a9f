package dev.airlock.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A statement that the chain with id {@code logId} had head {@code hash} at row {@code seq}.
 * Signed with the tenant's Ed25519 key once the tenant has an identity.
 *
 * <p>Signed message: the UTF-8 RFC 8785 JSON {@code {"hash":…,"log_id":…,"seq":…,"time":…}}.
 * Line in {@code audit.checkpoints}: the RFC 8785 JSON of all six members, {@code key_id} and
 * {@code sig} (base64) being {@code null} when unsigned.
 */
public record Checkpoint(String logId, long seq, String hash, long time, @Nullable String keyId, @Nullable String signature) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The bytes a signature covers. */
    public byte[] signedBytes() {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"hash\":");
        AuditChain.string(b, hash);
        b.append(",\"log_id\":");
        AuditChain.string(b, logId);
        b.append(",\"seq\":").append(seq).append(",\"time\":").append(time).append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The line written to the checkpoint file, without the newline. */
    public String toLine() {
        StringBuilder b = new StringBuilder(200);
        b.append("{\"hash\":");
        AuditChain.string(b, hash);
        b.append(",\"key_id\":");
        nullable(b, keyId);
        b.append(",\"log_id\":");
        AuditChain.string(b, logId);
        b.append(",\"seq\":").append(seq);
        b.append(",\"sig\":");
        nullable(b, signature);
        b.append(",\"time\":").append(time).append('}');
        return b.toString();
    }

    /** Parses one file line strictly; empty when it is not exactly a line this class writes. */
    static Optional<Checkpoint> parseLine(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject() || n.size() != 6 || !n.path("hash").isTextual() || !n.path("log_id").isTextual()
                    || !n.path("seq").canConvertToExactIntegral() || !n.path("time").canConvertToExactIntegral()
                    || !(n.path("key_id").isTextual() || n.path("key_id").isNull())
                    || !(n.path("sig").isTextual() || n.path("sig").isNull())) {
                return Optional.empty();
            }
            if (n.get("seq").asLong() < 1 || !AuditVerifier.isHex64(n.get("hash").asText())
                    || n.get("key_id").isNull() != n.get("sig").isNull()) {
                return Optional.empty();
            }
            Checkpoint c = new Checkpoint(n.get("log_id").asText(), n.get("seq").asLong(), n.get("hash").asText(),
                    n.get("time").asLong(), n.get("key_id").isNull() ? null : n.get("key_id").asText(),
                    n.get("sig").isNull() ? null : n.get("sig").asText());
            // Re-serialising must give the same bytes, so an edit that keeps the JSON valid is still seen.
            return c.toLine().equals(line) ? Optional.of(c) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** Whether this is a checkpoint Airlock could have written: seq ≥ 1, hex hash, key id and signature both or neither. */
    boolean wellFormed() {
        return seq >= 1 && AuditVerifier.isHex64(hash) && (keyId == null) == (signature == null);
    }

    /** Whether it carries a signature. */
    boolean signed() {
        return signature != null;
    }

    private static void nullable(StringBuilder b, @Nullable String s) {
        if (s == null) {
            b.append("null");
        } else {
            AuditChain.string(b, s);
        }
    }
}
