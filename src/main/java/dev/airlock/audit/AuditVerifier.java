package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a tenant's audit log end to end, read-only: the hash chain row by row, then the
 * checkpoints in the database against the checkpoint file and against the rows they vouch for, then
 * the checkpoint signatures when a verifier key is given.
 *
 * <p>What each check detects: a row's hash not matching its contents (edited, or moved); a row whose
 * {@code prev_hash} is not its predecessor's hash (inserted, deleted, reordered); a gap in
 * {@code seq} (deleted); a checkpoint beyond the last row (tail truncated, older copy restored); a
 * checkpoint whose hash differs from its row (chain rewritten or recomputed); a missing, edited or
 * inconsistent checkpoint file; a bad or missing signature (recomputed chain with re-made
 * checkpoints).
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /** Verifies without signature checks (the tenant has no identity yet). */
    public static VerifyReport verify(TenantDb db, Path checkpointFile) {
        return verify(db, checkpointFile, Optional.empty());
    }

    public static VerifyReport verify(TenantDb db, Path checkpointFile, Optional<CheckpointVerifier> keys) {
        long start = System.nanoTime();
        String tenant = db.tenant().value();
        List<String> notes = new ArrayList<>();
        Optional<String> logId = db.meta("log_id");
        if (logId.isEmpty()) {
            return done(tenant, 0, "", 0, 0, brk(0, "log-id-missing", "the audit log has no log id (meta.log_id): the"
                    + " database was altered; restore it from a backup"), notes, start);
        }
        String genesis = AuditChain.genesis(logId.get());

        // 1. The checkpoint file: parsed first so the chain scan can remember the hashes it needs.
        List<String> lines;
        try {
            lines = CheckpointFile.readLines(checkpointFile);
        } catch (IOException e) {
            return done(tenant, 0, genesis, 0, 0, brk(0, "checkpoint-file-unreadable", "cannot read " + checkpointFile
                    + ": " + e.getMessage()), notes, start);
        }
        if (lines == null) {
            return done(tenant, 0, genesis, 0, 0, brk(0, "checkpoint-file-missing", "the checkpoint file " + checkpointFile
                    + " is missing: it was deleted; restore it from a backup (rollbacks cannot be detected without it)"),
                    notes, start);
        }
        Map<Long, Checkpoint> fileCps = new LinkedHashMap<>();
        long prevSeq = 0;
        for (int i = 0; i < lines.size(); i++) {
            Optional<Checkpoint> cp = Checkpoint.parseLine(lines.get(i));
            String where = checkpointFile.getFileName() + " line " + (i + 1);
            if (cp.isEmpty()) {
                return done(tenant, 0, genesis, fileCps.size(), 0, brk(0, "checkpoint-file-edited", where
                        + " is not a valid checkpoint record: the file was edited or damaged"), notes, start);
            }
            Checkpoint c = cp.get();
            if (!c.logId().equals(logId.get())) {
                return done(tenant, 0, genesis, fileCps.size(), 0, brk(c.seq(), "checkpoint-file-edited", where
                        + " belongs to another log (log_id " + c.logId() + "): the file was replaced"), notes, start);
            }
            if (c.seq() <= prevSeq) {
                return done(tenant, 0, genesis, fileCps.size(), 0, brk(c.seq(), "checkpoint-file-edited", where
                        + " is out of order (seq " + c.seq() + " after " + prevSeq + "): the file was edited"), notes, start);
            }
            prevSeq = c.seq();
            fileCps.put(c.seq(), c);
        }

        Map<Long, Checkpoint> dbCps = new LinkedHashMap<>();
        Map<Long, String> rowHashes = new HashMap<>();
        long rows = 0;
        String head = genesis;
        try (org.jdbi.v3.core.Handle handle = db.jdbi().open()) {
            Connection c = handle.getConnection();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, time, hash, key_id, signature FROM audit_checkpoint ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Checkpoint cp = new Checkpoint(logId.get(), rs.getLong(1), rs.getString(3), rs.getLong(2),
                            rs.getString(4), rs.getString(5));
                    dbCps.put(cp.seq(), cp);
                }
            }
            // 2. The chain. One thread reads the rows (JDBC decoding is half the work), this one
            // hashes and checks them in order: the same checks, in the same order, on the same rows.
            long[] remember = rememberSeqs(fileCps, dbCps);
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
                            String what = seq - expected == 1 ? "row " + expected + " is missing"
                                    : "rows " + expected + " to " + (seq - 1) + " are missing";
                            return done(tenant, rows, head, fileCps.size(), 0, brk(expected, "row-deleted", what
                                    + " (seq jumps from " + (expected - 1) + " to " + seq + "): rows were deleted"),
                                    notes, start);
                        }
                        if (!isHex64(prev) || !isHex64(hash)) {
                            return done(tenant, rows, head, fileCps.size(), 0, brk(seq, "row-edited", "row " + seq
                                    + ": its hash fields are not SHA-256 hex values: the row was edited"), notes, start);
                        }
                        String computed = chain.hash(seq, batch.time[i], batch.actor[i], batch.action[i], batch.target[i],
                                batch.outcome[i], batch.details[i], prev);
                        if (!computed.equals(hash)) {
                            return done(tenant, rows, head, fileCps.size(), 0, brk(seq, "row-edited", "row " + seq
                                    + ": its contents do not match its hash: the row was edited"
                                    + " (or moved from another position)"),
                                    notes, start);
                        }
                        if (!prev.equals(head)) {
                            String before = seq == 1 ? "the genesis value of this log" : "the hash of row " + (seq - 1);
                            return done(tenant, rows, head, fileCps.size(), 0, brk(seq, "chain-broken", "row " + seq
                                    + ": prev_hash does not match " + before + ": a row was inserted, deleted or reordered"
                                    + " here"),
                                    notes, start);
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
        } catch (SQLException | RuntimeException e) {
            throw db.classify("verifying the audit log", e);
        }

        // 3. Checkpoints against the rows and against each other.
        for (Map.Entry<Long, Checkpoint> e : fileCps.entrySet()) {
            Checkpoint cp = e.getValue();
            if (cp.seq() > rows) {
                return done(tenant, rows, head, fileCps.size(), 0, brk(rows + 1, "tail-truncated", "the log ends at row "
                        + rows + " but a checkpoint vouches for row " + cp.seq() + ": rows were removed from the end or an"
                        + " older copy of the database was restored"), notes, start);
            }
            if (!cp.hash().equals(rowHashes.get(cp.seq()))) {
                return done(tenant, rows, head, fileCps.size(), 0, brk(cp.seq(), "checkpoint-mismatch", "row " + cp.seq()
                        + " does not match its checkpoint: the chain was rewritten or recomputed up to that row"), notes, start);
            }
            Checkpoint inDb = dbCps.get(cp.seq());
            if (inDb == null) {
                return done(tenant, rows, head, fileCps.size(), 0, brk(cp.seq(), "checkpoint-table-edited", "the checkpoint"
                        + " for row " + cp.seq() + " is in the checkpoint file but not in the database: the database was"
                        + " altered"), notes, start);
            }
            if (!inDb.equals(cp)) {
                return done(tenant, rows, head, fileCps.size(), 0, brk(cp.seq(), "checkpoint-file-edited", "the checkpoint"
                        + " for row " + cp.seq() + " differs between the database and the checkpoint file"), notes, start);
            }
        }
        List<Long> onlyInDb = dbCps.keySet().stream().filter(s -> !fileCps.containsKey(s)).toList();
        long lastDb = dbCps.isEmpty() ? 0 : dbCps.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
        if (onlyInDb.size() == 1 && onlyInDb.get(0) == lastDb) {
            notes.add("the newest checkpoint (row " + lastDb + ") has not reached " + checkpointFile.getFileName()
                    + " yet (an interrupted write); the next write to this tenant appends it");
        } else if (!onlyInDb.isEmpty()) {
            return done(tenant, rows, head, fileCps.size(), 0, brk(onlyInDb.get(0), "checkpoint-file-edited", "the checkpoint"
                    + " for row " + onlyInDb.get(0) + " is missing from " + checkpointFile.getFileName()
                    + ": the checkpoint file was edited or replaced by an older copy"), notes, start);
        }
        for (Checkpoint cp : dbCps.values()) {
            if (!cp.hash().equals(rowHashes.get(cp.seq()))) {
                return done(tenant, rows, head, fileCps.size(), 0, brk(cp.seq(), "checkpoint-mismatch", "row " + cp.seq()
                        + " does not match the checkpoint stored in the database: the chain was rewritten"), notes, start);
            }
        }

        // 4. Signatures.
        int signed = 0;
        if (keys.isPresent()) {
            CheckpointVerifier k = keys.get();
            for (Checkpoint cp : fileCps.values()) {
                if (cp.signature() == null) {
                    continue;
                }
                byte[] sig;
                try {
                    sig = Base64.getDecoder().decode(cp.signature());
                } catch (IllegalArgumentException ex) {
                    sig = new byte[0];
                }
                if (!k.keyId().equals(cp.keyId()) || !k.verify(cp.signedBytes(), sig)) {
                    return done(tenant, rows, head, fileCps.size(), signed, brk(cp.seq(), "checkpoint-signature-invalid",
                            "the checkpoint for row " + cp.seq() + " is not signed by this tenant's key ("
                            + k.keyId() + "): the chain and its checkpoints were recomputed"), notes, start);
                }
                signed++;
            }
            // Stripping signatures is tampering: nothing unsigned may follow a signed checkpoint, and a
            // tenant with an identity has at least one signed checkpoint. (A signed checkpoint vouches for
            // every row before it through the chain, so unsigned ones before it need no signature.)
            boolean seenSigned = false;
            for (Checkpoint cp : fileCps.values()) {
                if (cp.signature() != null) {
                    seenSigned = true;
                } else if (seenSigned) {
                    return done(tenant, rows, head, fileCps.size(), signed, brk(cp.seq(), "checkpoint-signature-missing",
                            "the checkpoint for row " + cp.seq() + " is unsigned although earlier ones are signed:"
                            + " the checkpoints were re-made"), notes, start);
                }
            }
            if (!fileCps.isEmpty() && !seenSigned) {
                long last = fileCps.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
                return done(tenant, rows, head, fileCps.size(), signed, brk(last, "checkpoint-signature-missing",
                        "no checkpoint is signed although this tenant has a signing key: the checkpoints were re-made"),
                        notes, start);
            }
        }
        long lastCovered = fileCps.isEmpty() ? 0 : fileCps.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
        if (rows > lastCovered) {
            notes.add((rows - lastCovered) + " row(s) after the last checkpoint are protected by the chain only");
        }
        return done(tenant, rows, head, fileCps.size(), signed, Optional.empty(), notes, start);
    }

    /** The seqs whose row hashes the checkpoint checks need (in the file or in the table), sorted. */
    private static long[] rememberSeqs(Map<Long, Checkpoint> fileCps, Map<Long, Checkpoint> dbCps) {
        return java.util.stream.LongStream.concat(fileCps.keySet().stream().mapToLong(Long::longValue),
                dbCps.keySet().stream().mapToLong(Long::longValue)).sorted().distinct().toArray();
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

    private static boolean isHex64(String s) {
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
