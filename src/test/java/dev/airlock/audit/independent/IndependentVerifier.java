package dev.airlock.audit.independent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * A second audit verifier, written from {@code docs/audit-format.md} alone with the JDK and an
 * RFC 8785 library, sharing no code with {@code dev.airlock.audit}. It reads a test vector folder
 * (the tables as JSON lines, see {@code docs/audit-vectors/README.md}) instead of SQLite, so that
 * nothing but the specification connects it to Airlock's verifier. {@code AuditVectorsTest} holds
 * the two to the same verdict on every vector.
 */
public final class IndependentVerifier {
    /** The verdict: {@code kind} is "intact" or the failure's kind; {@code seq} 0 when not about a row. */
    public record Verdict(String kind, long seq) {}

    /** The verifier's inputs besides the log's own files (docs: "Verification", inputs). */
    public record Params(long now, int everyRows, int everyMinutes, String fingerprint, Path witness) {}

    private record Row(long seq, long time, String actor, String action, String target, String outcome, String details,
            String prevHash, String hash) {}

    private record Cp(String logId, long seq, String hash, long time, String keyId, String sig) {
        boolean signed() {
            return sig != null;
        }

        /** The line per the spec: RFC 8785 of the six members. */
        String line() {
            return "{\"hash\":" + q(hash) + ",\"key_id\":" + (keyId == null ? "null" : q(keyId)) + ",\"log_id\":" + q(logId)
                    + ",\"seq\":" + seq + ",\"sig\":" + (sig == null ? "null" : q(sig)) + ",\"time\":" + time + "}";
        }

        byte[] signedBytes() {
            return ("{\"hash\":" + q(hash) + ",\"log_id\":" + q(logId) + ",\"seq\":" + seq + ",\"time\":" + time + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private IndependentVerifier() {}

    public static Verdict verify(Path dir, Params p) throws Exception {
        // 1. log id
        Map<String, Object> meta = Json.object(Files.readString(dir.resolve("meta.json")));
        String logId = (String) meta.get("log_id");
        if (logId == null) {
            return new Verdict("log-id-missing", 0);
        }
        String genesis = hex(sha256(("airlock-audit-v1:" + logId).getBytes(StandardCharsets.UTF_8)));

        // 2. key
        PublicKey key = null;
        String keyId = null;
        boolean keyPresent = false;
        for (String line : Files.readAllLines(dir.resolve("vault_public_key.jsonl"))) {
            Map<String, Object> k = Json.object(line);
            if (!"signing".equals(k.get("purpose"))) {
                continue;
            }
            keyPresent = true;
            byte[] raw = HexFormat.of().parseHex((String) k.get("public_key"));
            if ("Ed25519".equals(k.get("algorithm")) && raw.length == 32) {
                byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
                try {
                    key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                    keyId = fingerprint(raw);
                } catch (java.security.GeneralSecurityException e) {
                    key = null;
                }
            }
        }
        if (keyPresent && key == null) {
            return new Verdict("key-invalid", 0);
        }
        if (p.fingerprint() != null) {
            String want = p.fingerprint().replace(":", "").toLowerCase(java.util.Locale.ROOT);
            if (keyId == null || !keyId.replace(":", "").equals(want)) {
                return new Verdict("key-mismatch", 0);
            }
        }

        // 3. checkpoint file
        Path cpPath = dir.resolve("audit.checkpoints");
        byte[] fileBytes;
        try {
            fileBytes = Files.readAllBytes(cpPath);
        } catch (NoSuchFileException e) {
            return new Verdict("checkpoint-file-missing", 0);
        }
        Split split = split(fileBytes);
        TreeMap<Long, Cp> file = new TreeMap<>();
        long prev = 0;
        for (String line : split.lines) {
            Cp c = parseLine(line);
            if (c == null) {
                return new Verdict("checkpoint-file-edited", 0);
            }
            if (!c.logId.equals(logId) || c.seq <= prev) {
                return new Verdict("checkpoint-file-edited", c.seq);
            }
            prev = c.seq;
            file.put(c.seq, c);
        }

        // 4. checkpoint table
        TreeMap<Long, Cp> table = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("audit_checkpoint.jsonl"))) {
            Map<String, Object> m = Json.object(line);
            Cp c = new Cp(logId, (Long) m.get("seq"), (String) m.get("hash"), (Long) m.get("time"), (String) m.get("key_id"),
                    (String) m.get("signature"));
            if (c.seq < 1 || !hex64(c.hash) || (c.keyId == null) != (c.sig == null)) {
                return new Verdict("checkpoint-table-edited", c.seq);
            }
            table.put(c.seq, c);
        }

        // 5. chain
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            Map<String, Object> m = Json.object(line);
            rows.add(new Row((Long) m.get("seq"), (Long) m.get("time"), (String) m.get("actor"), (String) m.get("action"),
                    (String) m.get("target"), (String) m.get("outcome"), (String) m.get("details"),
                    (String) m.get("prev_hash"), (String) m.get("hash")));
        }
        rows.sort((a, b) -> Long.compare(a.seq, b.seq));
        Map<Long, String> hashes = new HashMap<>();
        String head = genesis;
        long expected = 1;
        for (Row r : rows) {
            if (r.seq != expected) {
                return new Verdict("row-deleted", expected);
            }
            if (!hex64(r.prevHash) || !hex64(r.hash)) {
                return new Verdict("row-edited", r.seq);
            }
            String rowJson = "{\"action\":" + q(r.action) + ",\"actor\":" + q(r.actor) + ",\"details\":" + r.details
                    + ",\"outcome\":" + q(r.outcome) + ",\"prev_hash\":" + q(r.prevHash) + ",\"seq\":" + r.seq
                    + ",\"target\":" + q(r.target) + ",\"time\":" + r.time + "}";
            byte[] json = rowJson.getBytes(StandardCharsets.UTF_8);
            byte[] prevBytes = HexFormat.of().parseHex(r.prevHash);
            byte[] input = Arrays.copyOf(prevBytes, 32 + json.length);
            System.arraycopy(json, 0, input, 32, json.length);
            if (!hex(sha256(input)).equals(r.hash)) {
                return new Verdict("row-edited", r.seq);
            }
            if (!r.prevHash.equals(head)) {
                return new Verdict("chain-broken", r.seq);
            }
            hashes.put(r.seq, r.hash);
            head = r.hash;
            expected++;
        }
        long n = rows.size();

