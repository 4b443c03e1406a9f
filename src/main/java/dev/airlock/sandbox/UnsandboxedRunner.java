package dev.airlock.sandbox;

/**
 * No isolation: the file system, network and hidden paths are whatever the user has. What remains is
 * the cleared environment, the working directory and the limits. Process-tree teardown is best effort
 * here: a process that double-forks (orphaning itself to init) before the runner has seen it escapes,
 * which the PID namespace of {@link BubblewrapSandbox} prevents.
 */
final class UnsandboxedRunner implements Sandbox {
    private final ProcessRunner runner;

    UnsandboxedRunner(Ticker ticker) {
        this.runner = new ProcessRunner(ticker, false);
    }

    @Override
    public ExecResult run(SandboxSpec spec, Command command, OutputSink sink) {
        return runner.run(command.argv(), spec, sink);
    }

    @Override
    public boolean isolating() {
        return false;
    }

    @Override
    public String toString() {
        return "unsandboxed";
    }
}
