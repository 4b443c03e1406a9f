package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link AuditVerifier#verify} on a 1,000,000-row log against a plain JDBC scan reading every
 * column of the same table, in the same run (issue 2, goal: 1M rows in at most 2 s and within 2x of
 * the scan).
 *
 * <p>The log is generated once with correct hashes (through {@link AuditChain}) in one transaction:
 * actor {@code user}, rotating dotted actions, ~20-character targets, 80-150 bytes of canonical
 * details, and every 1000th row an {@code audit.checkpoint} row with its checkpoint in the database
 * and in the checkpoint file, as the writer makes them. It is kept in {@code bench.dir} (default
 * {@code target/bench-verify}) and reused by later forks and runs when its row count matches.
 *
 * <p>Run (after {@code mvn -o test-compile} and writing {@code target/cp.txt} with
 * {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}):
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.openjdk.jmh.Main AuditVerifyBench
 * </pre>
 *
 * <p>JMH runs all of {@code scan} before all of {@code verify}, so on a shared machine a change of
 * load between the two skews the ratio. {@link #main} alternates them instead, pair by pair, and
 * prints each pair's ratio and the medians (same classpath):
 * <pre>
 * java -cp ... dev.airlock.audit.AuditVerifyBench [pairs=8]
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class AuditVerifyBench {
    private static final String[] ACTIONS = {"tenant.create", "config.change", "audit.export", "tool.exec", "workflow.node.run"};

    @Param("1000000")
    public int rows;

    private TenantDb db;
    private Path checkpointFile;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench-verify")).resolve(Integer.toString(rows));
        Files.createDirectories(dir);
        Path file = dir.resolve("airlock.db");
        checkpointFile = dir.resolve("audit.checkpoints");
        if (Files.exists(file) && Files.exists(checkpointFile)) {
            db = TenantDb.open(TenantName.of("bench"), file, false);
            if (db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit").mapTo(Long.class).one()) == rows) {
                check(db, checkpointFile, rows);
                return;
            }
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve("airlock.db-wal"));
        Files.deleteIfExists(dir.resolve("airlock.db-shm"));
        Files.deleteIfExists(checkpointFile);
        db = generate(file, checkpointFile, rows);
        check(db, checkpointFile, rows);
    }

    /** Writes a valid log of {@code rows} rows, checkpoints included, in one transaction. */
    static TenantDb generate(Path file, Path checkpointFile, int rows) throws SQLException, IOException {
        TenantDb db = TenantDb.open(TenantName.of("bench"), file, true);
        String logId = UUID.randomUUID().toString();
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", logId));
        // Checkpoints are signed, as every tenant's are: the verifier checks each signature.
        java.security.KeyPair kp;
        try {
            kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] spki = kp.getPublic().getEncoded();
        byte[] rawKey = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO vault_public_key(purpose, algorithm, public_key, created)"
                + " VALUES ('signing', 'Ed25519', ?, 0)", (Object) rawKey));
        String keyId = SigningKey.keyId(rawKey);
        AuditChain chain = new AuditChain();
        StringBuilder lines = new StringBuilder();
        try (Connection c = transactional(db.openWriterConnection());
                PreparedStatement ins = c.prepareStatement("INSERT INTO audit(seq, time, actor, action, target, outcome,"
                        + " details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement cp = c.prepareStatement(
                        "INSERT INTO audit_checkpoint(seq, time, hash, key_id, signature) VALUES (?, ?, ?, ?, ?)")) {
            String prev = AuditChain.genesis(logId);
            long time = 1_780_000_000_000L;
            for (int seq = 1; seq <= rows; seq++) {
                time += seq % 3;
                boolean checkpoint = seq % 1000 == 0;
                String actor = checkpoint ? "system" : "user";
                String action = checkpoint ? "audit.checkpoint" : ACTIONS[seq % ACTIONS.length];
                String target = checkpoint ? "audit" : String.format("tenant:ops-team-%04d", seq % 10_000);
                String details = checkpoint ? "{\"from_seq\":" + (seq - 999) + ",\"reason\":\"rows\"}"
                        : "{\"bytes\":" + (seq % 65_536) + ",\"dry_run\":" + (seq % 2 == 0) + ",\"reason\":\"scheduled"
                        + " maintenance window " + (seq % 97) + "\",\"request_id\":\"" + new UUID(seq, ~seq) + "\"}";
                String hash = chain.hash(seq, time, actor, action, target, "success", details, prev);
                ins.setLong(1, seq);
                ins.setLong(2, time);
                ins.setString(3, actor);
                ins.setString(4, action);
                ins.setString(5, target);
                ins.setString(6, "success");
                ins.setString(7, details);
                ins.setString(8, prev);
                ins.setString(9, hash);
                ins.executeUpdate();
                if (checkpoint) {
                    String sig = java.util.Base64.getEncoder().encodeToString(
                            sign(kp.getPrivate(), new Checkpoint(logId, seq, hash, time, null, null).signedBytes()));
                    Checkpoint k = new Checkpoint(logId, seq, hash, time, keyId, sig);
                    cp.setLong(1, seq);
                    cp.setLong(2, time);
                    cp.setString(3, hash);
                    cp.setString(4, keyId);
                    cp.setString(5, sig);
                    cp.executeUpdate();
                    lines.append(k.toLine()).append('\n');
                }
                prev = hash;
            }
            c.commit();
        }
        Files.writeString(checkpointFile, lines, StandardCharsets.UTF_8);
        return db;
    }

    private static byte[] sign(java.security.PrivateKey key, byte[] message) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(TenantDb db, Path checkpointFile, int rows) {
        VerifyReport r = AuditVerifier.verify(db, checkpointFile);
        if (!r.intact() || r.rows() != rows) {
            throw new IllegalStateException("the generated log does not verify: " + r);
        }
    }

    /** Alternating scan / verify pairs after one warm-up pair; prints per-pair and median times. */
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        AuditVerifyBench b = new AuditVerifyBench();
        b.rows = 1_000_000;
        b.setUp();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        double[] scan = new double[pairs];
        double[] verify = new double[pairs];
        double[] ratio = new double[pairs];
        System.out.println("pair  scan_ms  verify_ms  verify/scan");
        for (int i = -1; i < pairs; i++) {
            long t0 = System.nanoTime();
            b.scan(bh);
            long t1 = System.nanoTime();
            b.verify();
            long t2 = System.nanoTime();
            if (i < 0) {
                continue;
            }
            scan[i] = (t1 - t0) / 1e6;
            verify[i] = (t2 - t1) / 1e6;
            ratio[i] = verify[i] / scan[i];
            System.out.printf("%4d %8.0f %10.0f %12.2f%n", i + 1, scan[i], verify[i], ratio[i]);
        }
        System.out.printf("median %6.0f %10.0f %12.2f%n", median(scan), median(verify), median(ratio));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The baseline: every column of every row through JDBC, in seq order. */
    @Benchmark
    public long scan(Blackhole bh) throws SQLException {
        long n = 0;
        try (Handle h = db.jdbi().open();
                PreparedStatement ps = h.getConnection().prepareStatement(
                        "SELECT seq, time, actor, action, target, outcome, details, prev_hash, hash FROM audit ORDER BY seq")) {
            ps.setFetchSize(4096);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bh.consume(rs.getLong(1));
                    bh.consume(rs.getLong(2));
                    bh.consume(rs.getString(3));
                    bh.consume(rs.getString(4));
                    bh.consume(rs.getString(5));
                    bh.consume(rs.getString(6));
                    bh.consume(rs.getString(7));
                    bh.consume(rs.getString(8));
                    bh.consume(rs.getString(9));
                    n++;
                }
            }
        }
        if (n != rows) {
            throw new IllegalStateException("scanned " + n + " rows");
        }
        return n;
    }

    @Benchmark
    public VerifyReport verify() {
        VerifyReport r = AuditVerifier.verify(db, checkpointFile);
        if (!r.intact() || r.rows() != rows) {
            throw new IllegalStateException("verify failed: " + r);
        }
        return r;
    }

    /** The writer connection with JDBC-managed transactions, as these bulk loaders expect. */
    static Connection transactional(Connection c) throws java.sql.SQLException {
        c.setAutoCommit(false);
        return c;
    }
}
