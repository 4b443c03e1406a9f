package dev.airlock.cli;

import org.jspecify.annotations.Nullable;

/**
 * Ctrl-C during a chat turn: cancels the turn instead of the process. Only where the JVM lets us
 * handle SIGINT (a real terminal); elsewhere the default behaviour stays.
 */
final class Interrupts {
    private Interrupts() {}

    /** Routes SIGINT to {@code action}; returns what to hand to {@link #restore}. */
    @SuppressWarnings("removal")
    static @Nullable Object onInterrupt(Runnable action) {
        if (System.console() == null) {
            return null;
        }
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null;
        }
    }

    @SuppressWarnings("removal")
    static void restore(@Nullable Object previous) {
        if (previous instanceof sun.misc.SignalHandler h) {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
        }
    }
}
