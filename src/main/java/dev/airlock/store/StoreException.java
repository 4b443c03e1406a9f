package dev.airlock.store;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/** A failure of tenant storage: a bad name (exit 2), a corrupt database (exit 3), I/O (exit 1). */
public final class StoreException extends AirlockException {
    private static final long serialVersionUID = 1L;

    public StoreException(ExitCode code, String message) {
        super(code, message);
    }

    public StoreException(ExitCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
