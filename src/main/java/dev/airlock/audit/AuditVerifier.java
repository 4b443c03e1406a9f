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
            // 2. The chain.
            AuditChain chain = new AuditChain();
            long expected = 1;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, time, actor, action, target, outcome, details, prev_hash, hash FROM audit ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                ps.setFetchSize(4096);
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    String prev = rs.getString(8);
                    String hash = rs.getString(9);
                    if (seq != expected) {
                        String what = seq - expected == 1 ? "row " + expected + " is missing"
                                : "rows " + expected + " to " + (seq - 1) + " are missing";
                        return done(tenant, rows, head, fileCps.size(), 0, brk(expected, "row-deleted", what
                                + " (seq jumps from " + (expected - 1) + " to " + seq + "): rows were deleted"), notes, start);
                    }
                    if (!isHex64(prev) || !isHex64(hash)) {
                        return done(tenant, rows, head, fileCps.size(), 0, brk(seq, "row-edited", "row " + seq
                                + ": its hash fields are not SHA-256 hex values: the row was edited"), notes, start);
                    }
                    String computed = chain.hash(seq, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), prev);
                    if (!computed.equals(hash)) {
                        return done(tenant, rows, head, fileCps.size(), 0, brk(seq, "row-edited", "row " + seq
                                + ": its contents do not match its hash: the row was edited (or moved from another position)"),
                                notes, start);
                    }
                    if (!prev.equals(head)) {
                        String before = seq == 1 ? "the genesis value of this log" : "the hash of row " + (seq - 1);
                        return done(tenant, rows, head, fileCps.size(), 0, brk(seq, "chain-broken", "row " + seq
                                + ": prev_hash does not match " + before + ": a row was inserted, deleted or reordered here"),
                                notes, start);
                    }
                    if (fileCps.containsKey(seq) || dbCps.containsKey(seq)) {
                        rowHashes.put(seq, hash);
                    }
                    head = hash;
                    rows++;
                    expected++;
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
