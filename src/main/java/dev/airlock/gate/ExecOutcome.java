package dev.airlock.gate;

import dev.airlock.home.ExitCode;
import dev.airlock.policy.Decision;
import java.time.Duration;

/** What happened to an {@link ExecRequest}. */
public sealed interface ExecOutcome permits ExecOutcome.Ran, ExecOutcome.Refused {
    Decision decision();

    /** The process exit status a CLI should return. */
    int exitCode();

    /**
     * The command ran (allowed, or approved by {@code approver}). Output is the redacted text; the
     * raw bytes never leave the gate.
     *
     * @param approver {@code policy} (allowed outright), {@code user} or {@code --yes}
     */
    record Ran(Decision decision, String approver, int exitStatus, String stdout, String stderr, boolean timedOut,
            boolean truncated, Duration duration) implements ExecOutcome {
        @Override
        public int exitCode() {
            return exitStatus;
        }
    }

    /**
     * The command did not run: denied by policy (exit 4) or not approved (exit 5).
     *
     * @param why one line for the user (and the model), with the policy's reasons
     */
    record Refused(Decision decision, ExitCode code, String why) implements ExecOutcome {
        @Override
        public int exitCode() {
            return code.code();
        }
    }
}
