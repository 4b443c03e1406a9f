package dev.airlock.vault;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves configuration values of the form {@code secret:NAME} at the moment of use, so that
 * configuration objects only ever hold the reference. The vault is obtained from the supplier only
 * when a reference is actually resolved: a run that never needs a secret never asks for a password.
 * Each resolution is a {@link UnlockedVault#get} and therefore audited.
 */
public final class SecretResolver {
    /** The prefix marking a reference. */
    public static final String PREFIX = "secret:";

    private final Supplier<UnlockedVault> vault;

    private SecretResolver(Supplier<UnlockedVault> vault) {
        this.vault = vault;
    }

    /**
     * A resolver over {@code vault}, called once per resolution; pass a memoizing supplier to unlock
     * once per process.
     */
    public static SecretResolver create(Supplier<UnlockedVault> vault) {
        return new SecretResolver(Objects.requireNonNull(vault, "vault"));
    }

    /** Whether {@code configValue} is a {@code secret:} reference. */
    public static boolean isReference(String configValue) {
        return configValue.startsWith(PREFIX);
    }

    /**
     * The referenced name, or empty for a literal value.
     *
     * @throws VaultException exit 2 if it is a reference with an invalid name
     */
    public static Optional<String> referencedName(String configValue) {
        if (!isReference(configValue)) {
            return Optional.empty();
        }
        return Optional.of(Names.checkUser(configValue.substring(PREFIX.length())));
    }

    /**
     * The secret a configuration value stands for: the vault value for {@code secret:NAME}, else
     * the literal value itself (as UTF-8), since plain configuration values are allowed but not
     * recommended.
     *
     * @throws VaultException exit 2 for an unknown or invalid name, exit 7 if the vault is locked,
     *     exit 3 if the value fails its integrity check
     */
    public SecretBytes resolve(String configValue) {
        Optional<String> name = referencedName(configValue);
        if (name.isPresent()) {
            return vault.get().get(name.get());
        }
        return SecretBytes.adopt(configValue.getBytes(StandardCharsets.UTF_8));
    }
}
