package dev.airlock.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * No isolation: the file system, network and hidden paths are whatever the user has. What remains is
 * the cleared environment, the working directory and the limits.
 *
 * <p>The command is started through {@code setsid} (util-linux) when it is installed, so that it leads
 * a session of its own and its orphans can still be found and killed. A process that calls
 * {@code setsid} itself escapes that; only the PID namespace of {@link BubblewrapSandbox} is airtight.
 */
final class UnsandboxedRunner implements Sandbox {
    private final ProcessRunner runner;
    private final Optional<Path> setsid;

    UnsandboxedRunner(Ticker ticker) {
        this.setsid = Executables.find("setsid", Executables.systemPath());
        this.runner = new ProcessRunner(ticker, false, setsid.isPresent());
    }

    @Override
    public ExecResult run(SandboxSpec spec, Command command, OutputSink sink) {
        if (setsid.isEmpty()) {
            return runner.run(command.argv(), command.argv().get(0), spec, sink);
        }
        List<String> argv = new ArrayList<>();
        argv.add(setsid.get().toString());
        // "--" so that a program name starting with '-' is not read as a setsid option.
        argv.add("--");
        argv.addAll(command.argv());
        return runner.run(argv, command.argv().get(0), spec, sink);
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
