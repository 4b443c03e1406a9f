package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Durable appends per second with group commit, against raw SQLite inserts of the same rows with the
 * same batching and the same sync setting, in the same run (issue 2, goal: at least 20,000 appends/s
 * and audit/raw time within 1.25).
 *
 * <p>A harness rather than JMH: what is measured is the throughput of many callers sharing one
 * writer thread, and the raw baseline needs the batch sizes that writer actually achieved. For each
 * thread count and round:
 * <ul>
 *   <li><b>audit</b>: a fresh tenant database (TenantDb: WAL, {@code synchronous=FULL}) with a
 *       {@code meta.log_id} as {@code Tenants.create} writes it, and
 *       {@code AuditLogs.open(db, checkpointFile, checkpointEveryRows(1000))}. {@code threads}
 *       callers call {@link AuditLog#append} in a loop (actor {@code user}, dotted actions, ~20
 *       character targets, ~120 bytes of details).</li>
 *   <li><b>raw</b>: a second fresh database with the same schema, opened the same way, and one
 *       prepared {@code INSERT} on its {@code BEGIN IMMEDIATE} writer connection (generated-key
 *       lookups off, as in the audit writer).</li>
 * </ul>
 * After two seconds of warm-up (replayed into the raw database untimed), audit and raw alternate in
 * {@code seconds} one-second slices: the callers run for a second and are paused, the writer's
 * counters give the group commits made and the rows written (checkpoint rows included), and the
 * raw side then inserts exactly those rows, read back with every column as stored, in exactly as
 * many transactions (rows spread evenly), timed. Alternating cancels most of the shared disk's
 * fsync noise. Reported: appends/s, rows per commit, the wall-time ratio audit/raw for the same rows
 * and commits, and the process-CPU ratio (on a loaded machine the scheduler favours the many threads
 * of the audit side over the one raw thread, so the wall ratio flatters the audit log; the CPU
 * ratio shows the work it adds).
 *
 * <p>Run (after {@code mvn -o test-compile} and writing {@code target/cp.txt} with
 * {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}):
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.airlock.audit.AuditAppendBench \
 *     [threads,threads,...=16,32,64] [seconds=8] [rounds=2] [dir=java.io.tmpdir]
 * </pre>
 */
public final class AuditAppendBench {
    private static final String[] ACTIONS = {"tenant.create", "config.change", "audit.export", "tool.exec", "workflow.node.run"};

    private AuditAppendBench() {}

    public static void main(String[] args) throws Exception {
        int[] threadCounts = Stream.of((args.length > 0 ? args[0] : "16,32,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path base = Files.createTempDirectory(args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir")),
                "airlock-append-bench");
        System.out.printf("# %s, %d cpus, sqlite %s, dir %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                sqliteVersion(base), base);
        System.out.println("threads round  appends/s  commits  rows/commit  audit_s  raw_s  raw_rows/s  wall_audit/raw"
                + "  audit_cpu_s  raw_cpu_s  cpu_audit/raw");
        try {
            for (int threads : threadCounts) {
                for (int round = 1; round <= rounds; round++) {
                    Result r = run(base.resolve(threads + "-" + round), threads, seconds);
                    System.out.printf("%7d %5d %10.0f %8d %12.1f %8.3f %6.3f %11.0f %15.3f %12.3f %10.3f %14.3f%n", threads,
                            round, r.appends / r.auditSeconds, r.commits, (double) r.rows / r.commits, r.auditSeconds,
                            r.rawSeconds, r.rows / r.rawSeconds, r.auditSeconds / r.rawSeconds, r.auditCpu, r.rawCpu,
                            r.auditCpu / r.rawCpu);
                }
            }
        } finally {
            deleteTree(base);
        }
    }

    private record Result(long appends, long commits, long rows, double auditSeconds, double rawSeconds, double auditCpu,
            double rawCpu) {}

    /** Callers that append in a loop and can be paused between appends. */
    private static final class Callers {
        final Object lock = new Object();
        final LongAdder acked = new LongAdder();
        final AtomicInteger parked = new AtomicInteger();
        final int threads;
        volatile boolean paused = true;
        volatile boolean stop;
        final CountDownLatch done;

