package dev.airlock.vault;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/**
 * A failure of the vault, the identity or field encryption, carrying the exit code of the CLI
 * contract: 7 for authentication (wrong password, locked vault, no key source), 3 for integrity
 * (a ciphertext, tag, header or signature that does not verify), 2 for usage (bad name, unknown
 * secret, parameters below the floor).
 *
 * <p>Messages name the tenant and the secret, never a value or key material.
 */
public final class VaultException extends AirlockException {
    private static final long serialVersionUID = 1L;

    VaultException(ExitCode code, String message) {
        super(code, message);
    }

    VaultException(ExitCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** Wrong password, locked vault or missing key (exit 7). */
    public static VaultException auth(String message) {
        return new VaultException(ExitCode.AUTH, message);
    }

    /** Ciphertext, tag, header or signature invalid (exit 3). */
    public static VaultException integrity(String message) {
        return new VaultException(ExitCode.INTEGRITY, message);
    }

    /** Bad input: a name, a parameter, an unknown secret (exit 2). */
    public static VaultException usage(String message) {
        return new VaultException(ExitCode.USAGE, message);
    }

    /** An environment failure such as a password command that cannot be started (exit 1). */
    static VaultException runtime(String message, Throwable cause) {
        return new VaultException(ExitCode.RUNTIME, message, cause);
    }
}
