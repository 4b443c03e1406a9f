package dev.airlock.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The outcome of one run. Output is untrusted, unredacted data: it is exposed as bytes or text but
 * never printed by {@link #toString()}, which shows only sizes and flags.
 */
public final class ExecResult {
    private final int exitStatus;
    private final byte[] stdout;
    private final byte[] stderr;
    private final boolean truncated;
    private final boolean timedOut;
    private final boolean killed;
    private final Duration duration;

    ExecResult(int exitStatus, byte[] stdout, byte[] stderr, boolean truncated, boolean timedOut,
            boolean killed, Duration duration) {
        this.exitStatus = exitStatus;
        this.stdout = stdout;
        this.stderr = stderr;
        this.truncated = truncated;
        this.timedOut = timedOut;
        this.killed = killed;
        this.duration = duration;
    }

    /**
     * The exit status of the sandbox process: the command's own status when it exited, {@code 128+N}
     * when it died of signal N (also when the runner killed it). Bubblewrap reports its own set-up
     * failures as status 1 with a {@code bwrap:} message on stderr.
     */
    public int exitStatus() {
        return exitStatus;
    }

    /** Whether the command exited by itself with status 0 and was not stopped. */
    public boolean succeeded() {
        return exitStatus == 0 && !killed;
    }

    /** A copy of the captured stdout. */
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of the captured stderr. */
    public byte[] stderr() {
        return stderr.clone();
    }

    /** Captured stdout decoded as UTF-8, malformed bytes replaced. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Captured stderr decoded as UTF-8, malformed bytes replaced. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** The output limit was reached: output beyond it was neither captured nor delivered. */
    public boolean truncated() {
        return truncated;
    }

    /** The time limit was reached. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The runner stopped the process tree because a limit was reached. */
    public boolean killed() {
        return killed;
    }

    /** Wall time from start until the process tree was gone, by the runner's ticker. */
    public Duration duration() {
        return duration;
    }

    @Override
    public String toString() {
        return "ExecResult[exitStatus=" + exitStatus + ", stdout=" + stdout.length + " bytes, stderr="
                + stderr.length + " bytes, truncated=" + truncated + ", timedOut=" + timedOut + ", killed="
                + killed + ", duration=" + duration.toMillis() + " ms]";
    }
}
