package dev.airlock.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSParser;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterBash;

/**
 * Decision latency of the policy engine for typical command lines, with the shipped defaults, against
 * a baseline of parsing alone (tree-sitter through its Java binding, nothing read from the tree) in the
 * same run.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *      org.openjdk.jmh.Main PolicyBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * SampleTime mode reports p50 and p99 (and more percentiles) per benchmark. On a shared machine the
 * wall-clock tail mostly measures time spent descheduled; {@link PolicyCpuTime} reports CPU time per
 * decision beside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyBenchmark {
    @Param({
        "git status",
        "git diff --stat && git log --oneline -n 20 | head -5",
        "grep -rn TODO src | sort | uniq -c",
        "bash -c 'cd src && find . -name \"*.java\" -exec cat {} \\;' > /dev/null",
    })
    public String line;

    private Path dir;
    private CommandAnalyzer analyzer;
    private PolicyEngine engine;
    private PathContext ctx;
    private TSParser parser;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("airlock-bench");
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(ws.resolve("src/main/java"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(ws.resolve("src/main/java/C" + i + ".java"), "class C" + i + " {}\n");
        }
        Files.writeString(ws.resolve(".gitignore"), "target/\n*.log\n");
        ctx = PathContext.create(ws, home, home.resolve(".local/share/airlock"));
        analyzer = CommandAnalyzer.create();
        engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
        parser = new TSParser();
        parser.setLanguage(new TreeSitterBash());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        analyzer.close();
        parser.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The whole decision: parse, classify, rules, path scope. */
    @Benchmark
    public Decision decide() {
        return engine.checkCommand(line, ctx);
    }

    /** Analysis only (parse and classify), no rules. */
    @Benchmark
    public CommandAnalysis analyze() {
        return analyzer.analyze(line, ctx);
    }

    /** Baseline: the tree-sitter parse alone, the floor any analysis of the line starts from. */
    @Benchmark
    public boolean parse() {
        try (TSTree tree = parser.parseStringEncoding(null, line, TSInputEncoding.TSInputEncodingUTF8)) {
            return tree.getRootNode().hasError();
        }
    }
}
