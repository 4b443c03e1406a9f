package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.store.TenantName;
import dev.airlock.vault.ContentCipher;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code security.encryption} as the CLI resolves it: {@link Session#contentCipher} in a session
 * built by the real entry point's classes, against a home made by {@code airlock init}. No content
 * table exists yet, so the cipher is exercised directly.
 */
class ContentCipherSessionTest {
    private static final String FAST_KDF = "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n";
    private static final TenantName DEFAULT = TenantName.DEFAULT;

    @TempDir
    Path temp;

    private CliRunner init(String config) throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Files.writeString(cli.configFile(), FAST_KDF + config);
        cli.ok("init");
        return cli;
    }

    /** Runs {@code body} with a session over the runner's environment, closed afterwards as a command's is. */
    private static void withSession(CliRunner cli, Consumer<Session> body) {
        Cli c = new Cli(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.copyOf(cli.env()),
                InputStream.nullInputStream());
        try {
            body.accept(c.root().session());
        } finally {
            c.close();
        }
    }

    private static List<JsonNode> rows(CliRunner cli, String action) {
        return cli.ok("audit", "tail", "-n", "100000", "--json").jsonLines().stream()
                .filter(r -> r.get("action").asText().equals(action)).toList();
    }

    private static byte[] sealWith(CliRunner cli, String text) {
        byte[][] out = new byte[1][];
        withSession(cli, s -> {
            try (ContentCipher c = s.contentCipher(DEFAULT)) {
                out[0] = c.seal("message", "content", "1", text);
            }
        });
        return out[0];
    }

    private static String openWith(CliRunner cli, byte[] sealed) {
        String[] out = new String[1];
        withSession(cli, s -> {
            try (ContentCipher c = s.contentCipher(DEFAULT)) {
                out[0] = c.open("message", "content", "1", sealed);
            }
        });
        return out[0];
    }

    @Test
    void onByDefault_withTheVaultKey_andNoAuditRowForTheDefault() throws Exception {
        CliRunner cli = init("");
        byte[] sealed = sealWith(cli, "a message");
        assertThat(sealed[0]).as("field envelope version 1").isEqualTo((byte) 1);
        assertThat(openWith(cli, sealed)).isEqualTo("a message");
        assertThat(rows(cli, "security.encryption")).isEmpty();
        assertThat(rows(cli, "vault.unlock")).isNotEmpty();
    }

    @Test
    void theKeyFromKeyEnv_needsNoPassword_andOpensWhatTheVaultKeySealed() throws Exception {
        CliRunner cli = init("");
        byte[] sealed = sealWith(cli, "sealed with the vault's key");
        CliRunner.Result exported = cli.ok("secrets", "field-key");
        String key = exported.out().strip();
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(rows(cli, "vault.field_key.export")).hasSize(1);
        assertThat(rows(cli, "vault.field_key.export").toString()).doesNotContain(key);

        cli.env("AIRLOCK_PASSWORD", null).env("AIRLOCK_ENC_KEY", key);
        int unlocks = rows(cli, "vault.unlock").size();
        assertThat(openWith(cli, sealed)).isEqualTo("sealed with the vault's key");
        assertThat(rows(cli, "vault.unlock")).as("no unlock was needed").hasSize(unlocks);
    }

    @Test
    void aConfiguredKeyEnv_isTheVariableRead() throws Exception {
        CliRunner cli = init("security: {encryption: {key_env: SERVICE_CONTENT_KEY}}\n");
        String key = cli.ok("secrets", "field-key").out().strip();
        cli.env("AIRLOCK_PASSWORD", null).env("AIRLOCK_ENC_KEY", key);
        assertThatThrownBy(() -> sealWith(cli, "x")).as("AIRLOCK_ENC_KEY is not the configured variable")
                .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.getMessage()).contains("SERVICE_CONTENT_KEY"));
        cli.env("SERVICE_CONTENT_KEY", key);
        assertThat(openWith(cli, sealWith(cli, "y"))).isEqualTo("y");
    }

    @Test
    void noKeySource_exits7_namingBothWays_beforeWritingAnything() throws Exception {
        CliRunner cli = init("");
        cli.env("AIRLOCK_PASSWORD", null);
        Map<String, String> before = CliRunner.snapshot(cli.home());
        assertThatThrownBy(() -> sealWith(cli, "never stored"))
                .isInstanceOfSatisfying(AirlockException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH);
                    assertThat(e.getMessage()).doesNotContain("\n").contains("tenant 'default'").contains("AIRLOCK_ENC_KEY")
                            .contains("AIRLOCK_PASSWORD_FILE").contains("Nothing was written");
                });
        assertThat(CliRunner.snapshot(cli.home())).isEqualTo(before);
    }

    @Test
    void aKeyEnvThatIsNotAKey_exits2_withoutRepeatingIt() throws Exception {
        CliRunner cli = init("");
        cli.env("AIRLOCK_ENC_KEY", "not-base64-but-a-pasted-password!");
        assertThatThrownBy(() -> sealWith(cli, "x"))
                .isInstanceOfSatisfying(AirlockException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("AIRLOCK_ENC_KEY").doesNotContain("pasted-password");
                });
    }

    @Test
    void anotherTenantsKey_cannotOpenThisTenantsContent_exit7() throws Exception {
        CliRunner cli = init("");
        byte[] sealed = sealWith(cli, "tenant default");
        cli.ok("tenant", "create", "other");
        String otherKey = cli.ok("--tenant", "other", "secrets", "field-key").out().strip();
        cli.env("AIRLOCK_ENC_KEY", otherKey);
        assertThatThrownBy(() -> openWith(cli, sealed))
                .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH));
    }

    @Test
    void turnedOff_storesMarkedPlaintext_andIsAuditedOnce() throws Exception {
        CliRunner cli = init("security: {encryption: {enabled: false}}\n");
        cli.env("AIRLOCK_PASSWORD", null);
        byte[] sealed = sealWith(cli, "visible");
        assertThat(sealed[0]).as("plaintext marker").isEqualTo((byte) 0);
        assertThat(openWith(cli, sealed)).isEqualTo("visible");
        List<JsonNode> mode = rows(cli, "security.encryption");
        assertThat(mode).hasSize(1);
        assertThat(mode.get(0).get("target").asText()).isEqualTo("tenant:default");
        assertThat(mode.get(0).get("details").get("enabled").asBoolean()).isFalse();
        assertThat(mode.get(0).get("details").get("key_source").asText()).contains("plaintext");
        cli.ok("audit", "verify");
    }

    @Test
    void turningItBackOn_isAuditedToo_andEachModeRefusesTheOthersValues() throws Exception {
        CliRunner cli = init("security: {encryption: {enabled: false}}\n");
        byte[] plain = sealWith(cli, "written in plaintext");
        Files.writeString(cli.configFile(), FAST_KDF);
        byte[] encrypted = sealWith(cli, "written encrypted");
        List<JsonNode> mode = rows(cli, "security.encryption");
        assertThat(mode).extracting(r -> r.get("details").get("enabled").asBoolean()).containsExactly(false, true);
        assertThat(mode.get(1).get("details").get("key_source").asText()).isEqualTo("vault");
        assertThatThrownBy(() -> openWith(cli, plain))
                .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INTEGRITY));
        Files.writeString(cli.configFile(), FAST_KDF + "security: {encryption: {enabled: false}}\n");
        assertThatThrownBy(() -> openWith(cli, encrypted))
                .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH));
        assertThat(rows(cli, "security.encryption")).hasSize(3);
    }
}
