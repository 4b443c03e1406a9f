package dev.airlock.llm;

import dev.airlock.vault.SecretAccess;
import dev.airlock.vault.SecretBytes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A provider's API key as a client holds it: a random placeholder that LangChain4j is given instead of
 * the key, and a reference that is resolved only when a request is actually sent. LangChain4j never
 * sees the key; the transport swaps the placeholder for it in the one header that carries it.
 */
final class ApiKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String placeholder;
    private final ModelSettings.@Nullable KeyReference reference;
    private final Function<ModelSettings.KeyReference, SecretBytes> resolver;

    private ApiKey(ModelSettings.@Nullable KeyReference reference, Function<ModelSettings.KeyReference, SecretBytes> resolver) {
        byte[] r = new byte[16];
        RANDOM.nextBytes(r);
        this.placeholder = "airlock-key-placeholder-" + HexFormat.of().formatHex(r);
        this.reference = reference;
        this.resolver = resolver;
    }

    /** No key: the placeholder header is removed before sending. */
    static ApiKey none() {
        return new ApiKey(null, ref -> {
            throw new IllegalStateException("no key configured");
        });
    }

    static ApiKey of(ModelSettings.KeyReference reference, Function<ModelSettings.KeyReference, SecretBytes> resolver) {
        return new ApiKey(reference, resolver);
    }

    String placeholder() {
        return placeholder;
    }

    Optional<ModelSettings.KeyReference> reference() {
        return Optional.ofNullable(reference);
    }

    /**
     * A copy of the key's bytes, which the caller wipes, or empty when none is configured. Resolves
     * the reference (vault or environment) on first use.
     */
    Optional<byte[]> bytes() {
        if (reference == null) {
            return Optional.empty();
        }
        SecretBytes key = resolver.apply(reference);
        return Optional.of(key.toByteArray(SecretAccess.INSECURE_ACCESS));
    }
}
