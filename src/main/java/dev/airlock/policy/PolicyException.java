package dev.airlock.policy;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/** A policy configuration error: an invalid rule, an unreadable rules file (exit 2). */
public final class PolicyException extends AirlockException {
    private static final long serialVersionUID = 1L;

    PolicyException(String message) {
        super(ExitCode.USAGE, message);
    }

    PolicyException(String message, Throwable cause) {
        super(ExitCode.USAGE, message, cause);
    }
}
