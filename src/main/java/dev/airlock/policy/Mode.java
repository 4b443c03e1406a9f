package dev.airlock.policy;

/** How questions are handled. */
public enum Mode {
    /** Anything not allowed by a rule is asked about (the default). */
    ASK,
    /** Allow-listed only: whatever would be asked is denied. */
    ALLOWLIST_ONLY
}
