package dev.airlock.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditEvent;
import dev.airlock.home.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS keychain as an unlock source, against a real Secret Service (GNOME Keyring on a private
 * D-Bus session bus, see {@link SecretServiceFixture}) and against its absence.
 */
class KeychainTest {
    private static final String PASSWORD = "keychain test password";
    private static SecretServiceFixture service;

    @TempDir
    Path temp;

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    private String home() {
        return temp.resolve("home").toString();
    }

    /** Started by the first test that needs it, so the headless tests run even where it cannot. */
    private static synchronized SecretServiceFixture service() {
        if (service == null) {
            service = SecretServiceFixture.start();
        }
        return service;
    }

    private Keychain keychain() {
        return Keychain.detect(service().env(), home(), "Linux");
    }

    private static List<String> actions(TestTenant t) {
        return t.audit.events().stream().map(e -> e.action() + ":" + e.outcome()).toList();
    }

    /** The KEK recomputed from the password and the stored header, independently of Vault. */
    private static byte[] expectedKek(TestTenant t, String password) {
        VaultHeader h = t.jdbi.withHandle(VaultHeader::load).orElseThrow();
        byte[] master = Kdf.derive(KdfParams.decode(h.kdf, h.kdfParams), password.getBytes(StandardCharsets.UTF_8), h.salt);
        return Crypto.hkdf(master, Vault.KEK_INFO, Crypto.KEY_BYTES);
    }

    @Test
    void enable_storesTheKeyEncryptionKey_notThePasswordNorTheDataKey() {
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        try (UnlockedVault u = t.vault.enableKeychain(TestTenant.password(PASSWORD), keychain())) {
            assertThat(u.isClosed()).isFalse();
        }
        assertThat(t.vault.keychainEnabled()).isTrue();
        List<String> stored = service().storedAirlockSecrets(home());
        assertThat(stored).hasSize(1);
        String hexKek = HexFormat.of().formatHex(expectedKek(t, PASSWORD));
        assertThat(stored.get(0).equals(hexKek)).as("the keychain holds exactly the KEK, as hex").isTrue();
        assertThat(stored.get(0).contains(HexFormat.of().formatHex(PASSWORD.getBytes(StandardCharsets.UTF_8)))).isFalse();
        AuditEvent enable = t.audit.events().stream().filter(e -> e.action().equals("vault.keychain.enable")).findFirst()
                .orElseThrow();
        assertThat(enable.details()).containsEntry("keychain", "Secret Service (secret-tool)");
        assertThat(t.audit.events().toString()).doesNotContain(hexKek);
    }

    @Test
    void unlockFromKeychain_opensTheVaultWithoutThePassword_andIsAudited() {
        TestTenant t = new TestTenant(temp, "default");
        try (UnlockedVault u = t.init(PASSWORD)) {
            u.set("API_KEY", TestTenant.secret("value-from-before"));
        }
        t.vault.enableKeychain(TestTenant.password(PASSWORD), keychain()).close();
        try (UnlockedVault u = t.vault.unlockFromKeychain(keychain()).orElseThrow();
                SecretBytes v = u.get("API_KEY")) {
            assertThat(TestTenant.reveal(v)).isEqualTo("value-from-before");
        }
        AuditEvent unlock = t.audit.events().stream().filter(e -> e.action().equals("vault.unlock")).toList().getLast();
        assertThat(unlock.outcome()).isEqualTo("success");
        assertThat(unlock.details()).containsEntry("source", "keychain");
    }

