package dev.airlock.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The two ways content is kept at rest, and that neither reads what the other wrote. */
class ContentCipherTest {
    private static ContentCipher encrypted() {
        return ContentCipher.encrypted(FieldCipher.withKey(SecretBytes.random(32, new SecureRandom())));
    }

    private static ExitCode exitOf(Throwable t) {
        return ((VaultException) t).exitCode();
    }

    @Test
    void encrypted_roundTrips_andStoresNoPlaintext() {
        try (ContentCipher c = encrypted()) {
            byte[] sealed = c.seal("message", "content", "7", "run the tests, then üpdate the README");
            assertThat(c.encrypted()).isTrue();
            assertThat(sealed[0]).isEqualTo(FieldCipher.VERSION_1);
            assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("run the tests");
            assertThat(c.open("message", "content", "7", sealed)).isEqualTo("run the tests, then üpdate the README");
        }
    }

    @Test
    void encrypted_bindsTableColumnAndRow() {
        try (ContentCipher c = encrypted()) {
            byte[] sealed = c.seal("message", "content", "7", "bound");
            assertThatThrownBy(() -> c.open("message", "content", "8", sealed))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
            assertThatThrownBy(() -> c.open("memory", "content", "7", sealed))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
        }
    }

    @Test
    void plaintext_isMarked_andRoundTrips() {
        try (ContentCipher c = ContentCipher.plaintext()) {
            byte[] sealed = c.seal("message", "content", "7", "hello");
            assertThat(c.encrypted()).isFalse();
            assertThat(sealed).containsExactly(0, 'h', 'e', 'l', 'l', 'o');
            assertThat(c.open("message", "content", "7", sealed)).isEqualTo("hello");
        }
    }

    @Test
    void anEncryptedTenant_refusesAPlaintextValue_withExit3() {
        byte[] plain = ContentCipher.plaintext().seal("message", "content", "7", "injected");
        try (ContentCipher c = encrypted()) {
            assertThatThrownBy(() -> c.open("message", "content", "7", plain))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY))
                    .hasMessageContaining("message.content of row 7").hasMessageContaining("stored as plaintext")
                    .hasMessageNotContaining("injected");
        }
    }

    @Test
    void thePlaintextCipher_refusesAnEncryptedValue_withExit7() {
        byte[] sealed;
        try (ContentCipher c = encrypted()) {
            sealed = c.seal("message", "content", "7", "secret plan");
        }
        try (ContentCipher p = ContentCipher.plaintext()) {
            assertThatThrownBy(() -> p.open("message", "content", "7", sealed))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                    .hasMessageContaining("security.encryption.enabled: false");
        }
    }

    @Test
    void anotherKey_isExit7_namingBothKeyIds() {
        byte[] sealed;
        try (ContentCipher c = encrypted()) {
            sealed = c.seal("message", "content", "7", "x");
        }
        try (ContentCipher other = encrypted()) {
            assertThatThrownBy(() -> other.open("message", "content", "7", sealed))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                    .hasMessageContaining("another key");
        }
    }

    @Test
    void emptyUnknownVersionOrBrokenUtf8_areExit3() {
        try (ContentCipher p = ContentCipher.plaintext()) {
            for (byte[] bad : new byte[][] {{}, {9, 'x'}, {0, (byte) 0xC3}}) {
                assertThatThrownBy(() -> p.open("t", "c", "1", bad))
                        .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
            }
        }
        try (ContentCipher c = encrypted()) {
            assertThatThrownBy(() -> c.open("t", "c", "1", new byte[0]))
                    .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY));
        }
    }

    @Test
    void aClosedCipher_refusesToWork() {
        ContentCipher c = encrypted();
        c.close();
        assertThatThrownBy(() -> c.seal("t", "c", "1", "x")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH));
    }
}
