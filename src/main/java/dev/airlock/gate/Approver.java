package dev.airlock.gate;

import dev.airlock.policy.Decision;

/** Asks a human whether an action may run. Only ever reached by a human's terminal or dashboard. */
@FunctionalInterface
public interface Approver {
    /**
     * Shows {@code line} with its decision (classes per sub-command, the matched rules, the reasons)
     * and returns the human's answer. Returning false, or being unable to ask, refuses.
     */
    boolean approve(String line, Decision.Ask decision, boolean sandboxed);
}
