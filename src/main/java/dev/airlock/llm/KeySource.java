package dev.airlock.llm;

import dev.airlock.vault.SecretBytes;
import dev.airlock.vault.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where provider API keys come from. The CLI supplies it, so this package never unlocks a vault
 * itself; it asks only when a request is about to be sent to a provider that needs a key, so a run
 * that only talks to a local server never prompts for a password.
 */
public interface KeySource {
    /**
     * The vault value named by {@code reference} ({@code secret:NAME}). The caller copies it and never
     * destroys the returned value (the vault may still hold it).
     *
     * @throws dev.airlock.home.AirlockException exit 2 for an unknown name, exit 7 when the vault
     *                                           cannot be unlocked
     */
    SecretBytes resolve(String reference);

    /**
     * The value of environment variable {@code name} ({@code env:NAME} in the config, for CI), empty
     * when it is not set. The process environment unless overridden.
     */
    default Optional<SecretBytes> environment(String name) {
        return fromMap(System.getenv(), name);
    }

    /** Vault references through {@code resolver}; environment variables from the process. */
    static KeySource of(SecretResolver resolver) {
        return resolver::resolve;
    }

    /** Vault references through {@code vault}; environment variables from {@code env} (for tests and the CLI's env). */
    static KeySource of(KeySource vault, Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return new KeySource() {
            @Override
            public SecretBytes resolve(String reference) {
                return vault.resolve(reference);
            }

            @Override
            public Optional<SecretBytes> environment(String name) {
                return fromMap(copy, name);
            }
        };
    }

    /** For providers that never need a key: any request for one fails as a configuration error. */
    static KeySource none() {
        return reference -> {
            throw new LlmException(LlmException.Kind.CONFIGURATION, "no vault is available to resolve " + reference);
        };
    }

    private static Optional<SecretBytes> fromMap(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        byte[] b = v.strip().getBytes(StandardCharsets.UTF_8);
        try {
            return Optional.of(SecretBytes.copyOf(b));
        } finally {
            java.util.Arrays.fill(b, (byte) 0);
        }
    }
}
