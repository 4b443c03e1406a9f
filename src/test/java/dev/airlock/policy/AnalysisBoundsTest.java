package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines past the analysis bounds (length, syntax depth, nested shell strings, number of commands) are
 * denied as too complex to analyse: never a StackOverflowError, never unbounded time or memory.
 */
class AnalysisBoundsTest {
    @TempDir
    static Path tmp;

    static PolicyFixture fx;
    static CommandAnalyzer analyzer;
    static PolicyEngine engine;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new PolicyFixture(tmp);
        analyzer = CommandAnalyzer.create();
        engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
    }

    @AfterAll
    static void tearDown() {
        analyzer.close();
    }

    private static Decision decide(String line) {
        return engine.checkCommand(line, fx.ctx);
    }

    private static void assertTooComplex(String line) {
        Decision d = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> decide(line));
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons()).anyMatch(r -> r.contains("too complex to analyse") && r.contains("builtin:too-complex"));
        assertThat(d.rules()).extracting(MatchedRule::id).contains("builtin:too-complex");
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    @TestFactory
    Stream<DynamicTest> linesPastABoundAreDeniedAsTooComplex() {
        int deep = CommandAnalyzer.MAX_TREE_DEPTH + 50;
        return Stream.of(
                new String[] {"a line longer than the limit", "echo " + "a".repeat(CommandAnalyzer.MAX_LINE_CHARS)},
                new String[] {"deeply nested command substitutions", repeat("echo $(", deep) + "id" + repeat(")", deep)},
                new String[] {"deeply nested backquote-free subshells", repeat("(", deep) + "id" + repeat(")", deep)},
                new String[] {"deeply nested braces", repeat("{ ", deep) + "id" + repeat("; }", deep)},
                new String[] {"deeply nested arithmetic", "echo $((" + repeat("(", deep) + "1" + repeat(")", deep) + "))"},
                new String[] {"deeply nested process substitutions", repeat("cat <(", deep) + "id" + repeat(")", deep)},
                new String[] {"deeply nested if", repeat("if true; then ", deep) + "id" + repeat("; fi", deep)},
                new String[] {"a very long && chain", "true" + repeat(" && true", 5000)},
                new String[] {"a very long pipeline", "cat a.txt" + repeat(" | cat", 5000)},
                new String[] {"very many commands", repeat("true; ", CommandAnalyzer.MAX_COMMANDS + 10)},
                new String[] {"very many commands in nested strings",
                        "bash -c " + Dispatcher.quote(repeat("true; ", CommandAnalyzer.MAX_COMMANDS + 10))},
                new String[] {"shell strings nested past the limit", nestedBashC("ls", CommandAnalyzer.MAX_DEPTH + 2)},
                new String[] {"a dangerous command nested past the limit",
                        nestedBashC("rm -rf /", CommandAnalyzer.MAX_DEPTH + 2)},
                new String[] {"a hidden read nested past the limit",
                        nestedBashC("cat .env", CommandAnalyzer.MAX_DEPTH + 3)})
                .map(c -> DynamicTest.dynamicTest("analysis_denies " + c[0], () -> assertTooComplex(c[1])));
    }

    private static String nestedBashC(String inner, int levels) {
        String line = inner;
        for (int i = 0; i < levels; i++) {
            line = "bash -c " + Dispatcher.quote(line);
        }
        return line;
    }

    @Test
    void analysis_stillAnalysesLinesWithinTheBounds() {
        String line = "true" + " && true".repeat(100);
        assertThat(decide(line)).isInstanceOf(Decision.Allow.class);
        assertThat(decide(nestedBashC("ls", CommandAnalyzer.MAX_DEPTH - 1))).isInstanceOf(Decision.Allow.class);
        // 40 nested substitutions are analysed (asked: their output is a command name), not refused
        assertThat(decide("echo " + "$(".repeat(40) + "id" + ")".repeat(40))).isInstanceOf(Decision.Ask.class);
    }
}
