package dev.airlock.vault;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Unlock time (deliberately slow: the KDF is the defence against offline guessing) and secret read
 * latency after unlock, on the real tenant store and audit writer. Baselines in the same run: unlock
 * with the OWASP minimum parameters, and a read that authenticates and decrypts without writing its
 * audit row (what the audit row's durable commit costs), and the decryption alone of a row already in
 * memory (what the database read costs).
 *
 * <p>Run:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.openjdk.jmh.Main VaultBenchmark -f 1 -wi 1 -i 3 -w 5s -r 5s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
public class VaultBenchmark {

    /** A tenant with a vault, its database in a temporary directory. */
    public abstract static class Tenant {
        Path dir;
        TenantDb db;
        AuditLog audit;
        Vault vault;

        abstract KdfParams params();

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("airlock-vault-bench");
            Path checkpoints = dir.resolve("audit.checkpoints");
            AuditLogs.createCheckpointFile(checkpoints);
            db = TenantDb.open(TenantName.of("bench"), dir.resolve("airlock.db"), true);
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
            audit = AuditLogs.open(db, checkpoints, AuditOptions.builder().build());
            vault = Vault.builder().tenant("bench").jdbi(db.jdbi()).audit(audit).build();
            try (UnlockedVault v = vault.initialize("benchmark password".toCharArray(), params())) {
                v.set("OPENAI_API_KEY", SecretBytes.copyOf("sk-benchmark-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            audit.close();
            db.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The default parameters: Argon2id 64 MiB, t=3, p=4. */
    @State(Scope.Benchmark)
    public static class DefaultKdf extends Tenant {
        @Override
        KdfParams params() {
            return KdfParams.defaults();
        }
    }

    /** The OWASP minimum: Argon2id 19 MiB, t=2, p=1. */
    @State(Scope.Benchmark)
    public static class MinimumKdf extends Tenant {
        @Override
        KdfParams params() {
            return KdfParams.argon2id(KdfParams.ARGON2_MIN_MEMORY_KIB, KdfParams.ARGON2_MIN_ITERATIONS, 1);
        }
    }

    /** An unlocked session for read latency. */
    @State(Scope.Benchmark)
    public static class Unlocked extends MinimumKdf {
        UnlockedVault session;
        UnlockedVault.StoredEntry row;

        @Setup(Level.Trial)
        public void unlock() {
            session = vault.unlock("benchmark password".toCharArray());
            row = session.load("OPENAI_API_KEY").orElseThrow();
        }

        @TearDown(Level.Trial)
        public void lock() {
            session.close();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public boolean unlockWithDefaultKdf(DefaultKdf t) {
        try (UnlockedVault v = t.vault.unlock("benchmark password".toCharArray())) {
            return v.isClosed();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public boolean unlockWithMinimumKdf(MinimumKdf t) {
        try (UnlockedVault v = t.vault.unlock("benchmark password".toCharArray())) {
            return v.isClosed();
        }
    }

    /** A reveal: read, authenticate, decrypt, and a durable audit row before the value is returned. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int getAfterUnlock(Unlocked t) {
        try (SecretBytes s = t.session.get("OPENAI_API_KEY")) {
            return s.size();
        }
    }

    /** Baseline: authentication and decryption of a row already in memory (AES-256-GCM only). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int decryptLoadedRow(Unlocked t) {
        byte[] plain = t.session.decrypt(t.row, false);
        Crypto.wipe(plain);
        return plain.length;
    }

    /** Baseline: the same read and decryption without the audit row. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int decryptWithoutAudit(Unlocked t) {
        byte[] plain = t.session.decrypt(t.session.load("OPENAI_API_KEY").orElseThrow(), false);
        Crypto.wipe(plain);
        return plain.length;
    }
}
