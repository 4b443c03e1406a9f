package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock audit verify} end to end on a real home: the tenant's first checkpoint is signed at
 * creation, {@code --fingerprint} pins the key, {@code audit.witness} receives every checkpoint line
 * and {@code --witness} catches a rollback that the tenant's own files no longer show.
 */
class AuditVerifyCommandTest {
    @TempDir
    Path temp;

    @Test
    void init_writesTheTenantsFirstSignedCheckpoint() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        List<String[]> cps = checkpoints(cli);
        assertThat(cps).isNotEmpty();
        assertThat(cps).allSatisfy(c -> assertThat(c[1]).as("key_id of checkpoint " + c[0]).isNotNull());
        JsonNode r = cli.ok("audit", "verify", "--json").json();
        assertThat(r.get("intact").asBoolean()).isTrue();
        assertThat(r.get("signed_checkpoints").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void verify_withTheTenantsFingerprint_passes_inAnySpelling() {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        String fp = cli.ok("identity", "show", "--json").json().get("signing_ed25519").asText();
        cli.ok("audit", "verify", "--fingerprint", fp);
        cli.ok("audit", "verify", "--fingerprint", fp.replace(":", "").toUpperCase());
    }

    @Test
    void verify_withAnotherFingerprint_exits3_keyMismatch() {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        var r = cli.run("audit", "verify", "--json", "--fingerprint", "00".repeat(32));
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.json().get("break").get("kind").asText()).isEqualTo("key-mismatch");
    }

    @Test
    void verify_withAMalformedFingerprint_isAUsageError() {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        assertThat(cli.run("audit", "verify", "--fingerprint", "not-a-fingerprint").code()).isEqualTo(2);
    }

    @Test
    void swappedKey_isCaughtByThePinnedFingerprint_beforeAnythingElse() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        String fp = cli.ok("identity", "show", "--json").json().get("signing_ed25519").asText();
        sql(cli, "UPDATE vault_public_key SET public_key = x'" + java.util.HexFormat.of().formatHex(
                java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded(), 12, 44)
                + "' WHERE purpose = 'signing'");
        var unpinned = cli.run("audit", "verify", "--json");
        assertThat(unpinned.code()).isEqualTo(3);
        assertThat(unpinned.json().get("break").get("kind").asText()).isEqualTo("checkpoint-signature-invalid");
        var pinned = cli.run("audit", "verify", "--json", "--fingerprint", fp);
        assertThat(pinned.json().get("break").get("kind").asText()).isEqualTo("key-mismatch");
    }

    @Test
    void missingKeyRow_withSignedCheckpoints_exits3_keyMissing() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        sql(cli, "DELETE FROM vault_public_key WHERE purpose = 'signing'");
        var r = cli.run("audit", "verify", "--json");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.json().get("break").get("kind").asText()).isEqualTo("key-missing");
    }

    @Test
    void witness_receivesEveryCheckpointLine_andCatchesAConsistentRollback() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Path witness = temp.resolve("other-disk").resolve("airlock.witness");
        Files.createDirectories(witness.getParent());
        Files.createDirectories(cli.configFile().getParent());
        Files.writeString(cli.configFile(), "audit:\n  witness: " + witness + "\n");
        cli.ok("init");
        Path tenant = cli.home().resolve("tenants/default");
        assertThat(Files.readString(witness)).isEqualTo(Files.readString(tenant.resolve("audit.checkpoints")));
        cli.ok("audit", "verify", "--witness", witness.toString());

        // A consistent older copy of the tenant: database and checkpoint file together.
        Path backup = Files.createDirectories(temp.resolve("backup"));
        sql(cli, "PRAGMA wal_checkpoint(TRUNCATE)");
        Files.copy(tenant.resolve("airlock.db"), backup.resolve("airlock.db"));
        Files.copy(tenant.resolve("audit.checkpoints"), backup.resolve("audit.checkpoints"));
        cli.ok("audit", "seal");
        cli.ok("secrets", "list");
        cli.ok("audit", "seal");
        assertThat(Files.readAllLines(witness)).hasSizeGreaterThan(Files.readAllLines(backup.resolve("audit.checkpoints")).size());
        for (String f : List.of("airlock.db-wal", "airlock.db-shm")) {
            Files.deleteIfExists(tenant.resolve(f));
        }
        Files.copy(backup.resolve("airlock.db"), tenant.resolve("airlock.db"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(backup.resolve("audit.checkpoints"), tenant.resolve("audit.checkpoints"), StandardCopyOption.REPLACE_EXISTING);

        cli.ok("audit", "verify"); // nothing inside the tenant shows the rollback
        var r = cli.run("audit", "verify", "--json", "--witness", witness.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.json().get("break").get("kind").asText()).isEqualTo("witness-rollback");
    }

    @Test
    void witness_thatIsMissing_exits3() {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        var r = cli.run("audit", "verify", "--json", "--witness", temp.resolve("nowhere").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.json().get("break").get("kind").asText()).isEqualTo("witness-missing");
    }

    @Test
    void syslogWitness_isAccepted_andNeverFailsTheCommand() {
        CliRunner cli = CliRunner.in(temp);
        write(cli, "audit:\n  witness: [syslog]\n");
        cli.ok("init");
        cli.ok("audit", "verify");
    }

    @Test
    void witness_thatIsNotAnAbsolutePathOrSyslog_isAConfigError() {
        CliRunner cli = CliRunner.in(temp);
        write(cli, "audit:\n  witness: relative/file\n");
        var r = cli.run("init");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("witness");
    }

    private static void write(CliRunner cli, String config) {
        try {
            Files.createDirectories(cli.configFile().getParent());
            Files.writeString(cli.configFile(), config);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String[]> checkpoints(CliRunner cli) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cli.tenantDb("default"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq, key_id FROM audit_checkpoint ORDER BY seq")) {
            List<String[]> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            return out;
        }
    }

    private static void sql(CliRunner cli, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cli.tenantDb("default"));
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
