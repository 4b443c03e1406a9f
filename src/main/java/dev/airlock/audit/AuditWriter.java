package dev.airlock.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.airlock.home.ExitCode;
import dev.airlock.home.TextFilter;
import dev.airlock.store.TenantDb;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.erdtman.jcs.JsonCanonicalizer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one tenant's audit log, with group commit.
 *
 * <p>Callers enqueue requests and block; one thread takes everything queued, runs it in one
 * {@code BEGIN IMMEDIATE} transaction (state changes under their own savepoints, so one failing change
 * does not fail its neighbours), commits with {@code synchronous=FULL}, and only then completes the
 * callers. The chain head is read inside that transaction, so other processes appending to the same
 * database interleave correctly. Checkpoints are rows of the log themselves ({@code audit.checkpoint}),
 * committed with the batch that triggers them, then appended to the checkpoint file.
 */
final class AuditWriter implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BATCH = 4_096;
    private static final Request CLOSE = new Request(AuditEvent.builder("close").build(), null);
    private static final AuditEvent CHECKPOINT_NOW = AuditEvent.builder("checkpoint").build();

    private final TenantDb db;
    private final Path checkpointFile;
    private final AuditOptions options;
    private final String logId;
    private final String genesis;
    private final Connection conn;
    private final Handle handle;
    private final PreparedStatement insert;
    private final PreparedStatement insertCheckpoint;
    private final PreparedStatement head;
    private final PreparedStatement rowTime;
    private final Statement tx;
    private final SQLiteConnectionConfig keys;
    private final boolean keysDefault;
    private final AuditChain chain = new AuditChain();
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closing;
    // Set by the writer thread while it writes a checkpoint someone asked for (reason "seal").
    private boolean forcing;
    // Group-commit statistics for the benchmarks (src/jmh): written by the writer thread only.
    private volatile long batchCommits;
    private volatile long batchRows;

    private static final class Request {
        final AuditEvent event;
        final @Nullable StateChange<?> change;
        final CompletableFuture<Object[]> done = new CompletableFuture<>();
        @Nullable Object result;
        @Nullable Throwable failure;
        @Nullable AuditRecord record;
        // The row's text fields, filtered and canonical, prepared on the caller's thread (see prepare).
        @Nullable Prepared prepared;

        Request(AuditEvent event, @Nullable StateChange<?> change) {
            this.event = event;
            this.change = change;
        }
    }

    /** The text fields of a row, or what went wrong computing them (then the fields are null). */
    private record Prepared(@Nullable String actor, @Nullable String action, @Nullable String target,
            @Nullable String outcome, @Nullable String details, @Nullable Throwable failure) {}

    /** The chain head and the newest checkpoint, read together inside the write transaction. */
    private record Head(long seq, String hash, long time, long lastCheckpoint, boolean lastSigned) {}

    AuditWriter(TenantDb db, Path checkpointFile, AuditOptions options) {
        this.db = db;
        this.checkpointFile = checkpointFile;
        this.options = options;
        this.logId = db.meta("log_id").orElseThrow(() -> AuditException.integrity("the audit log of tenant '"
                + db.tenant() + "' has no log id (meta.log_id missing): the database was altered; restore it from a backup"));
        this.genesis = AuditChain.genesis(logId);
        this.conn = db.openWriterConnection();
        try {
            this.handle = Jdbi.open(conn);
            this.insert = conn.prepareStatement("INSERT INTO audit(seq, time, actor, action, target, outcome, details,"
                    + " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            this.insertCheckpoint = conn.prepareStatement(
                    "INSERT INTO audit_checkpoint(seq, time, hash, key_id, signature) VALUES (?, ?, ?, ?, ?)");
            // One round trip for the head and the newest checkpoint (and whether it is signed); always one row, NULLs when empty.
            this.head = conn.prepareStatement("SELECT h.seq, h.hash, h.time,"
                    + " (SELECT seq FROM audit_checkpoint ORDER BY seq DESC LIMIT 1),"
                    + " (SELECT signature IS NOT NULL FROM audit_checkpoint ORDER BY seq DESC LIMIT 1)"
                    + " FROM (SELECT 1) LEFT JOIN (SELECT seq, hash, time FROM audit ORDER BY seq DESC LIMIT 1) h");
            // The writer never reads generated keys; sqlite-jdbc would otherwise run a
            // SELECT last_insert_rowid() after every audit insert. State changes get the default back.
            this.keys = conn.unwrap(SQLiteConnection.class).getConnectionConfig();
            this.keysDefault = keys.isGetGeneratedKeys();
            keys.setGetGeneratedKeys(false);
            this.rowTime = conn.prepareStatement("SELECT time FROM audit WHERE seq = ?");
            this.tx = conn.createStatement();
        } catch (SQLException e) {
            closeQuietly();
            throw db.classify("opening the audit log", e);
        }
        reconcileCheckpointFile();
        this.thread = Thread.ofPlatform().name("audit-writer-" + db.tenant()).daemon(true).unstarted(this::loop);
        thread.start();
    }

    // ---------------------------------------------------------------- API

    @Override
    public AuditRecord append(AuditEvent event) {
        Request r = submit(new Request(event, null));
        return await(r).record();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T appendWith(AuditEvent event, StateChange<T> change) {
        Request r = submit(new Request(event, change));
        return (T) await(r).result();
    }

    private record Outcome(AuditRecord record, @Nullable Object result) {}

    private Request submit(Request r) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a state change must not append to the audit log itself");
        }
        if (closing) {
            throw new AuditException(ExitCode.RUNTIME, "the audit log of tenant '" + db.tenant() + "' is closed; the action was not performed");
        }
        r.prepared = prepare(r.event);
        queue.add(r);
        return r;
    }

    /**
     * Filters and canonicalises the event's text on the caller's thread, so the single writer
     * thread only chains, inserts and commits (the filter is thread-safe by contract). A failure
     * (details with no canonical form) is kept and thrown by {@link #insert} inside the batch,
     * where it was thrown when the writer computed the fields itself, with the same effect.
     */
    private Prepared prepare(AuditEvent e) {
        try {
            String details = canonicalDetails(e.details());
            return new Prepared(wellFormed(e.actor()), wellFormed(e.action()),
                    wellFormed(options.detailsFilter.apply(e.target())), wellFormed(e.outcome()), details, null);
        } catch (RuntimeException | Error ex) {
            return new Prepared(null, null, null, null, null, ex);
        }
    }

    private Outcome await(Request r) {
        try {
            r.done.join();
        } catch (CompletionException e) {
            // completed exceptionally only through fail(); the cause is set below
        }
        if (r.failure != null) {
            Throwable t = r.failure;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new AuditException(ExitCode.RUNTIME, "the action failed: " + t.getMessage(), t);
        }
        return new Outcome(r.record, r.result);
    }

    /**
     * Writes a checkpoint over every row so far, now, signed when this process holds the key (or
     * seals the newest unsigned one); nothing when the last checkpoint already covers everything.
     * The tenant's first checkpoint is written this way when the tenant is created.
     */
    @Override
    public void checkpoint() {
        if (closing) {
            throw new AuditException(ExitCode.RUNTIME, "the audit log of tenant '" + db.tenant() + "' is closed");
        }
        Request r = new Request(CHECKPOINT_NOW, null);
        queue.add(r);
        await(r);
    }

    @Override
    public void close() {
        if (closing) {
            stopped.join();
            return;
        }
        closing = true;
        queue.add(CLOSE);
        stopped.join();
    }

    /** Group commits made for callers' batches so far (benchmarks only). */
    long batchCommits() {
        return batchCommits;
    }

    /** Audit rows those commits wrote, checkpoint rows included (benchmarks only). */
    long batchRows() {
        return batchRows;
    }

    // ---------------------------------------------------------------- writer thread

    private void loop() {
        List<Request> batch = new ArrayList<>();
        try {
            while (true) {
                Request first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    checkpointIfDue(false);
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean close = batch.remove(CLOSE);
                List<Request> forced = new ArrayList<>();
                batch.removeIf(r -> r.event == CHECKPOINT_NOW && forced.add(r));
                if (!batch.isEmpty()) {
                    commit(batch);
                }
                if (!forced.isEmpty()) {
                    // The same rule as a close: everything so far is covered, by a signed checkpoint if possible.
                    forcing = true;
                    @Nullable Throwable failure = checkpointIfDue(true);
                    forcing = false;
                    for (Request r : forced) {
                        r.failure = failure;
                        r.done.complete(null);
                    }
                }
                if (close) {
                    // Anything that raced in behind the close marker is still written.
                    batch.clear();
                    queue.drainTo(batch);
                    batch.remove(CLOSE);
                    batch.removeIf(r -> r.event == CHECKPOINT_NOW && forced.add(r));
                    if (!batch.isEmpty()) {
                        commit(batch);
                    }
                    checkpointIfDue(true);
                    for (Request r : forced) {
                        r.done.complete(null);
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("audit writer for tenant {} stopped", db.tenant(), t);
            for (Request r; (r = queue.poll()) != null; ) {
                fail(r, t);
            }
        } finally {
            closeQuietly();
            stopped.complete(null);
        }
    }

    private void commit(List<Request> batch) {
        try (CheckpointOrder.Held held = CheckpointOrder.of(checkpointFile).acquire()) {
            commitInOrder(batch);
        }
    }

    private void commitInOrder(List<Request> batch) {
        @Nullable Checkpoint cp = null;
        long startSeq;
        try {
            begin();
            Head h = readHead();
            startSeq = h.seq;
            for (Request r : batch) {
                if (r.change != null) {
                    tx.execute("SAVEPOINT change");
                    keys.setGetGeneratedKeys(keysDefault);
                    try {
                        r.result = r.change.apply(handle);
                    } catch (Throwable t) {
                        tx.execute("ROLLBACK TO change");
                        tx.execute("RELEASE change");
                        r.failure = t;
                        continue;
                    } finally {
                        keys.setGetGeneratedKeys(false);
                    }
                    h = insert(h, r);
                    tx.execute("RELEASE change");
                } else {
                    h = insert(h, r);
                }
            }
            cp = checkpointRowIfDue(h, false);
            commitTx();
            batchCommits++;
            batchRows += (cp != null ? cp.seq() : h.seq) - startSeq;
        } catch (Throwable t) {
            rollbackQuietly();
            AuditException failure = new AuditException(ExitCode.RUNTIME, "could not write the audit log of tenant '"
                    + db.tenant() + "' (" + db.classify("appending", t).getMessage() + "); the action was not performed", t);
            for (Request r : batch) {
                r.record = null;
                if (r.failure == null) {
                    r.failure = failure;
                }
                r.done.complete(null);
            }
            return;
        }
        for (Request r : batch) {
            r.done.complete(null);
        }
        if (cp != null) {
            writeCheckpointLine(cp);
        }
    }

    private Head insert(Head h, Request r) throws SQLException {
        long seq = h.seq + 1;
        long time = Math.max(options.clock.millis(), h.time);
        Prepared p = r.prepared != null ? r.prepared : prepare(r.event);
        Throwable failure = p.failure();
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        }
        String details = java.util.Objects.requireNonNull(p.details());
        String actor = java.util.Objects.requireNonNull(p.actor());
        String action = java.util.Objects.requireNonNull(p.action());
        String target = java.util.Objects.requireNonNull(p.target());
        String outcome = java.util.Objects.requireNonNull(p.outcome());
        String hash = chain.hash(seq, time, actor, action, target, outcome, details, h.hash);
        insert.setLong(1, seq);
        insert.setLong(2, time);
        insert.setString(3, actor);
        insert.setString(4, action);
        insert.setString(5, target);
        insert.setString(6, outcome);
        insert.setString(7, details);
        insert.setString(8, h.hash);
        insert.setString(9, hash);
        insert.executeUpdate();
        r.record = new AuditRecord(seq, time, actor, action, target, outcome, details, h.hash, hash);
        return new Head(seq, hash, time, h.lastCheckpoint, h.lastSigned);
    }

    private Head readHead() throws SQLException {
        try (ResultSet rs = head.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the chain head query returned no row");
            }
            long lastCheckpoint = rs.getLong(4);
            boolean lastSigned = rs.getInt(5) == 1;
            long seq = rs.getLong(1);
            if (rs.wasNull()) {
                return new Head(0, genesis, 0, lastCheckpoint, lastSigned);
            }
            return new Head(seq, rs.getString(2), rs.getLong(3), lastCheckpoint, lastSigned);
        }
    }

    /**
     * Inside the open transaction: adds the checkpoint row when one is due, that is when
     * {@code checkpointEveryRows} rows are uncovered, when the oldest uncovered row is older than
     * the interval, or when the log is being closed with uncovered rows.
     */
    private @Nullable Checkpoint checkpointRowIfDue(Head h, boolean closing) throws SQLException {
        // Read with the head at the start of this transaction: no other connection can write
        // while it holds the BEGIN IMMEDIATE lock, and this one adds checkpoints only below.
        long lastSeq = h.lastCheckpoint;
        boolean lastSigned = h.lastSigned;
        long pending = h.seq - lastSeq;
        // A process holding the key seals what an unsigned checkpoint (made before the key existed, or
        // by another process) left open, so a keyed tenant always ends with a signed checkpoint.
        boolean seal = closing && lastSeq > 0 && !lastSigned && options.signer != null
                && options.signer.required() && options.signer.keyId().isPresent();
        if (pending <= 0 && !seal) {
            return null;
        }
        String reason;
        if (pending <= 0) {
            reason = "seal";
        } else if (pending >= options.checkpointEveryRows) {
            reason = "rows";
        } else if (closing && forcing) {
            reason = "seal";
        } else if (closing) {
            reason = "close";
        } else if (options.clock.millis() - firstUncoveredTime(lastSeq + 1) >= options.checkpointInterval.toMillis()) {
            reason = "interval";
        } else {
            return null;
        }
        @Nullable CheckpointSigner signer = options.signer;
        Optional<String> keyId = signer == null ? Optional.empty() : signer.keyId();
        if (signer != null && signer.required() && keyId.isEmpty()) {
            // An unsigned checkpoint would be indistinguishable from a forged one: defer to a process holding the key.
            return null;
        }
        Request r = new Request(AuditEvent.builder("audit.checkpoint").actor("system").target("audit")
                .detail("from_seq", lastSeq + 1).detail("reason", reason).build(), null);
        Head after = insert(h, r);
        Checkpoint unsigned = new Checkpoint(logId, after.seq, after.hash, after.time, null, null);
        Checkpoint cp = signer != null && keyId.isPresent()
                ? new Checkpoint(logId, after.seq, after.hash, after.time, keyId.get(),
                        Base64.getEncoder().encodeToString(signer.sign(unsigned.signedBytes())))
                : unsigned;
        insertCheckpoint.setLong(1, cp.seq());
        insertCheckpoint.setLong(2, cp.time());
        insertCheckpoint.setString(3, cp.hash());
        insertCheckpoint.setString(4, cp.keyId());
        insertCheckpoint.setString(5, cp.signature());
        insertCheckpoint.executeUpdate();
        return cp;
    }

    private long firstUncoveredTime(long seq) throws SQLException {
        rowTime.setLong(1, seq);
        try (ResultSet rs = rowTime.executeQuery()) {
            return rs.next() ? rs.getLong(1) : options.clock.millis();
        }
    }

    /** A time- or close-triggered checkpoint in its own transaction; returns what went wrong, if anything. */
    private @Nullable Throwable checkpointIfDue(boolean closing) {
        try (CheckpointOrder.Held held = CheckpointOrder.of(checkpointFile).acquire()) {
            return checkpointIfDueInOrder(closing);
        }
    }

    private @Nullable Throwable checkpointIfDueInOrder(boolean closing) {
        Checkpoint cp;
        try {
            begin();
            cp = checkpointRowIfDue(readHead(), closing);
            if (cp == null) {
                rollbackQuietly();
                return null;
            }
            commitTx();
        } catch (Throwable t) {
            rollbackQuietly();
            LOG.warn("audit checkpoint for tenant {} failed: {}", db.tenant(), t.toString());
            return new AuditException(ExitCode.RUNTIME, "could not write an audit checkpoint for tenant '" + db.tenant()
                    + "' (" + db.classify("checkpointing", t).getMessage() + ")", t);
        }
        writeCheckpointLine(cp);
        return null;
    }

    private void writeCheckpointLine(Checkpoint cp) {
        try {
            CheckpointFile.append(checkpointFile, cp);
        } catch (IOException e) {
            // The checkpoint is durable in the database; verify reports the file's absence or lag.
            LOG.error("could not append checkpoint {} to {}: {}", cp.seq(), checkpointFile, e.toString());
        }
        Witness.appendAll(options.witnesses, cp);
    }

    /**
     * Repairs the one gap a crash can leave: the newest checkpoint committed to the database but not
     * yet (or only partly) appended to the file. Anything else is left for the verifier to report.
     */
    private void reconcileCheckpointFile() {
        try (CheckpointOrder.Held held = CheckpointOrder.of(checkpointFile).acquire()) {
            reconcileInOrder();
        }
    }

    private void reconcileInOrder() {
        try {
            List<Checkpoint> inDb = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT seq, time, hash, key_id, signature FROM audit_checkpoint ORDER BY seq")
                    .map((rs, ctx) -> new Checkpoint(logId, rs.getLong(1), rs.getString(3), rs.getLong(2),
                            rs.getString(4), rs.getString(5))).list());
            CheckpointFile.Contents contents = CheckpointFile.read(checkpointFile);
            if (contents == null) {
                if (inDb.isEmpty()) {
                    CheckpointFile.create(checkpointFile);
                }
                return;
            }
            boolean torn = contents.torn();
            List<@Nullable String> whole = contents.lines();
            if (whole.size() != inDb.size() - 1) {
                return;
            }
            for (int i = 0; i < whole.size(); i++) {
                if (!inDb.get(i).toLine().equals(whole.get(i))) {
                    return;
                }
            }
            if (torn) {
                truncateTornLine();
            }
            CheckpointFile.append(checkpointFile, inDb.get(inDb.size() - 1));
            Witness.appendAll(options.witnesses, inDb.get(inDb.size() - 1));
            LOG.info("appended checkpoint {} to {} after an interrupted write", inDb.get(inDb.size() - 1).seq(), checkpointFile);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not reconcile {}: {}", checkpointFile, e.toString());
        }
    }

    private void truncateTornLine() throws IOException {
        byte[] all = Files.readAllBytes(checkpointFile);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        try (FileChannel ch = FileChannel.open(checkpointFile, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(true);
        }
    }

    // ---------------------------------------------------------------- details

    private String canonicalDetails(Map<String, Object> details) {
        JsonNode tree = JSON.valueToTree(details);
        JsonNode filtered = filter(tree, options.detailsFilter);
        try {
            String text = JSON.writeValueAsString(filtered);
            return new JsonCanonicalizer(text).getEncodedString();
        } catch (IOException e) {
            throw new IllegalArgumentException("audit details cannot be represented as canonical JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode filter(JsonNode node, TextFilter f) {
        if (node.isTextual()) {
            return TextNode.valueOf(wellFormed(f.apply(node.asText())));
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(wellFormed(e.getKey()), filter(e.getValue(), f));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(child -> out.add(filter(child, f)));
            return out;
        }
        return node;
    }

    /** Lone surrogates have no UTF-8 encoding; they are replaced so hashing is well defined. */
    private static String wellFormed(String s) {
        if (AuditChain.wellFormed(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isSurrogate((char) cp) && cp <= 0xFFFF ? 0xFFFD : cp));
        return b.toString();
    }

    private static void fail(Request r, Throwable t) {
        r.failure = t instanceof AuditException ? t : new AuditException(ExitCode.RUNTIME, "the audit writer stopped: " + t, t);
        r.done.complete(null);
    }

    /*
     * Transactions are driven by explicit statements on an autocommit connection: with autocommit
     * off, sqlite-jdbc opens the next transaction right after each commit, which in IMMEDIATE mode
     * would hold the write lock between batches and shut other processes out.
     */
    private void begin() throws SQLException {
        // Past the busy timeout, a few more tries with a pause; then the append fails and, fail-closed,
        // the action it records does not happen.
        for (int attempt = 1; ; attempt++) {
            try {
                tx.execute("BEGIN IMMEDIATE");
                return;
            } catch (SQLException e) {
                if (attempt >= 3 || !dev.airlock.store.TenantDb.isBusy(e)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50L * attempt);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the database lock", ie);
            }
        }
    }

    private void commitTx() throws SQLException {
        tx.execute("COMMIT");
    }

    private void rollbackQuietly() {
        try {
            tx.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open, or the connection is unusable; callers are told separately
        }
    }

    private void closeQuietly() {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing after a failure; nothing more to do
        }
    }
}