        // 6. checkpoints against rows and each other
        for (Cp c : file.values()) {
            if (c.seq > n) {
                return new Verdict("tail-truncated", n + 1);
            }
            if (!c.hash.equals(hashes.get(c.seq))) {
                return new Verdict("checkpoint-mismatch", c.seq);
            }
            Cp t = table.get(c.seq);
            if (t == null) {
                return new Verdict("checkpoint-table-edited", c.seq);
            }
            if (!t.line().equals(c.line())) {
                return new Verdict("checkpoint-file-edited", c.seq);
            }
        }
        long lastFile = file.isEmpty() ? 0 : file.lastKey();
        Cp pending = !table.isEmpty() && table.lastKey() > lastFile ? table.lastEntry().getValue() : null;
        for (Cp c : table.values()) {
            if (file.containsKey(c.seq)) {
                continue;
            }
            if (c != pending) {
                return new Verdict("checkpoint-file-edited", c.seq);
            }
            if (c.seq > n) {
                return new Verdict("tail-truncated", n + 1);
            }
            if (!c.hash.equals(hashes.get(c.seq))) {
                return new Verdict("checkpoint-mismatch", c.seq);
            }
        }
        if (split.torn.length > 0) {
            byte[] whole = pending == null ? new byte[0] : (pending.line() + "\n").getBytes(StandardCharsets.UTF_8);
            boolean prefix = pending != null && split.torn.length < whole.length
                    && Arrays.equals(split.torn, Arrays.copyOf(whole, split.torn.length));
            if (!prefix) {
                return new Verdict("checkpoint-file-edited", 0);
            }
        }

        // 7. signatures
        TreeMap<Long, Cp> all = new TreeMap<>(table);
        all.putAll(file);
        boolean seenSigned = false;
        long lastSigned = 0;
        for (Cp c : all.values()) {
            if (c.signed()) {
                if (key == null) {
                    return new Verdict("key-missing", 0);
                }
                if (!validSignature(key, keyId, c)) {
                    return new Verdict("checkpoint-signature-invalid", c.seq);
                }
                seenSigned = true;
                lastSigned = c.seq;
            } else if (seenSigned) {
                return new Verdict("checkpoint-signature-missing", c.seq);
            }
        }

