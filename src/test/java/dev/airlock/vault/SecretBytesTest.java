package dev.airlock.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
    private static final byte[] VALUE = "sb-test-value-7f3c".getBytes(StandardCharsets.UTF_8);

    @Test
    void toString_printsAFixedMaskAndNeitherValueNorLength() {
        SecretBytes s = SecretBytes.copyOf(VALUE);
        assertThat(s.toString()).isEqualTo("SecretBytes[***]").doesNotContain("sb-test").doesNotContain("18");
        assertThat(String.valueOf(s)).isEqualTo(SecretBytes.copyOf(new byte[3]).toString());
    }

    @Test
    void copyOf_isNotAffectedByLaterChangesToTheCallersArray() {
        byte[] input = VALUE.clone();
        SecretBytes s = SecretBytes.copyOf(input);
        input[0] = 'X';
        assertThat(s.toByteArray(SecretAccess.INSECURE_ACCESS)).isEqualTo(VALUE);
    }

    @Test
    void toByteArray_returnsACopyTheCallerCannotUseToChangeTheSecret() {
        SecretBytes s = SecretBytes.copyOf(VALUE);
        s.toByteArray(SecretAccess.INSECURE_ACCESS)[0] = 'X';
        assertThat(s.toByteArray(SecretAccess.INSECURE_ACCESS)).isEqualTo(VALUE);
    }

    @Test
    void equalsSecret_comparesContentsWhileEqualsStaysIdentity() {
        SecretBytes a = SecretBytes.copyOf(VALUE);
        SecretBytes b = SecretBytes.copyOf(VALUE);
        assertThat(a.equalsSecret(b)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.equalsSecret(SecretBytes.copyOf("other".getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    @Test
    void destroy_wipesTheValueAndEveryLaterReadFails() {
        SecretBytes s = SecretBytes.copyOf(VALUE);
        SecretBytes copy = s.copy();
        s.destroy();
        assertThat(s.isDestroyed()).isTrue();
        assertThatThrownBy(() -> s.toByteArray(SecretAccess.INSECURE_ACCESS)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("sb-test");
        assertThat(copy.toByteArray(SecretAccess.INSECURE_ACCESS)).as("copies are independent").isEqualTo(VALUE);
    }

    @Test
    void fromChars_encodesUtf8WithoutAString() {
        SecretBytes s = SecretBytes.fromChars("pässwörd".toCharArray());
        assertThat(s.toByteArray(SecretAccess.INSECURE_ACCESS)).isEqualTo("pässwörd".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SecretBytes.fromChars(new char[] {'\uD800'})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reading_requiresTheCapability() {
        assertThatThrownBy(() -> SecretBytes.copyOf(VALUE).toByteArray(null)).isInstanceOf(NullPointerException.class);
    }
}