        Callers(AuditLog log, int threads) {
            this.threads = threads;
            this.done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                AuditEvent[] events = events(t);
                Thread.ofPlatform().name("caller-" + t).daemon(true).start(() -> {
                    try {
                        for (int i = 0; !stop; i++) {
                            if (paused) {
                                parked.incrementAndGet();
                                synchronized (lock) {
                                    while (paused && !stop) {
                                        lock.wait();
                                    }
                                }
                                parked.decrementAndGet();
                                continue;
                            }
                            log.append(events[i % events.length]);
                            acked.increment();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
        }

        /** Lets the callers run; returns the start time. */
        long resume() {
            synchronized (lock) {
                paused = false;
                long t = System.nanoTime();
                lock.notifyAll();
                return t;
            }
        }

        /** Pauses the callers and returns once every in-flight append is acknowledged. */
        long pause() {
            paused = true;
            while (parked.get() < threads) {
                Thread.onSpinWait();
            }
            return System.nanoTime();
        }

        void stop() throws InterruptedException {
            synchronized (lock) {
                stop = true;
                lock.notifyAll();
            }
            done.await();
        }
    }

    /**
     * Audit and raw alternate in one-second slices, each raw slice replaying exactly the rows and
     * the number of commits of the audit slice before it, so that the disk's (shared, noisy) fsync
     * latency hits both sides alike.
     */
    private static Result run(Path dir, int threads, int seconds) throws Exception {
        Files.createDirectories(dir);
        Path cpFile = dir.resolve("audit.checkpoints");
        TenantDb db = openTenant(dir.resolve("audit.db"));
        AuditLogs.createCheckpointFile(cpFile);
        AuditWriter log = (AuditWriter) AuditLogs.open(db, cpFile, AuditOptions.builder().checkpointEveryRows(1000).build());
        TenantDb raw = openTenant(dir.resolve("raw.db"));
        Callers callers = new Callers(log, threads);
        try (Connection c = transactional(raw.openWriterConnection());
                PreparedStatement ins = c.prepareStatement("INSERT INTO audit(seq, time, actor, action, target, outcome,"
                        + " details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            // As the audit writer does: no SELECT last_insert_rowid() after each insert.
            c.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().setGetGeneratedKeys(false);
            // Warm-up of both sides, untimed.
            while (callers.parked.get() < threads) {
                Thread.onSpinWait();
            }
            callers.resume();
            Thread.sleep(2_000);
            callers.pause();
            long rows0 = log.batchRows();
            insertBatches(c, ins, readRows(db, 1, rows0), Math.max(1, (int) Math.round((double) rows0 / log.batchCommits())));
            long appends = 0;
            long commits = 0;
            long rows = 0;
            long auditNanos = 0;
            long rawNanos = 0;
            long auditCpu = 0;
            long rawCpu = 0;
            for (int slice = 0; slice < seconds; slice++) {
                long a0 = callers.acked.sum();
                long c0 = log.batchCommits();
                long r0 = log.batchRows();
                long u0 = cpuNanos();
                long t0 = callers.resume();
                Thread.sleep(1_000);
                long t1 = callers.pause();
                auditCpu += cpuNanos() - u0;
                auditNanos += t1 - t0;
                appends += callers.acked.sum() - a0;
                long sliceCommits = log.batchCommits() - c0;
                long r1 = log.batchRows();
                commits += sliceCommits;
                rows += r1 - r0;
                // No time-triggered checkpoint happens in a run (the interval is ten minutes), so
                // the rows the slice's commits wrote are exactly seq r0+1 to r1.
                List<Object[]> sliceRows = readRows(db, r0 + 1, r1);
                long v0 = cpuNanos();
                long s0 = System.nanoTime();
                insertCommits(c, ins, sliceRows, sliceCommits);
                rawNanos += System.nanoTime() - s0;
                rawCpu += cpuNanos() - v0;
            }
            return new Result(appends, commits, rows, auditNanos / 1e9, rawNanos / 1e9, auditCpu / 1e9, rawCpu / 1e9);
        } finally {
            callers.stop();
            log.close();
        }
    }

    /** CPU time of the whole process (all threads, JIT and GC included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static TenantDb openTenant(Path file) {
        TenantDb db = TenantDb.open(TenantName.of("bench"), file, true);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
        return db;
    }

    /** A caller's events: actor "user", a dotted action, a ~20-character target, ~80-150 bytes of details. */
    static AuditEvent[] events(int caller) {
        AuditEvent[] out = new AuditEvent[ACTIONS.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = AuditEvent.builder(ACTIONS[i]).actor("user").target(String.format("tenant:ops-team-%04d", caller * 7 + i))
                    .detail("request_id", UUID.nameUUIDFromBytes(new byte[] {(byte) caller, (byte) i}).toString())
                    .detail("bytes", 1024 * (i + 1)).detail("dry_run", (i & 1) == 0)
                    .detail("reason", "scheduled maintenance window " + caller).build();
        }
        return out;
    }

    private static List<Object[]> readRows(TenantDb db, long fromSeq, long toSeq) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (var h = db.jdbi().open();
                PreparedStatement ps = h.getConnection().prepareStatement("SELECT seq, time, actor, action, target, outcome,"
                        + " details, prev_hash, hash FROM audit WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
            ps.setLong(1, fromSeq);
            ps.setLong(2, toSeq);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                rows.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)});
            }
        }
        if (rows.size() != toSeq - fromSeq + 1) {
            throw new IllegalStateException("expected rows " + fromSeq + " to " + toSeq + ", read " + rows.size());
        }
        return rows;
    }

    private static void insertBatches(Connection c, PreparedStatement ins, List<Object[]> rows, int perCommit) throws SQLException {
        for (int i = 0; i < rows.size(); i += perCommit) {
            for (Object[] r : rows.subList(i, Math.min(rows.size(), i + perCommit))) {
                insert(ins, r);
            }
            c.commit();
        }
    }

    /** Spreads {@code rows} evenly over exactly {@code commits} transactions. */
    private static void insertCommits(Connection c, PreparedStatement ins, List<Object[]> rows, long commits) throws SQLException {
        int n = rows.size();
        int done = 0;
        for (long k = 1; k <= commits; k++) {
            int upTo = (int) (n * k / commits);
            for (; done < upTo; done++) {
                insert(ins, rows.get(done));
            }
            c.commit();
        }
    }

    private static void insert(PreparedStatement ins, Object[] r) throws SQLException {
        ins.setLong(1, (Long) r[0]);
        ins.setLong(2, (Long) r[1]);
        for (int i = 2; i < 9; i++) {
            ins.setString(i + 1, (String) r[i]);
        }
        ins.executeUpdate();
    }

    static String sqliteVersion(Path dir) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
                ResultSet rs = c.createStatement().executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The writer connection with JDBC-managed transactions, as these bulk loaders expect. */
    static Connection transactional(Connection c) throws java.sql.SQLException {
        c.setAutoCommit(false);
        return c;
    }
}
