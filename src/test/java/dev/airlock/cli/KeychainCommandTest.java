package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.vault.SecretServiceFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock secrets keychain enable|disable|status}, {@code passwd} and {@code doctor} against a
 * real Secret Service (GNOME Keyring on a private bus), and on a headless machine without one.
 */
class KeychainCommandTest {
    private static SecretServiceFixture service;

    @TempDir
    Path temp;

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    private static synchronized SecretServiceFixture service() {
        if (service == null) {
            service = SecretServiceFixture.start();
        }
        return service;
    }

    /** An initialised home whose commands can reach the Secret Service, logging at debug level. */
    private CliRunner withKeychain() throws IOException {
        CliRunner cli = CliRunner.in(temp);
        service().env().forEach(cli::env);
        Files.writeString(cli.configFile(), "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n"
                + "logging: {level: debug}\n");
        cli.ok("init");
        return cli;
    }

    private static List<JsonNode> rows(CliRunner cli, String action) {
        return cli.ok("audit", "tail", "-n", "100000", "--json").jsonLines().stream()
                .filter(r -> r.get("action").asText().equals(action)).toList();
    }

    @Test
    void enable_thenCommandsUnlockWithoutThePassword_untilDisable() throws IOException {
        CliRunner cli = withKeychain();
        cli.runWithInput("a value\n", "secrets", "set", "API_KEY", "--stdin");
        JsonNode before = cli.ok("--json", "secrets", "keychain", "status").json();
        assertThat(before.get("state").asText()).isEqualTo("available");
        assertThat(before.get("enabled").asBoolean()).isFalse();

        CliRunner.Result enabled = cli.ok("secrets", "keychain", "enable");
        assertThat(enabled.err()).contains("now unlocks from the Secret Service (secret-tool)");
        assertThat(cli.ok("--json", "secrets", "keychain", "status").json().get("enabled").asBoolean()).isTrue();
        assertThat(cli.ok("doctor").out()).containsPattern("ok +keychain +available \\(Secret Service \\(secret-tool\\)\\); "
                + "enabled for tenant 'default'");

        cli.env("AIRLOCK_PASSWORD", null);
        assertThat(cli.ok("secrets", "get", "API_KEY", "--reveal").out().strip()).isEqualTo("a value");
        assertThat(rows(cli, "vault.unlock").getLast().get("details").get("source").asText()).isEqualTo("keychain");
        assertThat(rows(cli, "vault.keychain.enable")).hasSize(1);

        cli.ok("secrets", "keychain", "disable");
        assertThat(rows(cli, "vault.keychain.disable").getLast().get("details").get("entry_removed").asBoolean()).isTrue();
        CliRunner.Result locked = cli.run("secrets", "get", "API_KEY", "--reveal");
        assertThat(locked.code()).isEqualTo(7);
        assertThat(locked.oneLineError()).contains("AIRLOCK_PASSWORD_FILE");
        cli.ok("audit", "verify");
    }

    @Test
    void passwd_refreshesTheEntry_soTheKeychainKeepsWorking() throws IOException {
        CliRunner cli = withKeychain();
        cli.ok("secrets", "keychain", "enable");
        Path newPassword = temp.resolve("new-password");
        Files.writeString(newPassword, "a brand new password\n");
        CliRunner.Result changed = cli.ok("secrets", "passwd", "--new-password-file", newPassword.toString());
        assertThat(changed.err()).contains("Updated the key in the Secret Service");
        assertThat(rows(cli, "vault.keychain.refresh")).hasSize(1);
        cli.env("AIRLOCK_PASSWORD", null);
        cli.ok("secrets", "list");
        assertThat(cli.ok("audit", "seal").code()).isZero();
        assertThat(rows(cli, "vault.unlock").getLast().get("details").get("source").asText()).isEqualTo("keychain");
    }

    @Test
    void turnedOffByEnvOrConfig_enableIsRefused_andUnlockUsesThePassword() throws IOException {
        CliRunner cli = withKeychain();
        cli.ok("secrets", "keychain", "enable");

        cli.env("AIRLOCK_NO_KEYCHAIN", "1");
        CliRunner.Result refused = cli.run("secrets", "keychain", "enable");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.oneLineError()).contains("turned off by AIRLOCK_NO_KEYCHAIN");
        assertThat(cli.ok("secrets", "keychain", "status").out()).startsWith("off: turned off by AIRLOCK_NO_KEYCHAIN");
        cli.env("AIRLOCK_PASSWORD", null);
        assertThat(cli.run("audit", "seal").code()).as("the keychain is not asked").isEqualTo(7);

        cli.env("AIRLOCK_NO_KEYCHAIN", null);
        Files.writeString(cli.configFile(), "vault: {keychain: false, memory_kib: 19456, iterations: 2, parallelism: 1}\n");
        assertThat(cli.run("audit", "seal").code()).isEqualTo(7);
        assertThat(cli.ok("secrets", "keychain", "status").out()).startsWith("off: turned off by vault.keychain: false in "
                + cli.configFile());
    }

    @Test
    void headless_statusAndDoctorSayUnavailable_enableExits1_andThePasswordStillWorks() {
        CliRunner cli = CliRunner.in(temp);
        cli.env("PATH", System.getenv("PATH"));
        cli.ok("init");
        CliRunner.Result status = cli.ok("secrets", "keychain", "status");
        assertThat(status.out()).startsWith("unavailable: no D-Bus session bus");
        assertThat(cli.ok("doctor").out()).containsPattern("ok +keychain +unavailable: no D-Bus session bus");
        CliRunner.Result enable = cli.run("secrets", "keychain", "enable");
        assertThat(enable.code()).isEqualTo(1);
        assertThat(enable.oneLineError()).contains("the OS keychain is unavailable here: no D-Bus session bus");
        assertThat(rows(cli, "vault.keychain.enable")).isEmpty();
        cli.ok("audit", "seal");
    }

    @Test
    void theKeyEncryptionKey_appearsNowhere_butInTheKeychain() throws IOException {
        CliRunner cli = withKeychain();
        cli.ok("secrets", "keychain", "enable");
        Path newPassword = temp.resolve("new-password");
        Files.writeString(newPassword, "another password\n");
        StringBuilder output = new StringBuilder();
        for (String[] args : new String[][] {{"secrets", "keychain", "status"}, {"secrets", "passwd", "--new-password-file",
            newPassword.toString()}, {"--debug", "audit", "seal"}, {"doctor"}, {"audit", "export", "--format", "jsonl"}}) {
            CliRunner.Result r = cli.run(args);
            output.append(r.out()).append(r.err());
        }
        List<String> stored = service().storedAirlockSecrets(cli.home().toString());
        assertThat(stored).hasSize(1);
        byte[] kek = HexFormat.of().parseHex(stored.get(0));
        List<String> forms = List.of(stored.get(0), stored.get(0).toUpperCase(), Base64.getEncoder().encodeToString(kek),
                Base64.getUrlEncoder().withoutPadding().encodeToString(kek), new String(kek, StandardCharsets.ISO_8859_1));
        List<Path> files;
        try (Stream<Path> all = Files.walk(temp)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.toString().endsWith("airlock.log"));
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String form : forms) {
                if (content.contains(form)) {
                    fail("the KEK (" + form.length() + " chars) appears in " + temp.relativize(f));
                }
            }
        }
        for (String form : forms) {
            if (output.toString().contains(form)) {
                fail("the KEK (" + form.length() + " chars) appears in command output");
            }
        }
    }
}
