package dev.airlock.llm;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;

/**
 * A model request that failed, with what kind of failure it was. Messages never hold the API key or
 * the conversation; they name the provider, the model and what to do next.
 */
public final class LlmException extends AirlockException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and the exit code each kind maps to. */
    public enum Kind {
        /** The provider refused the key (401/403): exit 7. */
        AUTHENTICATION(ExitCode.AUTH),
        /** The provider does not know the model (404 or its equivalent): exit 2. */
        UNKNOWN_MODEL(ExitCode.USAGE),
        /** A provider or model missing from the config, or a bad setting: exit 2. */
        CONFIGURATION(ExitCode.USAGE),
        /** Refused by the egress policy (offline mode, a host not allowed): exit 4. */
        EGRESS_DENIED(ExitCode.DENIED),
        /** No answer in time: exit 1. */
        TIMEOUT(ExitCode.RUNTIME),
        /** The answer was not the provider's wire format, or was cut short: exit 1. */
        MALFORMED(ExitCode.RUNTIME),
        /** The provider answered with an error (429, 5xx…) or could not be reached: exit 1. */
        PROVIDER(ExitCode.RUNTIME),
        /** The caller cancelled (Ctrl-C): exit 1. */
        CANCELLED(ExitCode.RUNTIME);

        private final ExitCode exitCode;

        Kind(ExitCode exitCode) {
            this.exitCode = exitCode;
        }

        public ExitCode exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public LlmException(Kind kind, String message) {
        super(kind.exitCode(), message);
        this.kind = kind;
    }

    public LlmException(Kind kind, String message, Throwable cause) {
        super(kind.exitCode(), message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
