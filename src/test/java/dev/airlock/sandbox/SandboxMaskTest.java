package dev.airlock.sandbox;

import static dev.airlock.sandbox.SandboxFixtures.deleteTree;
import static dev.airlock.sandbox.SandboxFixtures.hostDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.policy.PathContext;
import dev.airlock.policy.PathScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The sandbox enforces the path rules: with the masks the policy computes (as the gate does), an
 * approved command of any kind gets nothing from a never-readable or git-ignored file, cannot plant
 * code that git runs later, and can still commit. Real bubblewrap, real git, real files.
 */
class SandboxMaskTest {
    private static Sandbox sandbox;
    private final List<Path> cleanup = new ArrayList<>();

    @BeforeAll
    static void requireBubblewrap() {
        sandbox = SandboxFixtures.bubblewrap();
    }

    @AfterEach
    void cleanUp() {
        cleanup.forEach(SandboxFixtures::deleteTree);
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    // ---- the fixture: a repository with secrets of every class ----

    /** A workspace and the scope that decides its masks; {@code secrets} maps file to content. */
    private record Fixture(Path workspace, PathScope scope, Map<String, String> secrets) {
        SandboxSpec spec() {
            PathScope.SandboxView v = scope.neverReadableIn(workspace);
            SandboxSpec.Builder b = SandboxSpec.builder(workspace).timeLimit(SandboxFixtures.seconds(30))
                    .hide(v.hidden()).keepReadOnly(v.readOnly());
            v.repositories().forEach(b::gitDirectory);
            return b.build();
        }
    }

    private Fixture fixture() {
        Path base = hostDirectory("mask");
        cleanup.add(base);
        Path ws = base.resolve("ws");
        Path airlockHome = base.resolve("airlock-home");
        Map<String, String> secrets = new LinkedHashMap<>();
        try {
            Files.createDirectories(ws);
            Files.createDirectories(airlockHome);
            git(ws, "init", "-q");
            write(ws, ".gitignore", "secret.txt\nprivate/\n*.secret\nbuild/\n");
            write(ws, "README.md", "visible readme\n");
            write(ws, ".airlock/config.yaml", "agents: {}\n");
            write(ws, "build/out.txt", "build output\n");
            for (String f : readTargets()) {
                if (f.startsWith("/") || f.startsWith("absent:")) {
                    continue;
                }
                String secret = "S3CR3T-" + f.replaceAll("[^A-Za-z0-9]", "") + "-" + UUID.randomUUID();
                write(ws, f, secret + "\n");
                secrets.put(f, secret);
            }
            git(ws, "add", ".gitignore", "README.md");
            git(ws, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "init");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : List.of(Path.of("/etc/shadow"), Path.of("/etc/gshadow"))) {
            if (Files.isReadable(f)) {
                try {
                    for (String line : Files.readAllLines(f)) {
                        if (line.length() > 8) {
                            secrets.put(f.toString(), line);
                        }
                    }
                } catch (IOException e) {
                    // unreadable for the test, unreadable for the command too
                }
            }
        }
        PathContext ctx = PathContext.create(ws, Path.of(System.getProperty("user.home")), airlockHome);
        return new Fixture(ws.toAbsolutePath(), PathScope.create(ctx), secrets);
    }

    private static void write(Path ws, String rel, String content) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static void git(Path ws, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", ws.toString()));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("git %s: %s", argv, out).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(String resource) {
        try (InputStream in = SandboxMaskTest.class.getResourceAsStream("/sandbox/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readTargets() {
        return lines("masked-targets.txt");
    }

    private static ExecResult sh(SandboxSpec spec, String line) {
        return sandbox.run(spec, Command.shell(line));
    }

    /** Every form of every secret that must not come back: raw, reversed, base64, hex. */
    private static void assertNoSecret(String output, Map<String, String> secrets, String what) {
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            String v = s.getValue();
            List<String> forms = new ArrayList<>(List.of(v, new StringBuilder(v).reverse().toString(),
                    HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8))));
            for (int shift = 0; shift < 3; shift++) {
                String b64 = Base64.getEncoder().encodeToString(("xx".substring(0, shift) + v).getBytes(StandardCharsets.UTF_8));
                forms.add(b64.substring(4, b64.length() - 4));
            }
            String core = v.length() > 20 ? v.substring(v.length() - 20) : v; // a fragment (the UUID's tail)
            forms.add(core);
            for (String f : forms) {
                assertThat(output).as("%s leaked %s", what, s.getKey()).doesNotContain(f);
            }
        }
    }

