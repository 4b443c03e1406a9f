package dev.airlock.vault;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * The {@code security:} section of the user config.
 *
 * @param encryption encryption of content at rest (messages, tool calls, memory, run artifacts)
 */
public record SecuritySettings(@JsonProperty("encryption") Encryption encryption) {
    public SecuritySettings {
        if (encryption == null) {
            encryption = new Encryption(null, null);
        }
    }

    /**
     * {@code security.encryption}.
     *
     * @param enabled encrypt content fields (default true). Turning it off stores content as
     *                marked plaintext, and is recorded in the tenant's audit log.
     * @param keyEnv  the environment variable that may hold the base64 field key for unattended
     *                use (default {@code AIRLOCK_ENC_KEY}); when it is unset the vault is unlocked
     */
    public record Encryption(@JsonProperty("enabled") Boolean enabled, @JsonProperty("key_env") String keyEnv) {
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

        public Encryption {
            if (enabled == null) {
                enabled = true;
            }
            if (keyEnv == null) {
                keyEnv = FieldCipher.DEFAULT_KEY_ENV;
            }
            if (!NAME.matcher(keyEnv).matches()) {
                throw new IllegalArgumentException("key_env must name an environment variable (letters, digits and _, "
                        + "not starting with a digit), e.g. AIRLOCK_ENC_KEY");
            }
        }
    }
}