    @Test
    void passwordChange_refreshesTheEntry_andTheOldKeyIsGone() {
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        Keychain k = keychain();
        try (UnlockedVault u = t.vault.enableKeychain(TestTenant.password(PASSWORD), k)) {
            u.changePassword(TestTenant.password("the new password"), TestTenant.MIN_KDF, k);
        }
        assertThat(actions(t)).contains("vault.password.change:success", "vault.keychain.refresh:success");
        List<String> stored = service().storedAirlockSecrets(home());
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).equals(HexFormat.of().formatHex(expectedKek(t, "the new password")))).isTrue();
        assertThat(t.vault.unlockFromKeychain(k)).isPresent().get().satisfies(UnlockedVault::close);
        assertThat(t.vault.keychainEnabled()).isTrue();
    }

    @Test
    void passwordChange_whenTheKeychainCannotTakeTheKey_turnsKeychainUnlockOff() {
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        try (UnlockedVault u = t.vault.enableKeychain(TestTenant.password(PASSWORD), keychain())) {
            u.changePassword(TestTenant.password("the new password"), TestTenant.MIN_KDF, Keychain.off("off for this test"));
        }
        assertThat(t.vault.keychainEnabled()).isFalse();
        AuditEvent disable = t.audit.events().getLast();
        assertThat(disable.action()).isEqualTo("vault.keychain.disable");
        assertThat(disable.details()).containsEntry("entry_removed", false).containsKey("reason");
        // The old entry no longer matches the header: even if asked, it would be a miss.
        assertThat(keychain().lookup("default", Vault.headerId(t.jdbi.withHandle(VaultHeader::load).orElseThrow())))
                .isEmpty();
    }

    @Test
    void staleEntry_fallsBackToThePassword_andIsAudited() {
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        t.vault.enableKeychain(TestTenant.password(PASSWORD), keychain()).close();
        String headerId = Vault.headerId(t.jdbi.withHandle(VaultHeader::load).orElseThrow());
        // Someone replaced the entry with another key under the same attributes.
        service().store("00".repeat(32), "application", "airlock", "airlock-home", temp.resolve("home").toString(),
                "airlock-tenant", "default", "airlock-vault", headerId);
        assertThat(t.vault.unlockFromKeychain(keychain())).isEmpty();
        AuditEvent last = t.audit.events().getLast();
        assertThat(last.action() + ":" + last.outcome()).isEqualTo("vault.unlock:failure");
        assertThat(last.details()).containsEntry("reason", "keychain-stale");
        t.vault.unlock(TestTenant.password(PASSWORD)).close();
    }

    @Test
    void disable_removesTheEntry_andUnlockNoLongerAsksTheKeychain() {
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        t.vault.enableKeychain(TestTenant.password(PASSWORD), keychain()).close();
        assertThat(t.vault.disableKeychain(keychain())).isEmpty();
        assertThat(t.vault.keychainEnabled()).isFalse();
        assertThat(service().storedAirlockSecrets(home())).isEmpty();
        assertThat(t.vault.unlockFromKeychain(keychain())).isEmpty();
        assertThat(t.audit.events().getLast().details()).containsEntry("entry_removed", true);
    }

    @Test
    void enable_withAWrongPassword_exits7_andStoresNothing() {
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        char[] wrong = TestTenant.password("not the password");
        assertThatThrownBy(() -> t.vault.enableKeychain(wrong, keychain()))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH));
        assertThat(wrong).containsOnly('\0');
        assertThat(t.vault.keychainEnabled()).isFalse();
        assertThat(service().storedAirlockSecrets(home())).isEmpty();
    }

    @Test
    void keyringThatStopsAnsweringAfterEnable_unlockFallsBackSilently() {
        try (SecretServiceFixture own = SecretServiceFixture.start()) {
            TestTenant t = new TestTenant(temp, "default");
            t.init(PASSWORD).close();
            t.vault.enableKeychain(TestTenant.password(PASSWORD), Keychain.detect(own.env(), "/h", "Linux")).close();
            own.stopKeyring();
            int rows = t.audit.events().size();
            long start = System.nanoTime();
            assertThat(t.vault.unlockFromKeychain(Keychain.detect(own.env(), "/h", "Linux"))).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(KeychainProcess.TIMEOUT_SECONDS * 1000);
            assertThat(t.audit.events()).hasSize(rows);
            t.vault.unlock(TestTenant.password(PASSWORD)).close();
        }
    }

    // ---- absent, off, other systems ------------------------------------------------------------

    @Test
    void headless_withoutASessionBus_isUnavailable_atOnce_andEnableFailsBeforeUsingThePassword() {
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME",
                temp.toString());
        Keychain k = Keychain.detect(env, "/h", "Linux");
        long start = System.nanoTime();
        Keychain.Status s = k.status();
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2000);
        assertThat(s.state()).isEqualTo(Keychain.State.UNAVAILABLE);
        assertThat(s.detail()).contains("no D-Bus session bus");

        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        int rows = t.audit.events().size();
        char[] pw = TestTenant.password(PASSWORD);
        assertThatThrownBy(() -> t.vault.enableKeychain(pw, k))
                .isInstanceOfSatisfying(VaultException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                    assertThat(e.getMessage()).contains("unavailable here: no D-Bus session bus");
                });
        assertThat(pw).containsOnly('\0');
        assertThat(t.audit.events()).as("nothing unlocked, nothing recorded").hasSize(rows);
        assertThat(t.vault.keychainEnabled()).isFalse();
        assertThat(t.vault.unlockFromKeychain(k)).isEmpty();
    }

    @Test
    void sessionBusWithoutASecretService_isUnavailable_withTheReason() {
        try (SecretServiceFixture busOnly = SecretServiceFixture.busOnly()) {
            Keychain.Status s = Keychain.detect(busOnly.env(), "/h", "Linux").status();
            assertThat(s.state()).isEqualTo(Keychain.State.UNAVAILABLE);
            assertThat(s.detail()).startsWith("the Secret Service does not answer: ").contains("org.freedesktop.secrets");
        }
    }

    @Test
    void withoutSecretTool_isUnavailable_namingThePackage() {
        Keychain.Status s = Keychain.detect(Map.of("PATH", temp.toString(), "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nope"),
                "/h", "Linux").status();
        assertThat(s.state()).isEqualTo(Keychain.State.UNAVAILABLE);
        assertThat(s.detail()).contains("secret-tool is not installed").contains("libsecret-tools");
    }

    @Test
    void turnedOffByTheEnvironment_neverRunsAnything_andEnableSaysHowToTurnItOn() {
        Keychain k = Keychain.detect(Map.of(Keychain.DISABLE_ENV, "1", "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nope"), "/h",
                "Linux");
        assertThat(k.status().state()).isEqualTo(Keychain.State.OFF);
        assertThat(k.status().detail()).contains(Keychain.DISABLE_ENV);
        assertThatThrownBy(k::requireAvailable).isInstanceOfSatisfying(VaultException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        assertThat(Keychain.detect(Map.of(Keychain.DISABLE_ENV, "0"), "/h", "Linux").status().state())
                .isNotEqualTo(Keychain.State.OFF);
    }

    @Test
    void windows_isReportedUnavailable_withTheReason() {
        Keychain.Status s = Keychain.detect(Map.of(), "C:\\h", "Windows 11").status();
        assertThat(s.state()).isEqualTo(Keychain.State.UNAVAILABLE);
        assertThat(s.backend()).isEqualTo("Windows Credential Manager");
        assertThat(s.detail()).contains("not supported on Windows");
    }

    // ---- where the key travels: recording stand-ins for the tools ------------------------------

    /** A stand-in for a keychain tool that records its arguments and stdin, and answers "not found". */
    private Path recordingTool(String name, String script) throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path log = temp.resolve("log");
        Files.createDirectories(log);
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> " + log.resolve("args") + "\n" + script);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        return log;
    }

    private static Map<String, String> pathTo(Path log) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", log.resolveSibling("bin") + ":/usr/bin:/bin");
        env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nope");
        return env;
    }

    @Test
    void notEnabled_unlockNeverRunsTheKeychainTool() throws IOException {
        Path log = recordingTool("secret-tool", "exit 1\n");
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        assertThat(t.vault.unlockFromKeychain(Keychain.detect(pathTo(log), "/h", "Linux"))).isEmpty();
        assertThat(log.resolve("args")).doesNotExist();
    }

    @Test
    void secretService_keyGoesToStdin_neverIntoArguments() throws IOException {
        Path log = recordingTool("secret-tool", """
                if [ "$1" = store ]; then cat >> %s; fi
                exit 1
                """.formatted(temp.resolve("log").resolve("stdin")));
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        // The stand-in keeps nothing, so the read-back fails: enable reports it (exit 1).
        assertThatThrownBy(() -> t.vault.enableKeychain(TestTenant.password(PASSWORD),
                Keychain.detect(pathTo(log), "/h", "Linux")))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME));
        assertKeyOnlyInStdin(t, log);
        assertThat(Files.readString(log.resolve("args"))).contains("store\n--label=").contains("airlock-tenant\ndefault\n");
    }

    @Test
    void macBackend_sendsTheKeyAsAnInteractiveCommandOnStdin_neverAsAnArgument() throws IOException {
        // A stand-in for /usr/bin/security: macOS itself cannot run here. 44 is "item not found".
        Path log = recordingTool("security", """
                if [ "$1" = -q ] && [ "$2" = -i ]; then cat >> %s; exit 0; fi
                exit 44
                """.formatted(temp.resolve("log").resolve("stdin")));
        TestTenant t = new TestTenant(temp, "default");
        t.init(PASSWORD).close();
        Keychain k = Keychain.detect(pathTo(log), "/Users/a/airlock home", "Mac OS X");
        assertThat(k.status().available()).isTrue();
        assertThatThrownBy(() -> t.vault.enableKeychain(TestTenant.password(PASSWORD), k))
                .isInstanceOf(VaultException.class).hasMessageContaining("could not be read back");
        assertKeyOnlyInStdin(t, log);
        String headerId = Vault.headerId(t.jdbi.withHandle(VaultHeader::load).orElseThrow());
        String line = Files.readString(log.resolve("stdin"));
        String account = MacKeychainBackend.account("/Users/a/airlock home", "default");
        assertThat(account).matches("default@[0-9a-f]{16}");
        assertThat(line).startsWith("add-generic-password -U -s dev.airlock.vault -a " + account + " -G " + headerId
                + " -l \"Airlock vault key-encryption key, tenant default\" -w ").endsWith("\n");
        assertThat(line.lines().count()).isEqualTo(1);
    }

    private void assertKeyOnlyInStdin(TestTenant t, Path log) throws IOException {
        byte[] kek = expectedKek(t, PASSWORD);
        String hex = HexFormat.of().formatHex(kek);
        String args = Files.readString(log.resolve("args"));
        String stdin = Files.readString(log.resolve("stdin"));
        assertThat(stdin.contains(hex)).as("the key reached the tool on stdin").isTrue();
        List<String> forms = new ArrayList<>(List.of(hex, hex.toUpperCase(), Base64.getEncoder().encodeToString(kek),
                new String(kek, StandardCharsets.ISO_8859_1)));
        for (String form : forms) {
            assertThat(args.contains(form)).as("the key in an argument list").isFalse();
            assertThat(t.audit.events().toString().contains(form)).as("the key in an audit row").isFalse();
        }
        Arrays.fill(kek, (byte) 0);
    }
}
