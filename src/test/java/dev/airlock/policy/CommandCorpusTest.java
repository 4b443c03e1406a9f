package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command corpora under src/test/resources/policy/ with the default policy: one test per
 * line. A line is {@code VERDICT [CLASS,...] :: COMMAND}; {@code ⏎} in COMMAND stands for a newline.
 * Listed classes must all be present in the analysis (other classes may be there too).
 */
class CommandCorpusTest {
    static final List<String> CORPORA = List.of("dangerous.txt", "obfuscation.txt", "secrets.txt", "benign.txt",
            "read-forms.txt", "write-forms.txt", "decode-exec.txt", "flags.txt", "evasions.txt");

    @TempDir
    static Path tmp;

    static PolicyFixture fixture;
    static CommandAnalyzer analyzer;
    static PolicyEngine engine;

    @BeforeAll
    static void setUp() throws IOException {
        fixture = new PolicyFixture(tmp);
        analyzer = CommandAnalyzer.create();
        engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
    }

    @AfterAll
    static void tearDown() {
        analyzer.close();
    }

    record Case(String file, int line, Verdict verdict, Set<CommandClass> classes, String command) {
    }

    static List<Case> load(String file) throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = CommandCorpusTest.class.getResourceAsStream("/policy/" + file)) {
            assertThat(in).as("corpus " + file).isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                int sep = l.indexOf(" :: ");
                if (sep < 0) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": missing ' :: '");
                }
                String[] head = l.substring(0, sep).trim().split("\\s+");
                Verdict v = Verdict.valueOf(head[0].toUpperCase(Locale.ROOT));
                Set<CommandClass> classes = EnumSet.noneOf(CommandClass.class);
                if (head.length > 1) {
                    for (String c : head[1].split(",")) {
                        classes.add(CommandClass.valueOf(c.toUpperCase(Locale.ROOT)));
                    }
                }
                cases.add(new Case(file, i + 1, v, classes, l.substring(sep + 4).replace("⏎", "\n")));
            }
        }
        return cases;
    }

    static String sentence(Case c) {
        String verb = switch (c.verdict()) {
            case ALLOW -> "is allowed";
            case ASK -> "is asked about";
            case DENY -> "is denied";
        };
        String extra = c.classes().isEmpty() ? "" : " and classified " + c.classes().toString().toLowerCase(Locale.ROOT);
        return "`" + c.command().replace("\n", "⏎") + "` " + verb + extra + " (" + c.file() + ":" + c.line() + ")";
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusLineGetsItsExpectedDecision() throws IOException {
        List<Case> all = new ArrayList<>();
        for (String f : CORPORA) {
            all.addAll(load(f));
        }
        return all.stream().map(c -> DynamicTest.dynamicTest(sentence(c), () -> {
            CommandAnalysis analysis = analyzer.analyze(c.command(), fixture.ctx);
            Decision d = engine.checkCommand(analysis, "", fixture.ctx);
            assertThat(d.verdict()).as("%s%n reasons: %s%n commands: %s", c.command(), d.reasons(),
                    analysis.commands().stream().map(x -> x.name() + x.args() + x.classes() + x.traits()).toList())
                    .isEqualTo(c.verdict());
            assertThat(analysis.classes()).as("classes of %s", c.command()).containsAll(c.classes());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyRefusalNamesTheRuleThatDecidedIt() throws IOException {
        List<Case> all = new ArrayList<>();
        for (String f : CORPORA) {
            all.addAll(load(f));
        }
        return all.stream().filter(c -> c.verdict() != Verdict.ALLOW)
                .map(c -> DynamicTest.dynamicTest("refusal of `" + c.command().replace("\n", "⏎") + "` names its rule ("
                        + c.file() + ":" + c.line() + ")", () -> {
                    Decision d = engine.checkCommand(c.command(), fixture.ctx);
                    assertThat(d.reasons()).as("reasons of %s", c.command()).isNotEmpty()
                            .allSatisfy(r -> assertThat(r).containsPattern("\\(rule [^)]+\\)"));
                    assertThat(d.rules()).as("rules of %s", c.command())
                            .anyMatch(r -> r.action() == d.verdict());
                }));
    }
}
