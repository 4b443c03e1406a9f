package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
    @TempDir
    Path dir;

    @Test
    void init_generatesAnIdentityWhosePublicKeysAreReadableWithoutThePassword() {
        TestTenant t = new TestTenant(dir, "acme");
        PublicIdentity fromSession;
        try (UnlockedVault v = t.init("pw")) {
            fromSession = v.identity().publicIdentity();
        }
        PublicIdentity locked = t.vault.publicIdentity();
        assertThat(locked).isEqualTo(fromSession);
        assertThat(locked.signingKey()).hasSize(32);
        assertThat(locked.agreementKey()).hasSize(32).isNotEqualTo(locked.signingKey());
        assertThat(locked.signingFingerprint()).matches("([0-9a-f]{4}:){15}[0-9a-f]{4}");
        assertThat(locked.toString()).contains(locked.signingFingerprint());
    }

    @Test
    void sign_producesSignaturesThatStaticVerifyAcceptsOnlyForTheSameMessageAndKey() {
        TestTenant t = new TestTenant(dir, "acme");
        byte[] message = "{\"log_id\":\"x\",\"seq\":10}".getBytes(StandardCharsets.UTF_8);
        try (UnlockedVault v = t.init("pw")) {
            byte[] signature = v.identity().sign(message);
            byte[] key = t.vault.publicIdentity().signingKey();
            assertThat(Identity.verify(key, message, signature)).isTrue();
            byte[] other = message.clone();
            other[0] ^= 1;
            assertThat(Identity.verify(key, other, signature)).isFalse();
            assertThat(Identity.verify(t.vault.publicIdentity().agreementKey(), message, signature)).isFalse();
            assertThat(Identity.verify(new byte[3], message, signature)).isFalse();
            assertThat(Identity.verify(key, message, new byte[64])).isFalse();
        }
    }

    @Test
    void theSameIdentityIsRestoredAfterUnlockingAgain() {
        TestTenant t = new TestTenant(dir, "acme");
        byte[] signature;
        try (UnlockedVault v = t.init("pw")) {
            signature = v.identity().sign(new byte[] {7});
        }
        try (UnlockedVault v = t.vault.unlock(password("pw"))) {
            // Ed25519 is deterministic (RFC 8032 5.1.6): same key, same message, same signature.
            assertThat(v.identity().sign(new byte[] {7})).isEqualTo(signature);
        }
    }

    @Test
    void twoTenants_agreeOnTheSameX25519SharedSecret() throws Exception {
        TestTenant a = new TestTenant(Files.createDirectory(dir.resolve("a")), "a");
        TestTenant b = new TestTenant(Files.createDirectory(dir.resolve("b")), "b");
        try (UnlockedVault va = a.init("pw"); UnlockedVault vb = b.init("pw")) {
            SecretBytes ab = va.identity().agree(b.vault.publicIdentity().agreementKey());
            SecretBytes ba = vb.identity().agree(a.vault.publicIdentity().agreementKey());
            assertThat(ab.equalsSecret(ba)).isTrue();
            assertThatThrownBy(() -> va.identity().agree(new byte[32])).as("all-zero (low order) peer key")
                    .satisfies(e -> assertThat(((VaultException) e).exitCode()).isEqualTo(ExitCode.INTEGRITY));
        }
    }
}
