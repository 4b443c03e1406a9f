package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldCipherTest {
    @TempDir
    Path dir;

    private static ExitCode exitOf(Throwable t) {
        return ((VaultException) t).exitCode();
    }

    private static FieldCipher randomCipher() {
        return FieldCipher.withKey(SecretBytes.random(32, new SecureRandom()));
    }

    @Test
    void encryptText_roundTripsAndTheEnvelopeIsVersioned() {
        try (FieldCipher c = randomCipher()) {
            byte[] envelope = c.encryptText("message", "content", "42", "hello, agent");
            assertThat(envelope[0]).isEqualTo((byte) 1);
            assertThat(envelope).hasSize(1 + 8 + 12 + "hello, agent".length() + 16);
            assertThat(c.decryptText("message", "content", "42", envelope)).isEqualTo("hello, agent");
            assertThat(c.encryptText("message", "content", "42", "hello, agent")).as("fresh nonce").isNotEqualTo(envelope);
        }
    }

    @Test
    void anEnvelopePresentedForAnotherTableColumnOrRow_failsWithExit3() {
        try (FieldCipher c = randomCipher()) {
            byte[] envelope = c.encryptText("message", "content", "42", "bound");
            for (String[] other : new String[][] {{"memory", "content", "42"}, {"message", "args", "42"}, {"message", "content", "43"}}) {
                assertThatThrownBy(() -> c.decrypt(other[0], other[1], other[2], envelope))
                        .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
            }
        }
    }

    @Test
    void aModifiedTruncatedOrFutureEnvelope_failsWithExit3() {
        try (FieldCipher c = randomCipher()) {
            byte[] envelope = c.encryptText("t", "c", "1", "x");
            for (int i = 1 + 8; i < envelope.length; i++) {
                byte[] bad = envelope.clone();
                bad[i] ^= 0x40;
                assertThatThrownBy(() -> c.decrypt("t", "c", "1", bad)).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
            }
            assertThatThrownBy(() -> c.decrypt("t", "c", "1", java.util.Arrays.copyOf(envelope, 20)))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
            byte[] future = envelope.clone();
            future[0] = 2;
            assertThatThrownBy(() -> c.decrypt("t", "c", "1", future)).hasMessageContaining("version 2");
        }
    }

    @Test
    void anEnvelopeUnderAnotherKey_failsWithExit7NamingTheKeyIds() {
        try (FieldCipher a = randomCipher(); FieldCipher b = randomCipher()) {
            byte[] envelope = a.encryptText("t", "c", "1", "x");
            assertThatThrownBy(() -> b.decrypt("t", "c", "1", envelope)).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                    .hasMessageContaining(a.keyId()).hasMessageContaining(b.keyId());
        }
    }

    @Test
    void theVaultKeyAndItsExportInTheEnvironment_readEachOthersFields() {
        TestTenant t = new TestTenant(dir, "acme");
        byte[] envelope;
        String exported;
        try (UnlockedVault v = t.init("pw"); FieldCipher fromVault = v.fieldCipher(); SecretBytes key = v.exportFieldKey()) {
            envelope = fromVault.encryptText("message", "content", "7", "shared content");
            exported = Base64.getEncoder().encodeToString(key.toByteArray(SecretAccess.INSECURE_ACCESS));
        }
        try (FieldCipher fromEnv = FieldCipher.resolve(null, Map.of("AIRLOCK_ENC_KEY", exported), FieldCipher.DEFAULT_KEY_ENV)) {
            assertThat(fromEnv.decryptText("message", "content", "7", envelope)).isEqualTo("shared content");
        }
        try (UnlockedVault v = t.vault.unlock(password("pw")); FieldCipher again = FieldCipher.resolve(v, Map.of(), "UNUSED")) {
            assertThat(again.decryptText("message", "content", "7", envelope)).isEqualTo("shared content");
        }
        assertThat(t.audit.events().stream().map(e -> e.action())).contains("vault.field_key.export");
    }

    @Test
    void fieldKey_isHkdfOfTheDataKeyWithTheDocumentedInfo() {
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        byte[] expected = Crypto.hkdf(dataKey, null, "airlock field v1".getBytes(java.nio.charset.StandardCharsets.UTF_8), 32);
        try (FieldCipher viaVaultPath = FieldCipher.withKey(SecretBytes.copyOf(expected))) {
            TestTenant t = new TestTenant(dir, "acme");
            UnlockedVault v = new UnlockedVault(t.vault, SecretBytes.copyOf(dataKey));
            try (FieldCipher derived = v.fieldCipher()) {
                assertThat(derived.keyId()).isEqualTo(viaVaultPath.keyId());
            }
        }
    }

    @Test
    void encryptionOnWithoutAnyKeySource_failsWithExit7AndAClearMessage() {
        assertThatThrownBy(() -> FieldCipher.resolve(null, Map.of(), FieldCipher.DEFAULT_KEY_ENV))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                .hasMessageContaining("AIRLOCK_ENC_KEY").hasMessageContaining("Nothing was written");
    }

    @Test
    void aMalformedEnvironmentKey_isAUsageErrorThatDoesNotRepeatTheValue() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> FieldCipher.fromEnvironment(Map.of("MY_KEY", shortKey), "MY_KEY"))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE)).hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> FieldCipher.fromEnvironment(Map.of("MY_KEY", "not base64!"), "MY_KEY"))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE)).hasMessageNotContaining("not base64!");
    }

    @Test
    void aClosedCipher_refusesWithExit7() {
        FieldCipher c = randomCipher();
        c.close();
        assertThatThrownBy(() -> c.encryptText("t", "c", "1", "x")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH));
    }
}
