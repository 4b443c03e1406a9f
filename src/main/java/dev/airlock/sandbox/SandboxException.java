package dev.airlock.sandbox;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/**
 * A failure of the sandbox itself, never of the command it runs: an invalid {@link SandboxSpec}
 * (exit 2), bubblewrap missing or unusable, a process that could not be started or an output sink
 * that failed (exit 1). A command that exits non-zero is not an exception; it is an
 * {@link ExecResult}.
 */
public final class SandboxException extends AirlockException {
    private static final long serialVersionUID = 1L;

    public SandboxException(ExitCode code, String message) {
        super(code, message);
    }

    public SandboxException(ExitCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** The caller asked for something the sandbox refuses to set up (exit 2). */
    static SandboxException invalid(String message) {
        return new SandboxException(ExitCode.USAGE, message);
    }

    /** The environment did not let the sandbox do its job (exit 1). */
    static SandboxException failure(String message, Throwable cause) {
        return new SandboxException(ExitCode.RUNTIME, message, cause);
    }
}
