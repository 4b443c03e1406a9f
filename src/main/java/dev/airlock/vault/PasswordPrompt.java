package dev.airlock.vault;

import java.io.Console;
import org.jspecify.annotations.Nullable;

/**
 * Asks a person for a password without echoing it. Injected so tests and the CLI's terminal layer
 * can supply their own; {@link #console()} uses {@link System#console()}.
 */
@FunctionalInterface
public interface PasswordPrompt {
    /**
     * Reads one password. The caller clears the returned array.
     *
     * @throws VaultException exit 7 if nobody can be asked
     */
    char[] readPassword(String prompt);

    /** The process's terminal; fails with exit 7 at the moment of asking if there is none. */
    static PasswordPrompt console() {
        return prompt -> {
            Console console = System.console();
            char @Nullable [] read = console == null ? null : console.readPassword("%s", prompt);
            if (read == null) {
                throw noSource();
            }
            return read;
        };
    }

    /** A prompt that always fails with exit 7: for non-interactive runs. */
    static PasswordPrompt none() {
        return prompt -> {
            throw noSource();
        };
    }

    private static VaultException noSource() {
        return VaultException.auth("the vault is locked and there is no terminal to ask for its password; set "
                + PasswordSource.FILE_ENV + " or " + PasswordSource.COMMAND_ENV + " (or " + PasswordSource.PASSWORD_ENV
                + ", the least safe)");
    }
}
