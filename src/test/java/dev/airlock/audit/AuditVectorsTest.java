package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.independent.IndependentVerifier;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vectors shipped in {@code docs/audit-vectors/} against both verifiers, one test per tamper
 * class: the shipped files are exactly what {@link AuditVectors} regenerates (so they cannot rot),
 * {@link AuditVerifier} gives the expected verdict when the vector is loaded into a real tenant
 * database, and so does the {@link IndependentVerifier} written from the format document alone.
 *
 * <p>To rewrite the shipped files after a deliberate change:
 * {@code mvn -o test -Dtest=AuditVectorsTest -Daudit.vectors.write=true}.
 */
class AuditVectorsTest {
    static final Path SHIPPED = Path.of("docs", "audit-vectors");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> vectors_agreeWithBothVerifiers() throws Exception {
        List<AuditVectors.Vector> vectors = AuditVectors.all(Files.createDirectories(tmp.resolve("base")));
        if (Boolean.getBoolean("audit.vectors.write")) {
            write(vectors);
        }
        Stream<DynamicTest> all = Stream.of(DynamicTest.dynamicTest("the shipped vectors are exactly the generated ones",
                () -> assertThat(listing(SHIPPED)).containsExactlyElementsOf(vectors.stream().map(AuditVectors.Vector::name)
                        .toList())));
        return Stream.concat(all, vectors.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> check(v))));
    }

    @TestFactory
    Stream<DynamicTest> vectors_coverEveryTamperKind() throws Exception {
        List<AuditVectors.Vector> vectors = AuditVectors.all(Files.createDirectories(tmp.resolve("base")));
        List<String> kinds = List.of("intact", "log-id-missing", "key-invalid", "key-mismatch", "checkpoint-file-missing",
                "checkpoint-file-edited", "checkpoint-table-edited", "row-deleted", "row-edited", "chain-broken",
                "tail-truncated", "checkpoint-mismatch", "key-missing", "checkpoint-signature-invalid",
                "checkpoint-signature-missing", "witness-missing", "witness-mismatch", "witness-rollback", "rows-uncovered");
        return kinds.stream().map(k -> DynamicTest.dynamicTest(k, () -> assertThat(vectors).as("vectors of kind " + k)
                .anyMatch(v -> v.kind().equals(k))));
    }

    private void check(AuditVectors.Vector v) throws Exception {
        Path dir = SHIPPED.resolve(v.name());
        Map<String, byte[]> expected = v.files();
        assertThat(listing(dir)).as("files of " + dir).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertThat(Files.readAllBytes(dir.resolve(e.getKey()))).as(dir.resolve(e.getKey()) + " (regenerate with"
                    + " -Daudit.vectors.write=true after a deliberate change)").isEqualTo(e.getValue());
        }
        VerifyReport r = airlock(v, dir);
        String kind = r.firstBreak().map(VerifyReport.Break::kind).orElse("intact");
        long seq = r.firstBreak().map(VerifyReport.Break::seq).orElse(0L);
        assertThat(kind + " " + seq).as("AuditVerifier: " + r).isEqualTo(v.kind() + " " + v.seq());
        r.firstBreak().ifPresent(b -> assertThat(b.message()).doesNotContain("\n"));
        IndependentVerifier.Verdict iv = IndependentVerifier.verify(dir, new IndependentVerifier.Params(v.now(), v.everyRows(),
                v.everyMinutes(), v.fingerprint(), v.witness() ? dir.resolve("witness.checkpoints") : null));
        assertThat(iv.kind() + " " + iv.seq()).as("IndependentVerifier").isEqualTo(v.kind() + " " + v.seq());
    }

    /** Loads the vector into a real tenant database (triggers dropped, as an attacker would) and verifies it. */
    private VerifyReport airlock(AuditVectors.Vector v, Path dir) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("db-" + v.name()));
        Path dbFile = work.resolve("airlock.db");
        TenantDb.open(TenantName.of("vectors"), dbFile, true).close();
        VectorLog log = v.log();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile); Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = OFF");
            for (String t : List.of("audit_append_only_update", "audit_append_only_delete",
                    "audit_checkpoint_append_only_update", "audit_checkpoint_append_only_delete")) {
                st.execute("DROP TRIGGER IF EXISTS " + t);
            }
            if (log.logId != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta(key, value) VALUES ('log_id', ?)")) {
                    ps.setString(1, log.logId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (VectorLog.Row r : log.rows) {
                    Object[] vals = {r.seq, r.time, r.actor, r.action, r.target, r.outcome, r.details, r.prevHash, r.hash};
                    for (int i = 0; i < vals.length; i++) {
                        ps.setObject(i + 1, vals[i]);
                    }
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint VALUES (?, ?, ?, ?, ?)")) {
                for (VectorLog.Cp cp : log.table) {
                    ps.setLong(1, cp.seq);
                    ps.setLong(2, cp.time);
                    ps.setString(3, cp.hash);
                    ps.setString(4, cp.keyId);
                    ps.setString(5, cp.signature);
                    ps.executeUpdate();
                }
            }
            if (log.key != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO vault_public_key(purpose, algorithm, public_key, created) VALUES ('signing', ?, ?, 0)")) {
                    ps.setString(1, log.key.algorithm);
                    ps.setBytes(2, log.key.publicKey);
                    ps.executeUpdate();
                }
            }
        }
        Path cpFile = work.resolve("audit.checkpoints");
        if (log.file != null) {
            Files.write(cpFile, log.file);
        }
        VerifyOptions.Builder b = VerifyOptions.builder()
                .settings(new AuditSettings(v.everyRows(), v.everyMinutes(), null))
                .clock(Clock.fixed(Instant.ofEpochMilli(v.now()), ZoneOffset.UTC));
        if (v.fingerprint() != null) {
            b.fingerprint(v.fingerprint());
        }
        if (v.witness()) {
            b.witness(dir.resolve("witness.checkpoints"));
        }
        try (TenantDb db = TenantDb.open(TenantName.of("vectors"), dbFile, false)) {
            return AuditVerifier.verify(db, cpFile, b.build());
        }
    }

    private static List<String> listing(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals("README.md")).map(p -> p.getFileName().toString())
                    .sorted().toList();
        }
    }

    private static void write(List<AuditVectors.Vector> vectors) throws Exception {
        if (Files.isDirectory(SHIPPED)) {
            try (Stream<Path> s = Files.walk(SHIPPED)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!p.equals(SHIPPED) && !p.getFileName().toString().equals("README.md")) {
                        Files.delete(p);
                    }
                }
            }
        }
        for (AuditVectors.Vector v : vectors) {
            Path dir = Files.createDirectories(SHIPPED.resolve(v.name()));
            for (Map.Entry<String, byte[]> e : new TreeMap<>(v.files()).entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        }
    }
}
