package dev.airlock.home;

/**
 * The exit codes of the CLI contract (DESIGN.md). Every failure in Airlock maps to exactly one of
 * these, everywhere, so scripts can rely on them.
 */
public enum ExitCode {
    /** Success. */
    OK(0),
    /** Unexpected runtime error: a bug or an environment failure. */
    RUNTIME(1),
    /** Usage or configuration error: bad flag, invalid YAML, unknown name. */
    USAGE(2),
    /** Integrity failure: audit chain broken, ciphertext or signature invalid. */
    INTEGRITY(3),
    /** Denied by policy. */
    DENIED(4),
    /** Approval required but not given (non-interactive, denied, or timed out). */
    APPROVAL_REQUIRED(5),
    /** Cost cap exceeded. */
    COST_CAP(6),
    /** Authentication failure: wrong password, locked vault, missing encryption key. */
    AUTH(7);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