        // 8. witness
        if (p.witness() != null) {
            byte[] w;
            try {
                w = Files.readAllBytes(p.witness());
            } catch (NoSuchFileException e) {
                return new Verdict("witness-missing", 0);
            }
            List<Cp> mine = new ArrayList<>();
            for (String line : split(w).lines) {
                Cp c = parseLine(line);
                if (c == null) {
                    return new Verdict("witness-mismatch", 0);
                }
                if (c.logId.equals(logId)) {
                    mine.add(c);
                }
            }
            if (mine.isEmpty()) {
                return new Verdict("witness-mismatch", 0);
            }
            for (Cp c : mine) {
                if (c.seq > n) {
                    return new Verdict("witness-rollback", n + 1);
                }
                if (!c.hash.equals(hashes.get(c.seq))) {
                    return new Verdict("witness-mismatch", c.seq);
                }
                if (c.signed()) {
                    if (key == null) {
                        return new Verdict("key-missing", 0);
                    }
                    if (!validSignature(key, keyId, c)) {
                        return new Verdict("witness-mismatch", c.seq);
                    }
                }
            }
        }

        // 9. coverage
        long covered = lastSigned;
        long uncovered = n - covered;
        if (uncovered > 0) {
            long minTime = rows.stream().filter(r -> r.seq > covered).mapToLong(Row::time).min().orElseThrow();
            if (covered == 0 || uncovered >= p.everyRows() || p.now() - minTime > p.everyMinutes() * 60_000L + 60_000L) {
                return new Verdict("rows-uncovered", lastSigned + 1);
            }
        }
        return new Verdict("intact", 0);
    }

    // ------------------------------------------------------------------ pieces of the spec

    private record Split(List<String> lines, byte[] torn) {}

    /** Complete lines (null where not UTF-8) and the bytes after the last newline. */
    private static Split split(byte[] b) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                try {
                    lines.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, start, i - start)).toString());
                } catch (CharacterCodingException e) {
                    lines.add(null);
                }
                start = i + 1;
            }
        }
        return new Split(lines, Arrays.copyOfRange(b, start, b.length));
    }

    /** A checkpoint line, or null unless it is exactly the canonical six-member object the spec describes. */
    private static Cp parseLine(String line) {
        if (line == null) {
            return null;
        }
        try {
            if (!new JsonCanonicalizer(line).getEncodedString().equals(line)) {
                return null;
            }
            Map<String, Object> m = Json.object(line);
            if (m.size() != 6 || !(m.get("hash") instanceof String h) || !(m.get("log_id") instanceof String logId)
                    || !(m.get("seq") instanceof Long seq) || !(m.get("time") instanceof Long time)
                    || !m.containsKey("key_id") || !m.containsKey("sig")) {
                return null;
            }
            Object k = m.get("key_id");
            Object s = m.get("sig");
            if ((k != null && !(k instanceof String)) || (s != null && !(s instanceof String)) || (k == null) != (s == null)
                    || seq < 1 || !hex64(h)) {
                return null;
            }
            return new Cp(logId, seq, h, time, (String) k, (String) s);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean validSignature(PublicKey key, String keyId, Cp c) {
        if (!keyId.equals(c.keyId)) {
            return false;
        }
        try {
            byte[] sig = Base64.getDecoder().decode(c.sig);
            if (!Base64.getEncoder().encodeToString(sig).equals(c.sig) || sig.length != 64) {
                return false;
            }
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(c.signedBytes());
            return v.verify(sig);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static String fingerprint(byte[] raw) {
        String h = hex(sha256(raw));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 64; i += 4) {
            b.append(i == 0 ? "" : ":").append(h, i, i + 4);
        }
        return b.toString();
    }

    private static boolean hex64(String s) {
        return s != null && s.matches("[0-9a-f]{64}");
    }

    /** An RFC 8785 string: ECMAScript JSON.stringify escaping. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
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
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
