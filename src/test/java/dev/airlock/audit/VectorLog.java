package dev.airlock.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything an audit verifier reads, in memory and as the files of one test vector under
 * {@code docs/audit-vectors/} (format in that folder's README): the {@code meta} log id, the
 * {@code audit} rows, the {@code audit_checkpoint} rows, the {@code vault_public_key} signing row,
 * the checkpoint file's bytes and, optionally, a witness file's bytes. Tamper classes are mutations
 * of a copy.
 */
final class VectorLog {
    static final class Row {
        long seq;
        long time;
        String actor;
        String action;
        String target;
        String outcome;
        String details;
        String prevHash;
        String hash;

        Row(long seq, long time, String actor, String action, String target, String outcome, String details,
                String prevHash, String hash) {
            this.seq = seq;
            this.time = time;
            this.actor = actor;
            this.action = action;
            this.target = target;
            this.outcome = outcome;
            this.details = details;
            this.prevHash = prevHash;
            this.hash = hash;
        }

        Row copy() {
            return new Row(seq, time, actor, action, target, outcome, details, prevHash, hash);
        }

        /** Recomputes this row's hash over its fields, as an attacker rewriting it would. */
        void rehash() {
            hash = new AuditChain().hash(seq, time, actor, action, target, outcome, details, prevHash);
        }
    }

    static final class Cp {
        long seq;
        long time;
        String hash;
        @Nullable String keyId;
        @Nullable String signature;

        Cp(long seq, long time, String hash, @Nullable String keyId, @Nullable String signature) {
            this.seq = seq;
            this.time = time;
            this.hash = hash;
            this.keyId = keyId;
            this.signature = signature;
        }

        Cp copy() {
            return new Cp(seq, time, hash, keyId, signature);
        }
    }

    static final class KeyRow {
        String algorithm;
        byte[] publicKey;

        KeyRow(String algorithm, byte[] publicKey) {
            this.algorithm = algorithm;
            this.publicKey = publicKey.clone();
        }
    }

    @Nullable String logId;
    List<Row> rows = new ArrayList<>();
    List<Cp> table = new ArrayList<>();
    @Nullable KeyRow key;
    byte @Nullable [] file;
    byte @Nullable [] witness;

    VectorLog copy() {
        VectorLog c = new VectorLog();
        c.logId = logId;
        rows.forEach(r -> c.rows.add(r.copy()));
        table.forEach(t -> c.table.add(t.copy()));
        c.key = key == null ? null : new KeyRow(key.algorithm, key.publicKey);
        c.file = file == null ? null : file.clone();
        c.witness = witness == null ? null : witness.clone();
        return c;
    }

    Row row(long seq) {
        return rows.stream().filter(r -> r.seq == seq).findFirst().orElseThrow();
    }

    Cp cp(long seq) {
        return table.stream().filter(r -> r.seq == seq).findFirst().orElseThrow();
    }

    List<String> fileLines() {
        String text = new String(file, StandardCharsets.UTF_8);
        return new ArrayList<>(text.lines().toList());
    }

    void fileLines(List<String> lines) {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        file = b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Table and file rewritten from {@code cps}, as someone holding both would. */
    void checkpoints(List<Checkpoint> cps) {
        table.clear();
        StringBuilder b = new StringBuilder();
        for (Checkpoint c : cps) {
            table.add(new Cp(c.seq(), c.time(), c.hash(), c.keyId(), c.signature()));
            b.append(c.toLine()).append('\n');
        }
        file = b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Re-chains rows from {@code fromSeq} on (prev_hash and hash), as an attacker recomputing the chain does. */
    void rechain(long fromSeq) {
        String prev = null;
        for (Row r : rows) {
            if (r.seq == fromSeq - 1) {
                prev = r.hash;
            }
            if (r.seq >= fromSeq) {
                r.prevHash = prev != null ? prev : AuditChain.genesis(logId);
                r.rehash();
                prev = r.hash;
            }
        }
    }

    // ------------------------------------------------------------------ files

    private static final HexFormat HEX = HexFormat.of();

    /** The vector's files, each exactly as {@link #write} makes them (name → bytes). */
    java.util.SortedMap<String, byte[]> files() {
        java.util.SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        out.put("meta.json", utf8(logId == null ? "{}\n" : "{\"log_id\":" + str(logId) + "}\n"));
        StringBuilder a = new StringBuilder();
        for (Row r : rows) {
            a.append("{\"action\":").append(str(r.action)).append(",\"actor\":").append(str(r.actor))
                    .append(",\"details\":").append(str(r.details)).append(",\"hash\":").append(str(r.hash))
                    .append(",\"outcome\":").append(str(r.outcome)).append(",\"prev_hash\":").append(str(r.prevHash))
                    .append(",\"seq\":").append(r.seq).append(",\"target\":").append(str(r.target))
                    .append(",\"time\":").append(r.time).append("}\n");
        }
        out.put("audit.jsonl", utf8(a.toString()));
        StringBuilder t = new StringBuilder();
        for (Cp c : table) {
            t.append("{\"hash\":").append(str(c.hash)).append(",\"key_id\":").append(c.keyId == null ? "null" : str(c.keyId))
                    .append(",\"seq\":").append(c.seq).append(",\"signature\":")
                    .append(c.signature == null ? "null" : str(c.signature)).append(",\"time\":").append(c.time).append("}\n");
        }
        out.put("audit_checkpoint.jsonl", utf8(t.toString()));
        out.put("vault_public_key.jsonl", utf8(key == null ? "" : "{\"algorithm\":" + str(key.algorithm)
                + ",\"public_key\":" + str(HEX.formatHex(key.publicKey)) + ",\"purpose\":\"signing\"}\n"));
        if (file != null) {
            out.put("audit.checkpoints", file.clone());
        }
        if (witness != null) {
            out.put("witness.checkpoints", witness.clone());
        }
        return out;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (var e : files().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder();
        AuditChain.string(b, s);
        return b.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
