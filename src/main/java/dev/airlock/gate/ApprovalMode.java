package dev.airlock.gate;

/** How an {@code ask} decision is resolved. None of them can turn a {@code deny} into a run. */
public enum ApprovalMode {
    /** Ask the human through the {@link Approver}. */
    INTERACTIVE,
    /** Approve asks without asking ({@code --yes}); recorded as such. */
    YES,
    /** Refuse asks ({@code --non-interactive}, CI, scripts). */
    NON_INTERACTIVE
}
