package dev.airlock.gate;

import dev.airlock.home.ExitCode;
import dev.airlock.policy.Decision;

/** What happened to an {@link ActionRequest}. */
public sealed interface ActionOutcome permits ActionOutcome.Done, ActionOutcome.Refused, ActionOutcome.Failed {
    Decision decision();

    /**
     * The action ran (allowed, or approved by {@code approver}) and returned {@code text}, redacted.
     */
    record Done(Decision decision, String approver, String text) implements ActionOutcome {
    }

    /** The action did not run: denied (exit 4) or not approved (exit 5). {@code why} is redacted. */
    record Refused(Decision decision, ExitCode code, String why) implements ActionOutcome {
    }

    /** The action was approved and started, then failed (file missing, connection refused…). */
    record Failed(Decision decision, String approver, String error) implements ActionOutcome {
    }
}
