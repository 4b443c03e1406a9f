package dev.airlock.sandbox;

/**
 * A source of monotonic nanoseconds, as Caffeine's {@code Ticker}: the run's deadline and its
 * measured duration come from here so tests can drive a time-out without waiting for it.
 *
 * <p>Only the time limit and the reported duration use the ticker. The short grace period between
 * SIGTERM and SIGKILL is real time on purpose: it exists to give real processes a chance to exit.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
