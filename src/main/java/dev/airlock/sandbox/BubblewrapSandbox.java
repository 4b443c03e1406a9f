package dev.airlock.sandbox;

import dev.airlock.home.ExitCode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * {@code /proc} of a new PID namespace; a new network namespace always, whose only way out, when
 * the spec names an egress proxy, is that proxy bridged to {@code 127.0.0.1:3128}; no capabilities;
 * a new session, so the command cannot push keystrokes into Airlock's terminal (TIOCSTI); and death with the runner, so a crashed Airlock leaves nothing running.
 */
final class BubblewrapSandbox implements Sandbox {
    private final Path bwrap;
    private final ProcessRunner runner;
    private final Optional<Path> socat;

    BubblewrapSandbox(Path bwrap, Ticker ticker) {
        this(bwrap, ticker, Sandbox.locateSocat());
    }

    BubblewrapSandbox(Path bwrap, Ticker ticker, Optional<Path> socat) {
        this.bwrap = bwrap;
        this.runner = new ProcessRunner(ticker, true, false);
        this.socat = socat;
    }

    @Override
    public Optional<String> networkUnavailable() {
        return socat.isPresent() ? Optional.empty() : Optional.of(NO_SOCAT);
    }

    @Override
    public ExecResult run(SandboxSpec spec, Command command, OutputSink sink) {
        List<Path> absent = GitGuard.plantable(spec.gitDirectories());
        Optional<Path> exclude = GitGuard.excludeFile(spec.workspace(), spec.hiddenPaths());
        try {
            return runner.run(argv(spec, command, exclude), command.argv().get(0), spec, sink);
        } finally {
            exclude.ifPresent(GitGuard::deleteQuietly);
            // Every process of the command is gone by now (its PID namespace died with it).
            for (Path planted : GitGuard.removePlanted(absent)) {
                sink.accept(OutputChannel.STDERR, ("airlock: removed " + spec.workspace().relativize(planted)
                        + ", which the command created: git would have taken its settings and hooks from"
                        + " elsewhere\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public boolean isolating() {
        return true;
    }

    /** The bwrap command line. Order matters: later mounts cover earlier ones. */
    List<String> argv(SandboxSpec spec, Command command) {
        return argv(spec, command, Optional.empty());
    }

    /**
     * {@code exclude}: git's exclude file for the workspace's repository inside the sandbox (the
     * repository's own plus the masked paths), so that {@code git add -A} passes over a masked file
     * instead of failing on it.
     */
    List<String> argv(SandboxSpec spec, Command command, Optional<Path> exclude) {
        List<String> a = new ArrayList<>();
        a.add(bwrap.toString());
        // All namespaces (user, ipc, pid, net, uts, cgroup); the PID namespace is what lets the runner
        // kill every descendant at once, since the namespace dies with its first process.
        // The network namespace included, always: the host's network is never shared. A command that
        // may use the network reaches the outside only through the gate's egress proxy (below).
        a.add("--unshare-all");
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
        runtimeDirectories(a);
        Optional<Path> egress = spec.egressProxy();
        if (egress.isPresent()) {
            egress(a, egress.get());
        }
        // Before the workspace: a masked folder that holds it (another user's home) stays writable so
        // that the workspace can be bound again inside it.
        List<Path> bound = new ArrayList<>(spec.readOnlyBinds());
        bound.add(0, spec.workspace());
        for (SystemSecrets.Mask m : SystemSecrets.masks(userHome(spec), bound)) {
            maskResolved(a, m.path(), !m.keepWritable());
        }
        bind(a, "--bind", spec.workspace());
        // After the workspace: a read-only bind inside it stays read-only.
        for (Path p : spec.readOnlyBinds()) {
            bind(a, "--ro-bind", p);
        }
        keepReadOnly(a, spec, exclude);
        // Airlock's project configuration: agents, workflows and rules that a later run would obey.
        readOnlyPoint(a, spec.workspace(), spec.workspace().resolve(".airlock"), false);
        // Last, so that nothing bound earlier can uncover a hidden path.
        for (Path hidden : spec.hiddenPaths()) {
            mask(a, hidden);
        }
        a.add("--chdir");
        a.add(spec.workspace().toString());
        // Without "--", an argv starting with "--bind" would be read as bwrap options.
        a.add("--");
        if (egress.isPresent()) {
            a.add("bash");
            a.add("-c");
            a.add(BRIDGE);
            a.add("airlock-egress");
            a.add(socat().toString());
        }
        a.addAll(command.argv());
        return a;
    }

    /** Where the bridge listens inside the sandbox's own network namespace. */
    static final int EGRESS_PORT = 3128;
    static final String EGRESS_DIR = "/run/airlock";
    private static final String PROXY_URL = "http://127.0.0.1:" + EGRESS_PORT;

    /**
     * Starts socat as a bridge from 127.0.0.1:EGRESS_PORT to the proxy's Unix socket, waits until it
     * listens (read from /proc/net/tcp with shell built-ins: connecting to find out would count as a
     * connection), then runs the command in its place. $1 is socat; the rest is the command.
     */
    private static final String BRIDGE = String.join("\n",
            "s=$1; shift",
            "\"$s\" TCP-LISTEN:" + EGRESS_PORT + ",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:" + EGRESS_DIR
                    + "/egress.sock </dev/null >/dev/null 2>&1 &",
            "p=$! n=0",
            "while :; do",
            "  while read -r x l x st x; do",
            "    if [ \"$l\" = 0100007F:" + String.format("%04X", EGRESS_PORT) + " ] && [ \"$st\" = 0A ]; then break 2; fi",
            "  done </proc/net/tcp",
            "  n=$((n+1))",
            "  if ! kill -0 \"$p\" 2>/dev/null || [ $n -gt 1000 ]; then",
            "    echo 'airlock: the egress bridge (socat) did not start, so this command has no network' >&2; exit 126",
            "  fi",
            "  if [ $n -gt 20 ]; then sleep 0.005; fi",
            "done",
            "unset s p n x l st",
            "exec \"$@\"");

    /**
     * The proxy's folder at /run/airlock and the variables that point programs at it: curl, wget,
     * git over http(s), pip, python's urllib and most others read the *_PROXY variables; git over
     * ssh gets a ProxyCommand that tunnels through CONNECT. A program that ignores them finds no
     * route at all, which is the point: the namespace has loopback and nothing else. The values are
     * fixed addresses, not secrets, and go through --setenv because the spec refuses names that
     * change which code runs (GIT_SSH_COMMAND).
     */
    private void egress(List<String> a, Path directory) {
        Path socat = socat();
        a.add("--ro-bind");
        a.add(directory.toString());
        a.add(EGRESS_DIR);
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")) {
            setenv(a, name, PROXY_URL);
        }
        setenv(a, "NO_PROXY", "");
        setenv(a, "no_proxy", "");
        setenv(a, "GIT_SSH_COMMAND", "ssh -o ProxyCommand='" + socat + " - PROXY:127.0.0.1:%h:%p,proxyport="
                + EGRESS_PORT + "'");
    }

    private static void setenv(List<String> a, String name, String value) {
        a.add("--setenv");
        a.add(name);
        a.add(value);
    }

    private Path socat() {
        return socat.orElseThrow(() -> new SandboxException(ExitCode.RUNTIME, NO_SOCAT));
    }

    static final String NO_SOCAT = "this command needs the network, which the sandbox gives only through"
            + " Airlock's egress proxy, and 'socat' (the bridge to it) is not on PATH; install the 'socat' package";

    /**
     * A read-only mount does not stop connect() on a Unix socket, and an unshared network does not
     * either for a socket with a path: /run/docker.sock, the D-Bus system bus or a database socket
     * would stay reachable through the read-only root, docker's being root on the host. So the
     * runtime directories get an empty tmpfs. No resolv.conf is bound back: inside the sandbox names
     * are resolved by the egress proxy, never by the command.
     */
    private static void runtimeDirectories(List<String> a) {
        for (String dir : List.of("/run", "/var/run")) {
            Path path = Path.of(dir);
            // /var/run is normally a symlink to /run and needs no mount of its own.
            if (SandboxSpec.isDirectory(path)) {
                a.add("--tmpfs");
                a.add(dir);
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
        maskResolved(a, target, true);
    }

    private static void maskResolved(List<String> a, Path target, boolean readOnly) {
        if (SandboxSpec.isDirectory(target)) {
            a.add("--tmpfs");
            a.add(target.toString());
            if (readOnly) {
                a.add("--remount-ro");
                a.add(target.toString());
            }
        } else {
            a.add("--ro-bind");
            a.add("/dev/null");
            a.add(target.toString());
        }
    }

    /**
     * The workspace's git execution points and the caller's read-only paths, bound over themselves.
     * Each is looked at now, not when the spec was built. A point that is a link gets its target
     * bound when that lies in the workspace (outside, the root is read-only already).
     */
    private static void keepReadOnly(List<String> a, SandboxSpec spec, Optional<Path> exclude) {
        for (Path dotGit : spec.gitDirectories()) {
            List<GitGuard.Point> points = GitGuard.points(dotGit);
            if (SandboxSpec.isDirectory(dotGit) && noLinkBetween(spec.workspace(), dotGit)
                    && points.stream().anyMatch(p -> Files.isSymbolicLink(p.path()))) {
                // A link in a writable folder can be swapped for a folder of the command's making, and
                // a mount cannot sit on a link: the whole git directory is read-only instead (commits
                // fail, nothing runs).
                bind(a, "--ro-bind", dotGit);
                continue;
            }
            for (GitGuard.Point p : points) {
                if (exclude.isPresent() && p.path().equals(spec.workspace().resolve(".git/info"))
                        && !Files.isSymbolicLink(p.path())) {
                    infoWithExclude(a, p.path(), exclude.get());
                } else {
                    readOnlyPoint(a, spec.workspace(), p.path(), p.create());
                }
            }
        }
        for (Path p : spec.keptReadOnly()) {
            readOnlyPoint(a, spec.workspace(), p, false);
        }
    }

    private static void readOnlyPoint(List<String> a, Path workspace, Path p, boolean create) {
        if (!p.startsWith(workspace) || !noLinkBetween(workspace, p)) {
            return;
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(p)) {
                // a link cannot be bound over; an empty read-only stand-in keeps git from using it
                Optional<Path> real = SandboxSpec.realIfExists(p);
                if (real.isPresent() && real.get().startsWith(workspace) && !workspace.startsWith(real.get())) {
                    bind(a, "--ro-bind", real.get());
                }
                return;
            }
            bind(a, "--ro-bind", p);
        } else if (create && Files.isDirectory(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            a.add("--tmpfs");
            a.add(p.toString());
            a.add("--remount-ro");
            a.add(p.toString());
        }
    }

    /**
     * {@code .git/info} as a read-only copy of itself: an empty tmpfs, each entry of the real one bound
     * read-only inside, and {@code exclude} in place of the real exclude file.
     */
    private static void infoWithExclude(List<String> a, Path info, Path exclude) {
        a.add("--tmpfs");
        a.add(info.toString());
        if (SandboxSpec.isDirectory(info)) {
            try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(info)) {
                for (Path child : ds) {
                    if (!child.getFileName().toString().equals("exclude") && !Files.isSymbolicLink(child)) {
                        bind(a, "--ro-bind", child);
                    }
                }
            } catch (java.io.IOException e) {
                throw SandboxException.invalid("Cannot list " + info + " (" + e.getClass().getSimpleName()
                        + "); check its permissions.");
            }
        }
        a.add("--ro-bind");
        a.add(exclude.toString());
        a.add(info.resolve("exclude").toString());
        a.add("--remount-ro");
        a.add(info.toString());
    }

    /** Whether no folder between {@code workspace} and {@code p} is a symlink. */
    private static boolean noLinkBetween(Path workspace, Path p) {
        for (Path d = p.getParent(); d != null && d.startsWith(workspace) && !d.equals(workspace); d = d.getParent()) {
            if (Files.isSymbolicLink(d)) {
                return false;
            }
        }
        return true;
    }

    /** The home of the user Airlock runs as: the command's {@code HOME}, else the JVM's. */
    private static Path userHome(SandboxSpec spec) {
        String home = spec.environment().get("HOME");
        if (home == null || !home.startsWith("/")) {
            home = System.getProperty("user.home", "/");
        }
        return Path.of(home).toAbsolutePath().normalize();
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
