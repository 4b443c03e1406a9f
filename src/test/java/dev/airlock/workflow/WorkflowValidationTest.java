package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PathContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file under {@code workflow/validation/} is loaded and validated; its {@code # expect:} line
 * says the refusal it must get (or {@code valid}). Refusals are exit 2 and name the nodes.
 */
class WorkflowValidationTest {
    static final Path CASES = Path.of("src/test/resources/workflow/validation");
    static final Path EXAMPLES = Path.of("src/test/resources/workflow/examples");

    private static CommandAnalyzer analyzer;
    private static Validator validator;

    @BeforeAll
    static void setUp() throws IOException {
        analyzer = CommandAnalyzer.create();
        Path root = Files.createDirectories(Path.of("target", "workflow-it").toAbsolutePath());
        Path ws = Files.createDirectories(Files.createTempDirectory(root, "validate").resolve("ws"));
        validator = Validator.create(analyzer, PathContext.create(ws, ws.getParent().resolve("user"), ws.getParent().resolve("home")));
    }

    @AfterAll
    static void tearDown() {
        analyzer.close();
    }

    static String header(String text, String key) {
        return text.lines().filter(l -> l.startsWith("# " + key + ":")).map(l -> l.substring(key.length() + 3).strip())
                .findFirst().orElse("");
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> validationCases() throws IOException {
        List<Path> files = files(CASES);
        assertThat(files).hasSizeGreaterThan(20);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String text = Files.readString(f);
            String expect = header(text, "expect");
            assertThat(expect).as("# expect: line in " + f).isNotEmpty();
            if (expect.equals("valid")) {
                Workflow w = validator.validate(WorkflowLoader.parse(text, f.toString()));
                assertThat(validator.problems(w)).isEmpty();
                return;
            }
            assertThatThrownBy(() -> validator.validate(WorkflowLoader.parse(text, f.getFileName().toString())))
                    .isInstanceOfSatisfying(WorkflowException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).contains(expect).doesNotContain("\n");
                    });
        }));
    }

    @TestFactory
    Stream<DynamicTest> examples_areValid() throws IOException {
        return files(EXAMPLES).stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () ->
                assertThat(validator.problems(WorkflowLoader.load(f))).isEmpty()));
    }

    @Test
    void withGates_putsAGateInFrontOfEveryDestructiveNode_whateverTheFileSaid() {
        Workflow proposed = WorkflowLoader.parse("""
                name: from-a-model
                nodes:
                  - {id: look, type: shell, command: "ls"}
                  - {id: wipe, type: shell, command: "bash -c 'rm -rf build'", destructive: false, depends_on: [look]}
                  - {id: wipe2, type: shell, command: "/bin/rm -rf {{nodes.look.output}}", depends_on: [look]}
                  - {id: deploy, type: shell, command: "echo deploy", destructive: true}
                  - {id: fine, type: shell, command: "echo fine", depends_on: [wipe]}
                """, "plan");
        assertThat(validator.problems(proposed)).isNotEmpty();
        Workflow gated = validator.withGates(proposed);
        assertThat(validator.problems(gated)).isEmpty();
        assertThat(gated.node("approve-wipe").orElseThrow().dependsOn()).containsExactly("look");
        assertThat(gated.node("wipe").orElseThrow().dependsOn()).containsExactly("approve-wipe");
        assertThat(gated.node("wipe").orElseThrow().destructive()).isTrue();
        assertThat(gated.node("approve-deploy")).isPresent();
        assertThat(gated.node("approve-look")).isEmpty();
        assertThat(gated.node("approve-fine")).isEmpty();
        // What a planner saves is read back unchanged and still valid.
        Workflow reread = WorkflowLoader.parse(WorkflowLoader.toYaml(gated), "saved plan");
        assertThat(reread).isEqualTo(gated);
    }

    @Test
    void staticLine_quotesPlaceholdersAsOneWord() {
        assertThat(Validator.staticLine(new Node.Shell("a", List.of(), null, null, 0, null, "ls {{inputs.x}}")))
                .isEqualTo("ls 'placeholder'");
        assertThat(Template.shellQuote("a'b; rm -rf /")).isEqualTo("'a'\\''b; rm -rf /'");
    }
}
