package dev.airlock.agent;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.llm.ToolCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * The kernel's overhead per tool call: a {@code read_file} of a 2 KiB file through {@link Tools}
 * (argument parsing, the policy's path decision, the gate's rate-limit and approval step — allowed,
 * so no human — the durable {@code gate.action} row before and the {@code gate.action.finish} row
 * after, redaction of the result, containment) against reading the same file with
 * {@code Files.readString} and wrapping it, in the same run. The difference is the overhead; the
 * "command itself" (the read) is in both.
 *
 * <p>The audit log is the real one: a SQLite file in WAL mode with {@code synchronous=FULL}, so each
 * call waits for two fsyncs (one per row, group-committed when calls overlap).
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *      org.openjdk.jmh.Main ToolCallBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ToolCallBenchmark {
    private AgentFixture fixture;
    private Tools tools;
    private Agent agent;
    private Path file;
    private final ToolCall call = new ToolCall("c1", "read_file", "{\"path\":\"src/Notes.md\"}");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        fixture = new AgentFixture();
        file = fixture.write("src/Notes.md", "release notes line\n".repeat(108));
        tools = fixture.tools(ApprovalMode.NON_INTERACTIVE);
        agent = AgentFixture.agent("bench", false, Map.of(), null, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public String throughTheGate() {
        Tools.Result r = tools.call(agent, call);
        if (!r.ok()) {
            throw new IllegalStateException(r.text());
        }
        return Containment.wrap(r.tool(), r.status(), r.text());
    }

    @Benchmark
    public String directRead() throws IOException {
        return Containment.wrap("read_file", "done", Files.readString(file));
    }
}
