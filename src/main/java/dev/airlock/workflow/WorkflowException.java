package dev.airlock.workflow;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/**
 * A workflow that cannot be loaded, validated or run, with the CLI exit code and a stable reason
 * code ({@code invalid_workflow}, {@code cost_cap_exceeded}, {@code approval_timeout}…).
 */
public final class WorkflowException extends AirlockException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public WorkflowException(ExitCode code, String reason, String message) {
        super(code, message);
        this.reason = reason;
    }

    public WorkflowException(ExitCode code, String reason, String message, Throwable cause) {
        super(code, message, cause);
        this.reason = reason;
    }

    static WorkflowException invalid(String message) {
        return new WorkflowException(ExitCode.USAGE, "invalid_workflow", message);
    }

    /** The stable reason code, as stored on the run and in the audit row. */
    public String reason() {
        return reason;
    }
}
