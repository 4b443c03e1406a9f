package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a tenant's audit log end to end, read-only, in the order {@code docs/audit-format.md}
 * ("Verification") specifies, and reports the first failure: the log id, the signing key (and its
 * pinned fingerprint), the checkpoint file, the checkpoint table, the hash chain row by row, the
 * checkpoints against the rows and each other, every signature wherever a checkpoint lives, the
 * witness files, and finally coverage: rows older than the checkpoint cadence must be covered by a
 * signed checkpoint.
 *
 * <p>The verifier trusts nothing it is not given: the public key is read from the database and
 * checked with the JDK's Ed25519; {@link VerifyOptions} brings what must come from elsewhere (the
 * cadence, the time, witnesses, a pinned fingerprint).
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /** Verifies with the default cadence, the system clock, no witness and no pinned key. */
    public static VerifyReport verify(TenantDb db, Path checkpointFile) {
        return verify(db, checkpointFile, VerifyOptions.defaults());
    }

    public static VerifyReport verify(TenantDb db, Path checkpointFile, VerifyOptions options) {
        return new Run(db, checkpointFile, options).run();
    }

    /** One verification; its state is what the steps hand each other. */
    private static final class Run {
        final TenantDb db;
        final Path checkpointFile;
        final VerifyOptions options;
        final long start = System.nanoTime();
        final String tenant;
        final List<String> notes = new ArrayList<>();
        String head = "";
        long rows;
        int cpCount;
        int signed;

        Run(TenantDb db, Path checkpointFile, VerifyOptions options) {
            this.db = db;
            this.checkpointFile = checkpointFile;
            this.options = options;
            this.tenant = db.tenant().value();
        }

        VerifyReport fail(long seq, String kind, String message) {
            return done(tenant, rows, head, cpCount, signed, brk(seq, kind, message), notes, start);
        }

        VerifyReport run() {
            // 1. The log id.
            Optional<String> logIdOpt = db.meta("log_id");
            if (logIdOpt.isEmpty()) {
                return fail(0, "log-id-missing", "the audit log has no log id (meta.log_id): the database was altered;"
                        + " restore it from a backup");
            }
            String logId = logIdOpt.get();
            String genesis = AuditChain.genesis(logId);
            head = genesis;

            // 2. The signing key, and the pinned fingerprint.
            KeyRow keyRow;
            try {
                keyRow = readKey();
            } catch (SQLException | RuntimeException e) {
                throw db.classify("reading the tenant's signing key", e);
            }
            if (keyRow.present && keyRow.key == null) {
                return fail(0, "key-invalid", "the tenant's signing key (vault_public_key, purpose 'signing') is not a"
                        + " 32-byte Ed25519 public key: the database was altered");
            }
            @Nullable SigningKey key = keyRow.key;
            if (options.fingerprint != null) {
                if (key == null) {
                    return fail(0, "key-mismatch", "the pinned key " + options.fingerprint + " is not in this database (it"
                            + " has no signing key): the key was removed; the log cannot be trusted");
                }
                if (!SigningKey.normalizeFingerprint(key.keyId()).equals(options.fingerprint)) {
                    return fail(0, "key-mismatch", "the tenant's signing key is " + key.keyId() + ", not the pinned"
                            + " fingerprint: the key was replaced, so its signatures prove nothing (a recomputed chain)");
                }
            }

            // 3. The checkpoint file.
            CheckpointFile.Contents file;
            try {
                file = CheckpointFile.read(checkpointFile);
            } catch (IOException e) {
                return fail(0, "checkpoint-file-unreadable", "cannot read " + checkpointFile + ": " + e.getMessage());
            }
            if (file == null) {
                return fail(0, "checkpoint-file-missing", "the checkpoint file " + checkpointFile + " is missing: it was"
                        + " deleted; restore it from a backup (rollbacks cannot be detected without it)");
            }
            TreeMap<Long, Checkpoint> fileCps = new TreeMap<>();
            long prevSeq = 0;
            for (int i = 0; i < file.lines().size(); i++) {
                String line = file.lines().get(i);
                Optional<Checkpoint> cp = line == null ? Optional.empty() : Checkpoint.parseLine(line);
                String where = checkpointFile.getFileName() + " line " + (i + 1);
                if (cp.isEmpty()) {
                    return fail(0, "checkpoint-file-edited", where + " is not a valid checkpoint record: the file was"
                            + " edited or damaged");
                }
                Checkpoint c = cp.get();
                if (!c.logId().equals(logId)) {
                    return fail(c.seq(), "checkpoint-file-edited", where + " belongs to another log (log_id " + c.logId()
                            + "): the file was replaced");
                }
                if (c.seq() <= prevSeq) {
                    return fail(c.seq(), "checkpoint-file-edited", where + " is out of order (seq " + c.seq() + " after "
                            + prevSeq + "): the file was edited");
                }
                prevSeq = c.seq();
                fileCps.put(c.seq(), c);
            }
            cpCount = fileCps.size();

            // Witness files are read now so the chain scan keeps the row hashes they name; their
            // verdicts come in step 8.
            List<WitnessFile> witnesses = new ArrayList<>();
            for (Path w : options.witnesses) {
                witnesses.add(WitnessFile.read(w, logId));
            }

            TreeMap<Long, Checkpoint> dbCps = new TreeMap<>();
            Map<Long, String> rowHashes = new HashMap<>();
            long minUncoveredTime;
            try (org.jdbi.v3.core.Handle handle = db.jdbi().open()) {
                Connection c = handle.getConnection();
                // 4. The checkpoint table.
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT seq, time, hash, key_id, signature FROM audit_checkpoint ORDER BY seq");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Checkpoint cp = new Checkpoint(logId, rs.getLong(1), rs.getString(3), rs.getLong(2),
                                rs.getString(4), rs.getString(5));
                        if (!cp.wellFormed()) {
                            return fail(cp.seq(), "checkpoint-table-edited", "the checkpoint row for seq " + cp.seq()
                                    + " in audit_checkpoint is malformed: the database was altered");
                        }
                        dbCps.put(cp.seq(), cp);
                    }
                }
                // 5. The chain. One thread reads the rows (JDBC decoding is half the work), this one
                // hashes and checks them in order.
                long[] remember = rememberSeqs(fileCps, dbCps, witnesses);
                int nextRemember = 0;
                AuditChain chain = new AuditChain();
                long expected = 1;
                try (RowReader reader = new RowReader(c)) {
                    for (RowBatch batch; (batch = reader.next()) != null; ) {
                        for (int i = 0; i < batch.size; i++) {
                            long seq = batch.seq[i];
                            String prev = batch.prevHash[i];
                            String hash = batch.hash[i];
                            if (seq != expected) {
                                String what = seq - expected == 1 || seq < expected ? "row " + expected + " is missing"
                                        : "rows " + expected + " to " + (seq - 1) + " are missing";
                                return fail(expected, "row-deleted", what + " (seq jumps from " + (expected - 1) + " to "
                                        + seq + "): rows were deleted");
                            }
                            if (!isHex64(prev) || !isHex64(hash)) {
                                return fail(seq, "row-edited", "row " + seq + ": its hash fields are not SHA-256 hex"
                                        + " values: the row was edited");
                            }
                            String computed = chain.hash(seq, batch.time[i], batch.actor[i], batch.action[i],
                                    batch.target[i], batch.outcome[i], batch.details[i], prev);
                            if (!computed.equals(hash)) {
                                return fail(seq, "row-edited", "row " + seq + ": its contents do not match its hash: the"
                                        + " row was edited (or moved from another position)");
                            }
                            if (!prev.equals(head)) {
                                String before = seq == 1 ? "the genesis value of this log" : "the hash of row " + (seq - 1);
                                return fail(seq, "chain-broken", "row " + seq + ": prev_hash does not match " + before
                                        + ": a row was inserted, deleted or reordered here");
                            }
                            while (nextRemember < remember.length && remember[nextRemember] < seq) {
                                nextRemember++;
                            }
                            if (nextRemember < remember.length && remember[nextRemember] == seq) {
                                rowHashes.put(seq, hash);
                            }
                            head = hash;
                            rows++;
                            expected++;
                        }
                    }
                }
                long lastSigned = lastSigned(fileCps, dbCps);
                minUncoveredTime = minTime(c, lastSigned);
            } catch (SQLException | RuntimeException e) {
                throw db.classify("verifying the audit log", e);
            }

            // 6. Checkpoints against the rows and against each other.
            for (Checkpoint cp : fileCps.values()) {
                if (cp.seq() > rows) {
                    return fail(rows + 1, "tail-truncated", "the log ends at row " + rows + " but a checkpoint vouches for"
                            + " row " + cp.seq() + ": rows were removed from the end or an older copy of the database was"
                            + " restored");
                }
                if (!cp.hash().equals(rowHashes.get(cp.seq()))) {
                    return fail(cp.seq(), "checkpoint-mismatch", "row " + cp.seq() + " does not match its checkpoint: the"
                            + " chain was rewritten or recomputed up to that row");
                }
                Checkpoint inDb = dbCps.get(cp.seq());
                if (inDb == null) {
                    return fail(cp.seq(), "checkpoint-table-edited", "the checkpoint for row " + cp.seq() + " is in the"
                            + " checkpoint file but not in the database: the database was altered");
                }
                if (!inDb.equals(cp)) {
                    return fail(cp.seq(), "checkpoint-file-edited", "the checkpoint for row " + cp.seq() + " differs"
                            + " between the database and the checkpoint file");
                }
            }
            long lastFile = fileCps.isEmpty() ? 0 : fileCps.lastKey();
            @Nullable Checkpoint pending = !dbCps.isEmpty() && dbCps.lastKey() > lastFile ? dbCps.lastEntry().getValue() : null;
            for (Checkpoint cp : dbCps.values()) {
                if (fileCps.containsKey(cp.seq())) {
                    continue;
                }
                if (cp != pending) {
                    return fail(cp.seq(), "checkpoint-file-edited", "the checkpoint for row " + cp.seq() + " is missing"
                            + " from " + checkpointFile.getFileName() + ": the checkpoint file was edited or replaced by"
                            + " an older copy");
                }
                if (cp.seq() > rows) {
                    return fail(rows + 1, "tail-truncated", "the log ends at row " + rows + " but the database's newest"
                            + " checkpoint vouches for row " + cp.seq() + ": rows were removed from the end");
                }
                if (!cp.hash().equals(rowHashes.get(cp.seq()))) {
                    return fail(cp.seq(), "checkpoint-mismatch", "row " + cp.seq() + " does not match the checkpoint"
                            + " stored in the database: the chain was rewritten");
                }
            }
            if (file.torn()) {
                byte[] expectedLine = pending == null ? new byte[0]
                        : (pending.toLine() + "\n").getBytes(StandardCharsets.UTF_8);
                boolean prefix = pending != null && file.tornTail().length < expectedLine.length
                        && Arrays.equals(file.tornTail(), 0, file.tornTail().length, expectedLine, 0, file.tornTail().length);
                if (!prefix) {
                    return fail(0, "checkpoint-file-edited", "the last line of " + checkpointFile.getFileName() + " is"
                            + " incomplete and is not the start of the database's pending checkpoint: the file was edited");
                }
            }
            if (pending != null) {
                notes.add("the newest checkpoint (row " + pending.seq() + ") has not reached " + checkpointFile.getFileName()
                        + " yet (an interrupted write); the next write to this tenant appends it");
            }

            // 7. Signatures, wherever a checkpoint lives (file and table agree by now).
            TreeMap<Long, Checkpoint> all = new TreeMap<>(dbCps);
            all.putAll(fileCps);
            boolean seenSigned = false;
            for (Checkpoint cp : all.values()) {
                if (cp.signed()) {
                    if (key == null) {
                        return fail(0, "key-missing", "checkpoints are signed but the tenant's signing key"
                                + " (vault_public_key, purpose 'signing') is missing: the database was altered");
                    }
                    if (!validSignature(key, cp)) {
                        return fail(cp.seq(), "checkpoint-signature-invalid", "the checkpoint for row " + cp.seq()
                                + " is not signed by this tenant's key (" + key.keyId() + "): the chain and its checkpoints"
                                + " were recomputed");
                    }
                    seenSigned = true;
                    signed++;
                } else if (seenSigned) {
                    return fail(cp.seq(), "checkpoint-signature-missing", "the checkpoint for row " + cp.seq()
                            + " is unsigned although earlier ones are signed: the checkpoints were re-made");
                }
            }

            // 8. Witnesses.
            for (WitnessFile w : witnesses) {
                Optional<VerifyReport> r = checkWitness(w, key, rowHashes);
                if (r.isPresent()) {
                    return r.get();
                }
            }

            // 9. Coverage: rows past the cadence must be covered by a signed checkpoint.
            long s = lastSigned(fileCps, dbCps);
            long uncovered = rows - s;
            if (uncovered > 0) {
                long age = options.clock.millis() - minUncoveredTime;
                String why = null;
                if (s == 0) {
                    why = "no signed checkpoint covers any row (every tenant's first checkpoint is signed when the tenant"
                            + " is created)";
                } else if (uncovered >= options.everyRows) {
                    why = uncovered + " rows are not covered by a signed checkpoint (a checkpoint is due every "
                            + options.everyRows + " rows)";
                } else if (age > options.everyMillis + VerifyOptions.GRACE_MILLIS) {
                    why = "row " + (s + 1) + " onwards are " + (age / 60_000) + " minutes old and no signed checkpoint"
                            + " covers them (one is due every " + (options.everyMillis / 60_000) + " minutes)";
                }
                if (why != null) {
                    return fail(s + 1, "rows-uncovered", why + ": they may have been rewritten or their checkpoints"
                            + " removed. If you ran commands with the vault locked or a process crashed, check the rows"
                            + " against your SIEM or witness copy, then 'airlock audit seal' covers them");
                }
                notes.add(uncovered + " row(s) after the last signed checkpoint are protected by the chain only until"
                        + " the next checkpoint");
            }
            return done(tenant, rows, head, cpCount, signed, Optional.empty(), notes, start);
        }

        private Optional<VerifyReport> checkWitness(WitnessFile w, @Nullable SigningKey key, Map<Long, String> rowHashes) {
            String name = w.path.toString();
            if (w.unreadable != null) {
                return Optional.of(fail(0, "witness-missing", "cannot read the witness " + name + ": " + w.unreadable));
            }
            if (w.invalidLine > 0) {
                return Optional.of(fail(0, "witness-mismatch", "line " + w.invalidLine + " of the witness " + name
                        + " is not a valid checkpoint record: the witness was edited or damaged"));
            }
            if (w.mine.isEmpty()) {
                return Optional.of(fail(0, "witness-mismatch", "the witness " + name + " holds no checkpoint of this log:"
                        + " the log id changed (the log was replaced) or the witness is not this tenant's"));
            }
            for (Checkpoint cp : w.mine) {
                if (cp.seq() > rows) {
                    return Optional.of(fail(rows + 1, "witness-rollback", "the log ends at row " + rows + " but the witness "
                            + name + " saw a checkpoint at row " + cp.seq() + ": the log was rolled back (rows removed or"
                            + " an older copy restored)"));
                }
                if (!cp.hash().equals(rowHashes.get(cp.seq()))) {
                    return Optional.of(fail(cp.seq(), "witness-mismatch", "row " + cp.seq() + " does not match the"
                            + " checkpoint the witness " + name + " saw: the chain was rewritten or recomputed"));
                }
                if (cp.signed()) {
                    if (key == null) {
                        return Optional.of(fail(0, "key-missing", "the witness holds signed checkpoints but the tenant's"
                                + " signing key (vault_public_key) is missing: the database was altered"));
                    }
                    if (!validSignature(key, cp)) {
                        return Optional.of(fail(cp.seq(), "witness-mismatch", "the witness " + name + " holds a checkpoint"
                                + " for row " + cp.seq() + " that this tenant's key (" + key.keyId() + ") did not sign:"
                                + " the key was replaced"));
                    }
                }
            }
            if (w.tornTail) {
                notes.add("the last line of the witness " + name + " is incomplete (an interrupted write); it was ignored");
            }
            return Optional.empty();
        }

        private record KeyRow(boolean present, @Nullable SigningKey key) {}

        private KeyRow readKey() throws SQLException {
            try (org.jdbi.v3.core.Handle h = db.jdbi().open();
                    PreparedStatement ps = h.getConnection().prepareStatement(
                            "SELECT algorithm, public_key FROM vault_public_key WHERE purpose = 'signing'");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new KeyRow(false, null);
                }
                String algorithm = rs.getString(1);
                Object raw = rs.getObject(2);
                if (!"Ed25519".equals(algorithm) || !(raw instanceof byte[] b)) {
                    return new KeyRow(true, null);
                }
                return new KeyRow(true, SigningKey.of(b));
            }
        }
    }

    private static boolean validSignature(SigningKey key, Checkpoint cp) {
        if (!key.keyId().equals(cp.keyId()) || cp.signature() == null) {
            return false;
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(cp.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Only the canonical base64 spelling is the signature Airlock wrote.
        if (!Base64.getEncoder().encodeToString(sig).equals(cp.signature())) {
            return false;
        }
        return key.verify(cp.signedBytes(), sig);
    }

    private static long lastSigned(Map<Long, Checkpoint> fileCps, Map<Long, Checkpoint> dbCps) {
        long s = 0;
        for (Checkpoint cp : fileCps.values()) {
            if (cp.signed()) {
                s = Math.max(s, cp.seq());
            }
        }
        for (Checkpoint cp : dbCps.values()) {
            if (cp.signed()) {
                s = Math.max(s, cp.seq());
            }
        }
        return s;
    }

    private static long minTime(Connection c, long afterSeq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(time) FROM audit WHERE seq > ?")) {
            ps.setLong(1, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                long t = rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
                return rs.wasNull() ? Long.MAX_VALUE : t;
            }
        }
    }

    /** A witness file as read: this log's checkpoints in file order, or why it cannot be used. */
    private static final class WitnessFile {
        final Path path;
        @Nullable String unreadable;
        int invalidLine;
        boolean tornTail;
        final List<Checkpoint> mine = new ArrayList<>();

        private WitnessFile(Path path) {
            this.path = path;
        }

        static WitnessFile read(Path path, String logId) {
            WitnessFile w = new WitnessFile(path);
            CheckpointFile.Contents c;
            try {
                c = CheckpointFile.read(path);
            } catch (IOException e) {
                w.unreadable = e.toString();
                return w;
            }
            if (c == null) {
                w.unreadable = "no such file";
                return w;
            }
            w.tornTail = c.torn();
            for (int i = 0; i < c.lines().size(); i++) {
                String line = c.lines().get(i);
                Optional<Checkpoint> cp = line == null ? Optional.empty() : Checkpoint.parseLine(line);
                if (cp.isEmpty()) {
                    w.invalidLine = i + 1;
                    return w;
                }
                if (cp.get().logId().equals(logId)) {
                    w.mine.add(cp.get());
                }
            }
            return w;
        }
    }

    /** The seqs whose row hashes the checkpoint and witness checks need, sorted. */
    private static long[] rememberSeqs(Map<Long, Checkpoint> fileCps, Map<Long, Checkpoint> dbCps, List<WitnessFile> ws) {
        java.util.stream.LongStream.Builder b = java.util.stream.LongStream.builder();
        fileCps.keySet().forEach(b::add);
        dbCps.keySet().forEach(b::add);
        ws.forEach(w -> w.mine.forEach(cp -> b.add(cp.seq())));
        return b.build().sorted().distinct().toArray();
    }

    /** Up to {@link #SIZE} consecutive rows of the scan, column by column. */
    static final class RowBatch {
        static final int SIZE = 1024;
        final long[] seq = new long[SIZE];
        final long[] time = new long[SIZE];
        final String[] actor = new String[SIZE];
        final String[] action = new String[SIZE];
        final String[] target = new String[SIZE];
        final String[] outcome = new String[SIZE];
        final String[] details = new String[SIZE];
        final String[] prevHash = new String[SIZE];
        final String[] hash = new String[SIZE];
        int size;
    }

    /**
     * Scans {@code audit} in seq order on its own thread, handing over batches of rows. A failure of
     * the scan is handed over in sequence, after the rows read before it, and thrown by {@link #next}.
     * Closing stops the scan and waits for the thread, so the statement is closed before the
     * connection.
     */
    static final class RowReader implements AutoCloseable {
        private static final Object END = new Object();
        private final java.util.concurrent.BlockingQueue<Object> ready = new java.util.concurrent.ArrayBlockingQueue<>(8);
        private final java.util.concurrent.BlockingQueue<RowBatch> free = new java.util.concurrent.ArrayBlockingQueue<>(10);
        private final Thread thread;
        private volatile boolean stop;
        private @org.jspecify.annotations.Nullable RowBatch lent;

        RowReader(Connection c) {
            for (int i = 0; i < 10; i++) {
                free.add(new RowBatch());
            }
            thread = Thread.ofPlatform().name("audit-verify-reader").daemon(true).start(() -> scan(c));
        }

        private void scan(Connection c) {
            Object last = END;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, time, actor, action, target, outcome, details, prev_hash, hash FROM audit ORDER BY seq")) {
                ps.setFetchSize(4096);
                try (ResultSet rs = ps.executeQuery()) {
                    RowBatch b = free.take();
                    b.size = 0;
                    while (!stop && rs.next()) {
                        int i = b.size++;
                        b.seq[i] = rs.getLong(1);
                        b.time[i] = rs.getLong(2);
                        b.actor[i] = rs.getString(3);
                        b.action[i] = rs.getString(4);
                        b.target[i] = rs.getString(5);
                        b.outcome[i] = rs.getString(6);
                        b.details[i] = rs.getString(7);
                        b.prevHash[i] = rs.getString(8);
                        b.hash[i] = rs.getString(9);
                        if (b.size == RowBatch.SIZE) {
                            ready.put(b);
                            b = free.take();
                            b.size = 0;
                        }
                    }
                    if (b.size > 0) {
                        ready.put(b);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = new SQLException("interrupted while reading the audit table", e);
            } catch (SQLException | RuntimeException | Error e) {
                last = e;
            }
            try {
                ready.put(last);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The next batch in seq order, or null at the end; the previous batch is reused. */
        @org.jspecify.annotations.Nullable RowBatch next() throws SQLException {
            if (lent != null) {
                free.add(lent);
                lent = null;
            }
            Object o;
            try {
                o = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while verifying the audit log", e);
            }
            if (o instanceof RowBatch b) {
                lent = b;
                return b;
            }
            if (o == END) {
                return null;
            }
            if (o instanceof SQLException e) {
                throw e;
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) o;
        }

        @Override
        public void close() {
            stop = true;
            // Unblock the reader if it waits for a free batch or for room in the queue.
            while (thread.isAlive()) {
                Object o = ready.poll();
                if (o instanceof RowBatch b) {
                    free.offer(b);
                }
                if (lent != null) {
                    free.offer(lent);
                    lent = null;
                }
                try {
                    thread.join(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    static boolean isHex64(@org.jspecify.annotations.Nullable String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<VerifyReport.Break> brk(long seq, String kind, String message) {
        return Optional.of(new VerifyReport.Break(seq, kind, message));
    }

    private static VerifyReport done(String tenant, long rows, String head, int cps, int signed,
            Optional<VerifyReport.Break> brk, List<String> notes, long startNanos) {
        return new VerifyReport(tenant, rows, head, cps, signed, brk, List.copyOf(notes),
                (System.nanoTime() - startNanos) / 1_000_000);
    }
}
