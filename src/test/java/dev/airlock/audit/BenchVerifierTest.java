package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier after its performance work (rows read on a second thread in batches of 1024): the
 * same first break, named with the same words, wherever it falls relative to a batch boundary.
 */
class BenchVerifierTest {
    private static final int ROWS = 3_000;

    @TempDir
    Path dir;

    private TenantDb db;
    private Path cpFile;

    @BeforeEach
    void generate() throws Exception {
        db = TenantDb.open(TenantName.of("bench"), dir.resolve("airlock.db"), true);
        String logId = UUID.randomUUID().toString();
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", logId));
        cpFile = dir.resolve("audit.checkpoints");
        // The tenant's signing key, as the vault stores its public half: every checkpoint is signed.
        java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = kp.getPublic().getEncoded();
        byte[] rawKey = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO vault_public_key(purpose, algorithm, public_key, created)"
                + " VALUES ('signing', 'Ed25519', ?, 0)", (Object) rawKey));
        String keyId = SigningKey.keyId(rawKey);
        StringBuilder lines = new StringBuilder();
        AuditChain chain = new AuditChain();
        try (Connection c = transactional(db.openWriterConnection());
                PreparedStatement ins = c.prepareStatement("INSERT INTO audit(seq, time, actor, action, target, outcome,"
                        + " details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement cp = c.prepareStatement("INSERT INTO audit_checkpoint(seq, time, hash, key_id, signature)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            String prev = AuditChain.genesis(logId);
            for (int seq = 1; seq <= ROWS; seq++) {
                long time = 1_780_000_000_000L + seq;
                String details = "{\"n\":" + seq + ",\"note\":\"é 😀\"}";
                String hash = chain.hash(seq, time, "user", "tool.exec", "tenant:t" + seq, "success", details, prev);
                Object[] v = {seq, time, "user", "tool.exec", "tenant:t" + seq, "success", details, prev, hash};
                for (int i = 0; i < v.length; i++) {
                    ins.setObject(i + 1, v[i]);
                }
                ins.executeUpdate();
                if (seq % 1000 == 0) {
                    byte[] message = new Checkpoint(logId, seq, hash, time, null, null).signedBytes();
                    String sig = java.util.Base64.getEncoder().encodeToString(AuditFixture.sign(kp.getPrivate(), message));
                    cp.setLong(1, seq);
                    cp.setLong(2, time);
                    cp.setString(3, hash);
                    cp.setString(4, keyId);
                    cp.setString(5, sig);
                    cp.executeUpdate();
                    lines.append(new Checkpoint(logId, seq, hash, time, keyId, sig).toLine()).append('\n');
                }
                prev = hash;
            }
            c.commit();
        }
        Files.writeString(cpFile, lines, StandardCharsets.UTF_8);
    }

    private void sql(String... statements) {
        db.jdbi().useHandle(h -> {
            h.execute("DROP TRIGGER IF EXISTS audit_append_only_update");
            h.execute("DROP TRIGGER IF EXISTS audit_append_only_delete");
            h.execute("DROP TRIGGER IF EXISTS audit_checkpoint_append_only_delete");
            for (String s : statements) {
                h.execute(s);
            }
        });
    }

    private VerifyReport.Break firstBreak() {
        VerifyReport r = AuditVerifier.verify(db, cpFile);
        assertThat(r.firstBreak()).as(r.toString()).isPresent();
        return r.firstBreak().get();
    }

    @Test
    void intactLog_verifiesEveryRow() {
        VerifyReport r = AuditVerifier.verify(db, cpFile);
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.rows()).isEqualTo(ROWS);
        assertThat(r.checkpoints()).isEqualTo(3);
    }

    @Test
    void editedRow_afterABatchBoundary_isNamed() {
        sql("UPDATE audit SET target = 'tenant:evil' WHERE seq = 1025");
        assertThat(firstBreak()).isEqualTo(new VerifyReport.Break(1025, "row-edited",
                "row 1025: its contents do not match its hash: the row was edited (or moved from another position)"));
    }

    @Test
    void deletedRows_atABatchBoundary_areNamed() {
        sql("DELETE FROM audit WHERE seq IN (2048, 2049)");
        assertThat(firstBreak()).isEqualTo(new VerifyReport.Break(2048, "row-deleted",
                "rows 2048 to 2049 are missing (seq jumps from 2047 to 2050): rows were deleted"));
    }

    @Test
    void nonHexHash_isNamed() {
        sql("UPDATE audit SET hash = 'xyz' WHERE seq = 1024");
        assertThat(firstBreak()).isEqualTo(new VerifyReport.Break(1024, "row-edited",
                "row 1024: its hash fields are not SHA-256 hex values: the row was edited"));
    }

    @Test
    void firstRowPointingElsewhere_isNamedAgainstTheGenesis() throws Exception {
        // Row 1 rewritten with a consistent hash but a foreign prev_hash.
        AuditChain chain = new AuditChain();
        String prev = "0".repeat(64);
        String details = "{\"n\":1,\"note\":\"é 😀\"}";
        String hash = chain.hash(1, 1_780_000_000_001L, "user", "tool.exec", "tenant:t1", "success", details, prev);
        sql("UPDATE audit SET prev_hash = '" + prev + "', hash = '" + hash + "' WHERE seq = 1");
        assertThat(firstBreak()).isEqualTo(new VerifyReport.Break(1, "chain-broken", "row 1: prev_hash does not match"
                + " the genesis value of this log: a row was inserted, deleted or reordered here"));
    }

    @Test
    void truncatedTail_isNamed() {
        sql("DELETE FROM audit_checkpoint WHERE seq = 3000", "DELETE FROM audit WHERE seq > 2500");
        assertThat(firstBreak()).isEqualTo(new VerifyReport.Break(2501, "tail-truncated", "the log ends at row 2500 but a"
                + " checkpoint vouches for row 3000: rows were removed from the end or an older copy of the database was"
                + " restored"));
    }

    /** The writer connection with JDBC-managed transactions, as these bulk loaders expect. */
    static Connection transactional(Connection c) throws java.sql.SQLException {
        c.setAutoCommit(false);
        return c;
    }
}
