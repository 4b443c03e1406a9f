package dev.airlock.policy;

/** The three outcomes, ordered so that the strictest wins: {@code DENY > ASK > ALLOW}. */
public enum Verdict {
    ALLOW,
    ASK,
    DENY;

    /** The stricter of the two. */
    public Verdict max(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
