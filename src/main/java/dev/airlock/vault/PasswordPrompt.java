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

    /**
     * The process's terminal; fails with exit 7 at the moment of asking if there is none. Since JDK 22
     * {@link System#console()} may return a console whose streams are redirected; such a console is
     * not a terminal and is refused too, so a service with an idle stdin fails instead of hanging.
     */
    static PasswordPrompt console() {
        return prompt -> {
            Console console = System.console();
            if (console == null || !isTerminal(console)) {
                throw noSource();
            }
            char @Nullable [] read = console.readPassword("%s", prompt);
            if (read == null) {
                throw noSource();
            }
            return read;
        };
    }

    /** {@code Console.isTerminal()} (JDK 22+) where available; on JDK 21 a non-null console is one. */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
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
