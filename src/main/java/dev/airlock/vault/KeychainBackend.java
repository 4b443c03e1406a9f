package dev.airlock.vault;

import java.util.Optional;

/**
 * One operating system's keychain, reached through its own command-line tool. Implementations hold
 * no secret; the key passes through them as hex text on the tool's stdin or stdout.
 */
sealed interface KeychainBackend permits SecretServiceBackend, MacKeychainBackend {
    /** Which keychain this is, for messages: "Secret Service (secret-tool)". */
    String name();

    /** Empty when the keychain answers; else why it cannot be used here, in a few words. */
    Optional<String> unavailableReason();

    /**
     * The hex text stored for {@code entry}, or empty if there is none. The caller wipes it.
     *
     * @throws KeychainProcess.Failure if the keychain did not answer
     */
    Optional<byte[]> lookup(KeychainEntry entry) throws KeychainProcess.Failure;

    /**
     * Replaces whatever is stored for the entry's home and tenant with {@code hexSecret} under
     * {@code entry}. Does not wipe {@code hexSecret}.
     */
    void store(KeychainEntry entry, String label, byte[] hexSecret) throws KeychainProcess.Failure;

    /** Removes every entry of {@code home} and {@code tenant}; succeeds if there was none. */
    void remove(String home, String tenant) throws KeychainProcess.Failure;

    /**
     * Where a keychain entry belongs: the Airlock home, the tenant and the vault header it unwraps
     * (a hash of the header's KDF inputs, so that a password change makes the old entry a miss).
     * None of these is secret.
     */
    record KeychainEntry(String home, String tenant, String headerId) {}
}
