package dev.airlock.redact;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/**
 * A redaction configuration that cannot be used (exit 2). Messages name the setting, never a
 * secret value: user patterns and allow-list entries may themselves be sensitive, so only their
 * names and positions are quoted.
 */
public final class RedactionException extends AirlockException {
    private static final long serialVersionUID = 1L;

    RedactionException(String message) {
        super(ExitCode.USAGE, message);
    }
}
