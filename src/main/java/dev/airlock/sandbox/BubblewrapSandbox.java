package dev.airlock.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs commands under bubblewrap (https://github.com/containers/bubblewrap, see bwrap(1)).
 *
 * <p>Inside: the host's root file system read-only; the workspace read-write; the extra binds
 * read-only; each hidden path masked; a private {@code /tmp} and {@code /run} (so no host Unix
 * socket there is reachable); a minimal {@code /dev}; a
 * {@code /proc} of a new PID namespace; no network (a new, empty network namespace) unless the spec
 * allows it; no capabilities; a new session, so the command cannot push keystrokes into Airlock's
 * terminal (TIOCSTI); and death with the runner, so a crashed Airlock leaves nothing running.
 */
final class BubblewrapSandbox implements Sandbox {
    private final Path bwrap;
    private final ProcessRunner runner;

    BubblewrapSandbox(Path bwrap, Ticker ticker) {
        this.bwrap = bwrap;
        this.runner = new ProcessRunner(ticker, true, false);
    }

    @Override
    public ExecResult run(SandboxSpec spec, Command command, OutputSink sink) {
        return runner.run(argv(spec, command), command.argv().get(0), spec, sink);
    }

    @Override
    public boolean isolating() {
        return true;
    }

    /** The bwrap command line. Order matters: later mounts cover earlier ones. */
    List<String> argv(SandboxSpec spec, Command command) {
        List<String> a = new ArrayList<>();
        a.add(bwrap.toString());
        // All namespaces (user, ipc, pid, net, uts, cgroup); the PID namespace is what lets the runner
        // kill every descendant at once, since the namespace dies with its first process.
        a.add("--unshare-all");
        if (spec.networkAllowed()) {
            a.add("--share-net");
        }
        // PR_SET_PDEATHSIG follows the thread that started the process, not the JVM: this holds
        // because ProcessRunner.run starts and waits for the process on the same thread.
        a.add("--die-with-parent");
        a.add("--new-session");
        // Run as root (as Airlock is in CI), bwrap otherwise keeps every capability in the sandbox,
        // and CAP_SYS_ADMIN can simply remount the read-only root read-write.
        a.add("--cap-drop");
        a.add("ALL");
        bind(a, "--ro-bind", Path.of("/"));
        a.add("--dev");
        a.add("/dev");
        a.add("--proc");
        a.add("/proc");
        a.add("--tmpfs");
        a.add("/tmp");
        runtimeDirectories(a, spec.networkAllowed());
        bind(a, "--bind", spec.workspace());
        // After the workspace: a read-only bind inside it stays read-only.
        for (Path p : spec.readOnlyBinds()) {
            bind(a, "--ro-bind", p);
        }
        // Last, so that nothing bound earlier can uncover a hidden path.
        for (Path hidden : spec.hiddenPaths()) {
            mask(a, hidden);
        }
        a.add("--chdir");
        a.add(spec.workspace().toString());
        // Without "--", an argv starting with "--bind" would be read as bwrap options.
        a.add("--");
        a.addAll(command.argv());
        return a;
    }

    /**
     * A read-only mount does not stop connect() on a Unix socket, and an unshared network does not
     * either for a socket with a path: /run/docker.sock, the D-Bus system bus or a database socket
     * would stay reachable through the read-only root, docker's being root on the host. So the
     * runtime directories get an empty tmpfs. With network allowed, resolv.conf is bound back when it
     * points into /run (systemd-resolved), or name resolution would break.
     */
    private static void runtimeDirectories(List<String> a, boolean network) {
        Optional<Path> resolv = network ? SandboxSpec.realIfExists(Path.of("/etc/resolv.conf")) : Optional.empty();
        for (String dir : List.of("/run", "/var/run")) {
            Path path = Path.of(dir);
            // /var/run is normally a symlink to /run and needs no mount of its own.
            if (SandboxSpec.isDirectory(path)) {
                a.add("--tmpfs");
                a.add(dir);
                if (resolv.isPresent() && resolv.get().startsWith(path)) {
                    bind(a, "--ro-bind", resolv.get());
                }
            }
        }
    }

    /**
     * Masks the real path, resolved now rather than when the spec was built, so a symlink swapped in
     * between still leads to the masked target. Paths that do not exist are skipped: bwrap would have
     * to create them (on the host, inside the writable workspace).
     */
    private static void mask(List<String> a, Path hidden) {
        Optional<Path> real = SandboxSpec.realIfExists(hidden);
        if (real.isEmpty()) {
            return;
        }
        Path target = real.get();
        if (target.getParent() == null) {
            throw SandboxException.invalid("The hidden path " + hidden + " resolves to '/'; it cannot be hidden.");
        }
        if (SandboxSpec.isDirectory(target)) {
            a.add("--tmpfs");
            a.add(target.toString());
            a.add("--remount-ro");
            a.add(target.toString());
        } else {
            a.add("--ro-bind");
            a.add("/dev/null");
            a.add(target.toString());
        }
    }

    private static void bind(List<String> a, String option, Path path) {
        a.add(option);
        a.add(path.toString());
        a.add(path.toString());
    }

    @Override
    public String toString() {
        return "bubblewrap(" + bwrap + ")";
    }
}