    /** Hash of everything git or Airlock would execute or obey, and of the ignore files. */
    private static Map<String, String> protectedState(Path ws) {
        Map<String, String> state = new TreeMap<>();
        for (String root : List.of(".git/hooks", ".git/config", ".git/info", ".airlock", ".gitignore",
                ".git/commondir", ".git/config.worktree")) {
            Path r = ws.resolve(root);
            if (!Files.exists(r, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                state.put(root, "absent");
                continue;
            }
            try (Stream<Path> walk = Files.walk(r)) {
                for (Path p : walk.toList()) {
                    String key = ws.relativize(p).toString();
                    state.put(key, Files.isSymbolicLink(p) ? "link:" + Files.readSymbolicLink(p)
                            : Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSecretsIntact(Fixture fx) {
        for (Map.Entry<String, String> s : fx.secrets().entrySet()) {
            if (s.getKey().startsWith("/")) {
                continue;
            }
            Path p = fx.workspace().resolve(s.getKey());
            try {
                assertThat(Files.readString(p)).as("%s on the host", s.getKey()).isEqualTo(s.getValue() + "\n");
            } catch (IOException e) {
                throw new AssertionError(s.getKey() + " is gone from the host: " + e);
            }
        }
    }

    // ---- the corpora ----

    /**
     * One case per technique, run against every target in one workspace (in one sandbox each, so
     * that one target's error cannot stop the next).
     */
    @TestFactory
    Stream<DynamicTest> run_givesNoReadFormAnythingOfAMaskedFile() {
        return lines("read-attacks.txt").stream().map(technique -> DynamicTest.dynamicTest(technique, () -> {
            Fixture fx = fixture();
            SandboxSpec spec = fx.spec();
            StringBuilder line = new StringBuilder();
            for (String target : readTargets()) {
                String file = target.startsWith("absent:") ? target.substring("absent:".length()) : target;
                line.append("( ").append(technique.replace("@F@", file)).append(" ) 2>&1; echo; ");
            }
            ExecResult r = sh(spec, line.toString());
            assertNoSecret(r.stdoutText() + r.stderrText(), fx.secrets(), technique);
            assertSecretsIntact(fx);
            // what the command left behind (copies, links, a commit) holds nothing either
            ExecResult after = sh(fx.spec(), "cat copy.txt copy2.txt c.txt link1 hard1 moved1 2>/dev/null;"
                    + " git log -p --all 2>/dev/null | cat");
            assertNoSecret(after.stdoutText(), fx.secrets(), "what " + technique + " left behind");
            assertThat(fx.workspace().resolve("sub/never-created.env")).doesNotExist();
        }));
    }

    @TestFactory
    Stream<DynamicTest> run_letsNoCommandPlantCodeThatGitOrAirlockRunsLater() {
        return lines("write-attacks.txt").stream().map(line -> DynamicTest.dynamicTest(line, () -> {
            Fixture fx = fixture();
            Map<String, String> before = protectedState(fx.workspace());
            SandboxSpec spec = fx.spec();
            sh(spec, line);
            assertThat(protectedState(fx.workspace())).as("after %s", line).isEqualTo(before);
            assertThat(fx.workspace().resolve("pwned")).doesNotExist();
            // the next command, with masks computed again by the same scope, still gets nothing
            ExecResult next = sh(fx.spec(), "python3 -c \"import os; [print(open(os.path.join(d,f),errors='ignore')"
                    + ".read()) for d,_,fs in os.walk('.') if '.git' not in d for f in fs]\"; git status --short; "
                    + "git -c user.name=a -c user.email=a@b commit -qm x --allow-empty && echo committed");
            assertNoSecret(next.stdoutText() + next.stderrText(), fx.secrets(), "the command after " + line);
            assertThat(fx.workspace().resolve("pwned")).doesNotExist();
            assertSecretsIntact(fx);
        }));
    }

    /** The control: the corpora would notice a leak, because without the masks there is one. */
    @Test
    void run_withoutThePolicysMasksTheSameReadLeaks_soTheCorporaCanFail() {
        Fixture fx = fixture();
        ExecResult r = sh(SandboxSpec.builder(fx.workspace()).build(), "cat .env secret.txt");

        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertNoSecret(r.stdoutText(), fx.secrets(), "control"));
    }

    // ---- what must keep working ----

    @Test
    void run_letsGitAddAndCommitWorkWhileHooksAndConfigStayReadOnly() throws IOException {
        Fixture fx = fixture();
        ExecResult r = sh(fx.spec(), "echo 'new line' >> README.md && mkdir -p src && echo code > src/a.txt"
                + " && git add -A && git -c user.name=Agent -c user.email=agent@example.invalid commit -qm work"
                + " && git log --oneline | wc -l && git status --short | wc -l"
                + " && echo x > .git/hooks/pre-commit; echo exit=$?");

        assertThat(r.stdoutText()).as(r.stderrText()).startsWith("2\n0\n").contains("exit=1");
        assertThat(fx.workspace().resolve(".git/hooks/pre-commit")).doesNotExist();
        assertThat(Files.readString(fx.workspace().resolve("src/a.txt"))).isEqualTo("code\n");
        assertSecretsIntact(fx);
    }

    @Test
    void run_committingFromTheSandboxNeverTakesAMaskedFileIntoHistory() {
        Fixture fx = fixture();
        ExecResult r = sh(fx.spec(), "git add -A && git -c user.name=a -c user.email=a@b commit -qm all && echo ok;"
                + " git add -f .env secret.txt id_ed25519 2>/dev/null; git -c user.name=a -c user.email=a@b commit -qm f;"
                + " git log -p --all | cat");
        ExecResult files = sh(fx.spec(), "git ls-files");

        assertThat(r.stdoutText()).as(r.stderrText()).contains("ok");
        assertNoSecret(r.stdoutText() + r.stderrText(), fx.secrets(), "git add -A");
        assertThat(files.stdoutText()).contains("README.md").doesNotContain(".env", "secret.txt", "id_ed25519",
                "server.pem", "tls.key", ".netrc", "notes.md");
    }

    @Test
    void run_leavesIgnoredBuildOutputWritableButMasksTheEnvFileABuildCopiedThere() throws IOException {
        Fixture fx = fixture();
        ExecResult r = sh(fx.spec(), "cat build/out.txt; echo more > build/out2.txt && echo written;"
                + " cat build/classes/.env; echo end");

        assertThat(r.stdoutText()).contains("build output", "written", "end");
        assertThat(fx.workspace().resolve("build/out2.txt")).hasContent("more");
        assertNoSecret(r.stdoutText() + r.stderrText(), fx.secrets(), "build folder");
    }

    @Test
    void run_masksIgnoredFoldersWhole() {
        Fixture fx = fixture();
        ExecResult r = sh(fx.spec(), "ls -A private; ls -A private | wc -l; touch private/new && echo wrote");

        assertThat(r.stdoutText()).isEqualTo("0\n");
    }

    @Test
    void run_keepsASecretMaskedAfterACommandUnignoresIt() throws IOException {
        Fixture fx = fixture();
        sh(fx.spec(), "echo '!x.secret' > sub/.gitignore");
        assertThat(fx.workspace().resolve("sub/.gitignore")).exists();

        ExecResult r = sh(fx.spec(), "cat sub/x.secret; python3 -c \"print(open('sub/x.secret').read())\"");

        assertNoSecret(r.stdoutText() + r.stderrText(), fx.secrets(), "after un-ignoring");
    }

    @Test
    void run_removesACommondirTheCommandPlanted() {
        Fixture fx = fixture();
        List<String> messages = new ArrayList<>();
        sandbox.run(fx.spec(), Command.shell("mkdir -p elsewhere/hooks && echo \"$PWD/elsewhere\" > .git/commondir"),
                (channel, chunk) -> messages.add(new String(chunk, StandardCharsets.UTF_8)));

        assertThat(fx.workspace().resolve(".git/commondir")).doesNotExist();
        assertThat(String.join("", messages)).contains("removed .git/commondir");
    }

    @Test
    void run_readsNothingFromTheHostsShadowFilesEvenAsRoot() {
        Fixture fx = fixture();
        ExecResult r = sh(fx.spec(), "for f in /etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow-; do"
                + " wc -c < $f 2>/dev/null || echo 0; done");

        for (String count : r.stdoutText().strip().split("\n")) {
            assertThat(count.strip()).isEqualTo("0");
        }
    }

    @Test
    void run_masksOtherUsersHomesButNotTheUsersOwn() throws IOException {
        Fixture fx = fixture();
        Path fakeHome = fx.workspace().getParent().resolve("home-of-the-user");
        Files.createDirectories(fakeHome);
        // Airlock running as someone whose home is elsewhere: /root is then another user's home
        SandboxSpec spec = SandboxSpec.builder(fx.workspace())
                .parentEnvironment(Map.of("HOME", fakeHome.toString(), "PATH", "/usr/bin:/bin"))
                .build();
        ExecResult r = sh(spec, "ls -A /root | wc -l; for h in /home/*; do ls -A \"$h\" | wc -l; done; ls -d \"$HOME\"");

        List<String> out = r.stdoutText().lines().toList();
        assertThat(out.get(out.size() - 1)).isEqualTo(fakeHome.toString());
        assertThat(out.subList(0, out.size() - 1)).allMatch(c -> c.strip().equals("0"));
    }

    @Test
    void run_bindsTheWorkspaceAgainWhenItLiesInAnotherUsersMaskedHome() throws IOException {
        Path userHome = Path.of(System.getProperty("user.home")).toRealPath();
        Path ws = Files.createTempDirectory(userHome, "airlock-mask-ws");
        cleanup.add(ws);
        Files.writeString(ws.resolve("inside.txt"), "inside\n");
        Path other = hostDirectory("other-home");
        cleanup.add(other);
        SandboxSpec spec = SandboxSpec.builder(ws)
                .parentEnvironment(Map.of("HOME", other.toString(), "PATH", "/usr/bin:/bin"))
                .build();

        ExecResult r = sh(spec, "cat inside.txt && echo w > written.txt && ls -A " + userHome + "| wc -l");

        assertThat(r.stdoutText()).as(r.stderrText()).isEqualTo("inside\n1\n");
        assertThat(ws.resolve("written.txt")).hasContent("w");
    }

    @Test
    void argv_mountsWorkspaceMasksAfterTheWorkspaceAndSystemMasksBeforeIt() {
        Fixture fx = fixture();
        List<String> argv = ((BubblewrapSandbox) sandbox).argv(fx.spec(), Command.shell("true"));
        int workspace = indexOfTriple(argv, "--bind", fx.workspace().toString());
        int env = argv.indexOf(fx.workspace().resolve(".env").toString());
        int hooks = argv.indexOf(fx.workspace().resolve(".git/hooks").toString());
        int shadow = argv.indexOf("/etc/shadow");

        assertThat(workspace).isPositive();
        assertThat(env).isGreaterThan(workspace);
        assertThat(hooks).isGreaterThan(workspace);
        if (Files.exists(Path.of("/etc/shadow"))) {
            assertThat(shadow).isBetween(1, workspace);
        }
    }

    private static int indexOfTriple(List<String> argv, String option, String path) {
        for (int i = 0; i + 2 < argv.size(); i++) {
            if (argv.get(i).equals(option) && argv.get(i + 1).equals(path) && argv.get(i + 2).equals(path)) {
                return i;
            }
        }
        return -1;
    }
}
