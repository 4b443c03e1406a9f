package dev.airlock.sandbox;

import dev.airlock.policy.PathContext;
import dev.airlock.policy.PathScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sandbox start overhead: {@code true} run under bubblewrap against the same {@code true} run by a
 * plain {@link ProcessBuilder} and by the unsandboxed runner (the same runner code without bwrap), in
 * the same JMH run so the ratio holds on whatever machine runs it; and the same under the policy's
 * masks in a small git project, as the gate runs it (walk included).
 *
 * <p>Run from the project root:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.openjdk.jmh.Main SandboxBenchmark \
 *      -f 1 -wi 2 -w 2s -i 3 -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SandboxBenchmark {
    private Path workspace;
    private Path trueProgram;
    private SandboxSpec spec;
    private Sandbox bubblewrap;
    private Sandbox unsandboxed;
    private Path repository;
    private PathScope scope;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        workspace = Files.createTempDirectory("airlock-bench");
        trueProgram = Executables.find("true", Executables.systemPath())
                .orElseThrow(() -> new IllegalStateException("'true' is not on PATH"));
        spec = SandboxSpec.builder(workspace).build();
        bubblewrap = Sandbox.bubblewrap();
        unsandboxed = Sandbox.unsandboxed();
        repository = repository();
        scope = PathScope.create(PathContext.create(repository, Path.of(System.getProperty("user.home")),
                repository.resolve(".airlock-home-elsewhere")));
    }

    /**
     * A small project as the gate sees it: a git repository with 400 source files in 40 folders, a
     * {@code .env} family, keys, git-ignored files and folders, build output holding a copied
     * {@code .env}: 12 masks from the policy, plus git's read-only points.
     */
    static Path repository() throws IOException {
        Path r = Files.createTempDirectory("airlock-bench-repo");
        try {
            new ProcessBuilder("git", "init", "-q", r.toString()).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Files.writeString(r.resolve(".gitignore"), "secret.txt\n*.secret\nprivate/\nbuild/\nnode_modules/\n");
        for (String f : List.of(".env", ".env.local", "config/.env.production", "secret.txt", "a.secret", "sub/b.secret",
                "private/notes.md", "keys/server.pem", "keys/tls.key", "id_ed25519", "build/classes/.env",
                "build/out.txt", "node_modules/x/index.js")) {
            Path p = r.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x\n");
        }
        for (int d = 0; d < 40; d++) {
            Path dir = Files.createDirectories(r.resolve("src/pkg" + d));
            for (int i = 0; i < 10; i++) {
                Files.writeString(dir.resolve("File" + i + ".java"), "class File" + i + " {}\n");
            }
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(workspace);
        try (var walk = Files.walk(repository)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The baseline: what starting any process from Java costs. */
    @Benchmark
    public int plainProcessBuilder() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(trueProgram.toString()).directory(workspace.toFile()).start();
        return p.waitFor();
    }

    /** The runner without isolation: reader threads, limits and tree teardown, no bwrap. */
    @Benchmark
    public int unsandboxedRunner() {
        return unsandboxed.run(spec, Command.of(trueProgram.toString())).exitStatus();
    }

    /** What the gate adds per command: the policy's walk for files to mask, nothing run. */
    @Benchmark
    public int maskWalk() {
        return scope.neverReadableIn(repository).hidden().size();
    }

    /**
     * The gate's sandbox in a project: the walk, the masks, git's read-only points, the exclude
     * file, and the host's secrets, around the same program.
     */
    @Benchmark
    public int bubblewrapSandboxWithPolicyMasks() {
        PathScope.SandboxView view = scope.neverReadableIn(repository);
        SandboxSpec.Builder b = SandboxSpec.builder(repository).hide(view.hidden()).keepReadOnly(view.readOnly());
        view.repositories().forEach(b::gitDirectory);
        return bubblewrap.run(b.build(), Command.of(trueProgram.toString())).exitStatus();
    }

    /** The full sandbox: namespaces, mounts and capability drop around the same program. */
    @Benchmark
    public int bubblewrapSandbox() {
        return bubblewrap.run(spec, Command.of(trueProgram.toString())).exitStatus();
    }
}
