package dev.airlock.home;

/**
 * A transformation applied to text on its way out of Airlock: log lines, audit details, CLI output
 * and exports. The redaction engine plugs in here; layers below it (logging, audit) depend only on
 * this interface, never on the engine itself.
 *
 * <p>Implementations must be thread-safe and must never throw on any input.
 */
@FunctionalInterface
public interface TextFilter {
    /** Returns the filtered text; the identity filter returns {@code text} itself. */
    String apply(String text);

    /** A filter that changes nothing. */
    static TextFilter identity() {
        return text -> text;
    }
}
