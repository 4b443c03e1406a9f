package dev.airlock.audit;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/** A failure of the audit log: integrity failures exit 3, a failed write exits 1. */
public final class AuditException extends AirlockException {
    private static final long serialVersionUID = 1L;

    public AuditException(ExitCode code, String message) {
        super(code, message);
    }

    public AuditException(ExitCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** The log is not intact (exit 3). */
    public static AuditException integrity(String message) {
        return new AuditException(ExitCode.INTEGRITY, message);
    }
}
