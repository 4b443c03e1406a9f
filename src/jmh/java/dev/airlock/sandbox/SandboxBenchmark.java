package dev.airlock.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the same JMH run so the ratio holds on whatever machine runs it.
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

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        workspace = Files.createTempDirectory("airlock-bench");
        trueProgram = Executables.find("true", Executables.systemPath())
                .orElseThrow(() -> new IllegalStateException("'true' is not on PATH"));
        spec = SandboxSpec.builder(workspace).build();
        bubblewrap = Sandbox.bubblewrap();
        unsandboxed = Sandbox.unsandboxed();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(workspace);
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

    /** The full sandbox: namespaces, mounts and capability drop around the same program. */
    @Benchmark
    public int bubblewrapSandbox() {
        return bubblewrap.run(spec, Command.of(trueProgram.toString())).exitStatus();
    }
}
