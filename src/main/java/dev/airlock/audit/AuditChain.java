package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hashing rule of the audit log, in one place (specified in {@code docs/audit-format.md}):
 *
 * <pre>
 * genesis  = hex(SHA-256(UTF-8("airlock-audit-v1:" + log_id)))
 * row_json = RFC 8785 canonical JSON of {seq, time, actor, action, target, outcome, details, prev_hash}
 * hash     = hex(SHA-256(bytes(prev_hash) || UTF-8(row_json)))      bytes() = hex-decoded, 32 bytes
 * </pre>
 *
 * <p>The row object has a fixed set of members, so its canonical form is written directly, members
 * in RFC 8785 order (sorted by UTF-16 code units): action, actor, details, outcome, prev_hash, seq,
 * target, time. {@code details} is stored already canonical and is embedded verbatim. An instance
 * reuses its buffers and is not thread-safe.
 */
final class AuditChain {
    static final String GENESIS_PREFIX = "airlock-audit-v1:";
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256 = newSha256();
    private final StringBuilder sb = new StringBuilder(512);

    static String genesis(String logId) {
        return HEX.formatHex(newSha256().digest((GENESIS_PREFIX + logId).getBytes(StandardCharsets.UTF_8)));
    }

    /** The canonical JSON of a row without its hash. */
    static String canonicalRow(long seq, long time, String actor, String action, String target, String outcome,
            String details, String prevHash) {
        StringBuilder b = new StringBuilder(256);
        appendCanonical(b, seq, time, actor, action, target, outcome, details, prevHash);
        return b.toString();
    }

    /** The hash of a row whose fields are given; {@code prevHash} must be 64 lowercase hex digits. */
    String hash(long seq, long time, String actor, String action, String target, String outcome, String details,
            String prevHash) {
        sb.setLength(0);
        appendCanonical(sb, seq, time, actor, action, target, outcome, details, prevHash);
        sha256.reset();
        sha256.update(HEX.parseHex(prevHash));
        sha256.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha256.digest());
    }

    String hash(AuditRecord r) {
        return hash(r.seq(), r.time(), r.actor(), r.action(), r.target(), r.outcome(), r.details(), r.prevHash());
    }

    private static void appendCanonical(StringBuilder b, long seq, long time, String actor, String action,
            String target, String outcome, String details, String prevHash) {
        b.append("{\"action\":");
        string(b, action);
        b.append(",\"actor\":");
        string(b, actor);
        b.append(",\"details\":").append(details);
        b.append(",\"outcome\":");
        string(b, outcome);
        b.append(",\"prev_hash\":");
        string(b, prevHash);
        b.append(",\"seq\":").append(seq);
        b.append(",\"target\":");
        string(b, target);
        b.append(",\"time\":").append(time);
        b.append('}');
    }

    /** A JSON string as RFC 8785 (ECMAScript JSON.stringify) writes it. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** True when every surrogate in {@code s} is paired: lone surrogates have no UTF-8 form. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
