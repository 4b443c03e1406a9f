package dev.airlock.sandbox;

import static dev.airlock.sandbox.SandboxFixtures.deleteTree;
import static dev.airlock.sandbox.SandboxFixtures.hostDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a command under bubblewrap can and cannot reach, checked from the host with real processes. */
class BubblewrapIsolationTest {
    private static Sandbox sandbox;

    @TempDir
    Path workspace;

    private Path outside;

    @BeforeAll
    static void requireBubblewrap() {
        sandbox = SandboxFixtures.bubblewrap();
    }

    @BeforeEach
    void createOutside() {
        outside = hostDirectory("outside");
    }

    @AfterEach
    void cleanUp() {
        deleteTree(outside);
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private SandboxSpec.Builder spec() {
        return SandboxSpec.builder(workspace).timeLimit(SandboxFixtures.seconds(20));
    }

    private ExecResult sh(SandboxSpec spec, String line) {
        return sandbox.run(spec, Command.shell(line));
    }

    @Test
    void run_letsTheCommandWriteInsideTheWorkspace() throws IOException {
        ExecResult r = sh(spec().build(), "mkdir -p out && echo built > out/result.txt");

        assertThat(r.exitStatus()).as(r.stderrText()).isZero();
        assertThat(Files.readString(workspace.resolve("out/result.txt"))).isEqualTo("built\n");
    }

    @Test
    void run_refusesAWriteToAHostDirectoryOutsideTheWorkspace() {
        Path target = outside.resolve("escaped.txt");

        ExecResult r = sh(spec().build(), "echo pwned > '" + target + "'");

        assertThat(r.exitStatus()).isNotZero();
        // Read-only where the host folder is visible; absent where it lies under /tmp, which the sandbox
        // replaces with its own (a checkout under /tmp). Either way the write cannot reach the host.
        assertThat(r.stderrText()).containsAnyOf("Read-only file system", "No such file or directory");
        assertThat(target).doesNotExist();
    }

    @Test
    void run_refusesAWriteToEtc() {
        String name = "airlock-sandbox-test-" + UUID.randomUUID();

        ExecResult r = sh(spec().build(), "echo pwned > /etc/" + name);

        assertThat(r.exitStatus()).isNotZero();
        assertThat(Path.of("/etc", name)).doesNotExist();
    }

    @Test
    void run_refusesAWriteThroughASymlinkPlantedInTheWorkspace() throws IOException {
        Files.createSymbolicLink(workspace.resolve("link"), outside);

        ExecResult r = sh(spec().build(), "echo pwned > link/escaped.txt");

        assertThat(r.exitStatus()).isNotZero();
        assertThat(outside.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void run_givesTheCommandAPrivateTmp() throws IOException {
        String name = "airlock-private-tmp-" + UUID.randomUUID();
        Path hostTmpFile = Path.of("/tmp", name);
        Files.writeString(Path.of("/tmp", name + ".host"), "host");
        try {
            ExecResult r = sh(spec().build(), "echo inside > /tmp/" + name + " && cat /tmp/" + name
                    + " && ls /tmp/" + name + ".host");

            assertThat(r.stdoutText()).startsWith("inside\n");
            assertThat(r.stderrText()).contains("No such file");
            assertThat(hostTmpFile).doesNotExist();
        } finally {
            Files.deleteIfExists(Path.of("/tmp", name + ".host"));
        }
    }

    // Before issue #11 a spec could share the host's network (--share-net); now none can: with the
    // egress proxy the command has its own namespace, whose only listener is the bridge on 3128.
    @Test
    void run_neverSharesTheHostNetwork_evenWithTheEgressProxy() throws IOException {
        Path proxyDir = Files.createTempDirectory("airlock-egress-test");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> acceptAll(server));
            String connect = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected";

            ExecResult offline = sh(spec().build(), connect);
            ExecResult proxied = sh(spec().egressProxy(proxyDir).build(), connect);
            ExecResult bridge = sh(spec().egressProxy(proxyDir).build(),
                    "exec 3<>/dev/tcp/127.0.0.1/3128 && echo bridged; echo \"$HTTPS_PROXY|$NO_PROXY|\"");

            assertThat(offline.exitStatus()).isNotZero();
            assertThat(offline.stdoutText()).doesNotContain("connected");
            assertThat(proxied.exitStatus()).isNotZero();
            assertThat(proxied.stdoutText()).doesNotContain("connected");
            assertThat(bridge.stdoutText()).as(bridge.stderrText()).isEqualTo("bridged\nhttp://127.0.0.1:3128||\n");
            acceptor.interrupt();
        } finally {
            Files.deleteIfExists(proxyDir);
        }
    }

    private static void acceptAll(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.getOutputStream().flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void run_passesNoSecretFromTheParentEnvironment() {
        Map<String, String> parent = new HashMap<>(System.getenv());
        parent.put("AIRLOCK_TEST_MARKER", "marker-3f9a1c");
        parent.put("OPENAI_API_KEY", "sk-marker-7d2e");
        parent.put("AIRLOCK_PASSWORD", "password-marker-51b0");
        parent.put("LD_PRELOAD", "/nonexistent/marker.so");

        ExecResult r = sh(spec().parentEnvironment(parent).variable("BUILD_MODE", "fast").build(), "env");

        assertThat(r.exitStatus()).as(r.stderrText()).isZero();
        assertThat(r.stdoutText())
                .doesNotContain("AIRLOCK_TEST_MARKER", "marker-3f9a1c", "OPENAI_API_KEY", "sk-marker-7d2e",
                        "AIRLOCK_PASSWORD", "password-marker-51b0", "LD_PRELOAD")
                .contains("BUILD_MODE=fast");
        if (System.getenv("PATH") != null) {
            assertThat(r.stdoutText()).contains("PATH=");
        }
    }

    @Test
    void run_doesNotInheritTheRunnersOwnEnvironmentBeyondTheAllowList() {
        // JAVA_HOME, MAVEN_*, JDK internals and the like are set for the test JVM but never allow-listed.
        String foreign = System.getenv().keySet().stream()
                .filter(n -> !EnvironmentRules.isInherited(n))
                .filter(n -> !n.equals("PWD") && !n.equals("SHLVL") && !n.equals("_"))
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(foreign != null, "the test JVM has only allow-listed variables");

        ExecResult r = sh(spec().build(), "env");

        assertThat(r.stdoutText().lines()).noneMatch(l -> l.startsWith(foreign + "="));
    }

    @Test
    void argv_neverCarriesEnvironmentValues() {
        SandboxSpec spec = spec().parentEnvironment(Map.of("HOME", "/home/argv-marker"))
                .variable("BUILD_MODE", "argv-value-marker").build();

        BubblewrapSandbox bwrap = new BubblewrapSandbox(Path.of("/usr/bin/bwrap"), Ticker.system());

        assertThat(String.join(" ", bwrap.argv(spec, Command.shell("true"))))
                .doesNotContain("argv-marker", "argv-value-marker");
    }

    @Test
    void run_masksHiddenPathsEvenThroughSymlinksAndInsideTheWorkspace() throws IOException {
        Path ssh = Files.createDirectory(outside.resolve(".ssh"));
        Files.writeString(ssh.resolve("id_ed25519"), "PRIVATE-KEY-MARKER");
        Path token = Files.writeString(outside.resolve("token.txt"), "TOKEN-FILE-MARKER");
        Path dotenv = Files.writeString(workspace.resolve(".env"), "DOTENV-MARKER");
        Files.createSymbolicLink(workspace.resolve("keys"), ssh);
        SandboxSpec spec = spec().hide(ssh).hide(token).hide(dotenv).hide(outside.resolve("does-not-exist")).build();

        ExecResult r = sh(spec, "cat '" + ssh + "/id_ed25519'; ls -A '" + ssh + "'; cat '" + token + "'; cat .env;"
                + " cat keys/id_ed25519; echo overwritten > .env; touch '" + ssh + "/planted'; echo done");

        assertThat(r.stdoutText()).doesNotContain("MARKER").endsWith("done\n");
        assertThat(Files.readString(dotenv)).isEqualTo("DOTENV-MARKER");
        assertThat(ssh.resolve("planted")).doesNotExist();
        assertThat(outside.resolve("does-not-exist")).doesNotExist();
    }

    @Test
    void run_dropsEveryCapabilitySoRootCannotRemountTheRootWritable() {
        Path target = outside.resolve("after-remount.txt");

        ExecResult r = sh(spec().build(), "grep CapEff /proc/self/status; mount -o remount,rw,bind / 2>/dev/null;"
                + " mount -o remount,rw,bind '" + outside + "' 2>/dev/null; echo x > '" + target + "'");

        assertThat(r.stdoutText()).contains("CapEff:\t0000000000000000");
        assertThat(target).doesNotExist();
    }

    @Test
    void run_cannotSeeOrSignalHostProcesses() {
        ExecResult r = sh(spec().build(), "kill -0 " + ProcessHandle.current().pid() + " && echo visible; ls /proc"
                + " | grep -c '^[0-9]'");

        assertThat(r.stdoutText()).doesNotContain("visible");
        // bwrap's init, bash, ls and grep: a handful of processes, not the host's.
        assertThat(Integer.parseInt(r.stdoutText().strip())).isLessThan(10);
    }

    @Test
    void run_readOnlyBindMakesATmpDirectoryVisibleButNotWritable() throws IOException {
        Path tool = Files.createTempDirectory("airlock-tool");
        try {
            Files.writeString(tool.resolve("version"), "1.2.3");
            ExecResult r = sh(spec().readOnlyBind(tool).build(),
                    "cat '" + tool + "/version'; echo x > '" + tool + "/planted'");

            assertThat(r.stdoutText()).isEqualTo("1.2.3");
            assertThat(r.exitStatus()).isNotZero();
            assertThat(tool.resolve("planted")).doesNotExist();
        } finally {
            deleteTree(tool);
        }
    }

    @Test
    void run_treatsAnArgvThatLooksLikeBwrapOptionsAsTheProgramName() {
        ExecResult r = sandbox.run(spec().build(), Command.of("--bind", "/", "/"));

        assertThat(r.exitStatus()).isNotZero();
        assertThat(r.stderrText()).contains("execvp --bind");
    }

    @Test
    void run_startsInTheWorkspaceAsLeaderOfANewSession() {
        SandboxSpec spec = spec().build();

        // Field 6 of /proc/PID/stat is the session id, seen from the sandbox's PID namespace: 0 when
        // the session leader is outside it (the caller's session and terminal), a sandbox pid when
        // bwrap started a new session, which keeps the command away from TIOCSTI on our terminal.
        ExecResult r = sh(spec, "pwd; sid=$(cut -d' ' -f6 /proc/$$/stat); echo $sid;"
                + " test -e /proc/$sid && echo leader-inside");

        assertThat(r.stdoutText().lines().toList()).hasSize(3)
                .first().isEqualTo(spec.workspace().toString());
        assertThat(r.stdoutText().lines().skip(1).findFirst()).isNotEqualTo(java.util.Optional.of("0"));
        assertThat(r.stdoutText()).endsWith("leader-inside\n");
    }

    @Test
    void run_cannotConnectToAHostUnixSocketUnderRun() throws IOException {
        // A read-only bind does not stop connect(); docker.sock and the D-Bus bus live here.
        Path run = Path.of("/run");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(run) && Files.isWritable(run),
                "needs a writable /run to place a host socket in");
        Path dir = Files.createTempDirectory(run, "airlock-sandbox-test");
        Path socketPath = dir.resolve("s.sock");
        try (java.nio.channels.ServerSocketChannel server =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socketPath));
            // Any client will do; the JDK running this test is on the host's read-only root, so it
            // is also inside the sandbox, which spares the test a dependency on socat or python.
            Path client = Files.writeString(workspace.resolve("Connect.java"), """
                    import java.net.UnixDomainSocketAddress;
                    import java.nio.channels.SocketChannel;
                    public class Connect {
                        public static void main(String[] a) throws Exception {
                            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(a[0]))) {
                                System.out.println("connected");
                            }
                        }
                    }
                    """);
            String java = ProcessHandle.current().info().command().orElseThrow();

            ExecResult sandboxed = sandbox.run(spec().build(), Command.of(java, client.toString(), socketPath.toString()));
            ExecResult plain = Sandbox.unsandboxed().run(spec().build(),
                    Command.of(java, client.toString(), socketPath.toString()));

            assertThat(plain.stdoutText()).as("control: the client works outside the sandbox").contains("connected");
            assertThat(sandboxed.stdoutText()).doesNotContain("connected");
            assertThat(sandboxed.exitStatus()).isNotZero();
        } finally {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(dir);
        }
    }
}
