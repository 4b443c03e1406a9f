package dev.airlock.sandbox;

import dev.airlock.home.ExitCode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs a command within the limits of a {@link SandboxSpec}. Two implementations share this API:
 * {@link #bubblewrap()} isolates the command, {@link #unsandboxed()} only applies the environment,
 * the working directory and the limits.
 *
 * <p>Every implementation guarantees: the command's environment is exactly
 * {@link SandboxSpec#environment()}; stdout and stderr are read concurrently and captured up to the
 * output limit, and every captured byte passes the sink first; when the time or output limit is
 * reached the whole process tree is stopped (SIGTERM, then SIGKILL after the spec's grace) before
 * {@code run} returns. Background processes a command leaves behind do not outlive it: under
 * bubblewrap the kernel kills them with the sandbox's PID namespace as its init exits (which can
 * finish a moment after {@code run} returns); the unsandboxed runner kills the ones it has seen,
 * which misses a process that double-forked before the runner's first look.
 */
public interface Sandbox {

    /**
     * Runs {@code command} and blocks until it and every process it started are gone.
     *
     * @throws SandboxException when the process cannot be started, the sink throws (the command is
     *     killed first) or the calling thread is interrupted (likewise)
     */
    ExecResult run(SandboxSpec spec, Command command, OutputSink sink);

    /** {@link #run(SandboxSpec, Command, OutputSink)} capturing output only. */
    default ExecResult run(SandboxSpec spec, Command command) {
        return run(spec, command, OutputSink.discard());
    }

    /**
     * Whether the command is isolated: read-only root, hidden paths masked, network as the spec says.
     * False only for {@link #unsandboxed()}, which callers must audit as the user's explicit choice.
     */
    boolean isolating();

    /**
     * Bubblewrap found on {@code PATH} (absolute entries only).
     *
     * @throws SandboxException when it is not installed; {@link SandboxProbe} says why in more detail
     */
    static Sandbox bubblewrap() {
        return bubblewrap(locateBubblewrap().orElseThrow(() -> new SandboxException(ExitCode.RUNTIME,
                "bubblewrap (bwrap) is not on PATH, so commands cannot be sandboxed. Install the 'bubblewrap'"
                        + " package, or run 'airlock doctor' for details.")), Ticker.system());
    }

    /** Bubblewrap at {@code executable}, timed by {@code ticker}; socat found on {@code PATH}. */
    static Sandbox bubblewrap(Path executable, Ticker ticker) {
        return new BubblewrapSandbox(executable, ticker);
    }

    /**
     * Bubblewrap at {@code executable} with {@code socat} as the bridge to the egress proxy; empty:
     * no bridge, so no command that needs the network can run.
     */
    static Sandbox bubblewrap(Path executable, Ticker ticker, Optional<Path> socat) {
        return new BubblewrapSandbox(executable, ticker, socat);
    }

    /**
     * Why a command that needs the network cannot be given one here (the bridge to the egress proxy
     * is missing), or empty when it can.
     */
    default Optional<String> networkUnavailable() {
        return Optional.empty();
    }

    /** A plain {@link ProcessBuilder} run: for an explicit "sandbox off" and as a benchmark baseline. */
    static Sandbox unsandboxed() {
        return unsandboxed(Ticker.system());
    }

    /** {@link #unsandboxed()} timed by {@code ticker}. */
    static Sandbox unsandboxed(Ticker ticker) {
        return new UnsandboxedRunner(ticker);
    }

    /**
     * Where {@code socat} is on this process's {@code PATH}, as a real path: the bridge from a
     * sandbox's own network namespace to the gate's egress proxy. Without it a command that needs
     * the network cannot be given one.
     */
    static Optional<Path> locateSocat() {
        return Executables.find("socat", Executables.systemPath());
    }

    /** Where {@code bwrap} is on this process's {@code PATH}, as a real path. */
    static Optional<Path> locateBubblewrap() {
        return Executables.find("bwrap", Executables.systemPath());
    }
}
