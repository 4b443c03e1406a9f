package dev.airlock.home;

/**
 * Base of every error Airlock reports to a user. It carries the exit code of the CLI contract and a
 * message that says what went wrong, where, and what to do next, in one or two lines.
 *
 * <p>Messages must never contain secret values: they are printed, logged and sometimes audited.
 * Each bounded context has its own subclass ({@code StoreException}, {@code AuditException}…) so
 * that the origin of a failure is visible in a stack trace under {@code --debug}; the CLI maps all of
 * them through one handler.
 */
public class AirlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    public AirlockException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public AirlockException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code the CLI returns for this failure. */
    public ExitCode exitCode() {
        return exitCode;
    }

    /** A usage or configuration error (exit 2). */
    public static AirlockException usage(String message) {
        return new AirlockException(ExitCode.USAGE, message);
    }

    /** An environment failure such as an unwritable directory (exit 1). */
    public static AirlockException environment(String message, Throwable cause) {
        return new AirlockException(ExitCode.RUNTIME, message, cause);
    }
}
