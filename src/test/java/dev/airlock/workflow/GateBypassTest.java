package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.home.ExitCode;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A destructive node never runs without an approval recorded in the audit log: workflows that try
 * to get around the gate, in every mode, including --yes. Each must leave the victim folder in place
 * and no gate.exec row for its line.
 */
class GateBypassTest {
    WorkflowFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new WorkflowFixture();
        Files.createDirectories(f.workspace.resolve("victim"));
        Files.writeString(f.workspace.resolve("victim/keep.txt"), "keep");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    static final Map<String, String> ATTEMPTS = Map.of(
            "declared harmless", """
                    nodes:
                      - {id: x, type: shell, command: "rm -rf victim", destructive: false}
                    """,
            "absolute path", """
                    nodes:
                      - {id: x, type: shell, command: "/bin/rm -rf victim"}
                    """,
            "bash -c", """
                    nodes:
                      - {id: x, type: shell, command: "bash -c 'rm -rf victim'"}
                    """,
            "gate as grandparent", """
                    nodes:
                      - {id: ok, type: approval_gate, message: "fine?"}
                      - {id: mid, type: shell, command: "echo mid", depends_on: [ok]}
                      - {id: x, type: shell, command: "rm -rf victim", depends_on: [mid]}
                    """,
            "hidden after harmless commands", """
                    nodes:
                      - {id: x, type: shell, command: "echo hi; cd . && find . -name victim -prune -exec rm -rf {} +"}
                    """,
            "env wrapper", """
                    nodes:
                      - {id: x, type: shell, command: "env rm -rf victim"}
                    """);

    @TestFactory
    Stream<DynamicTest> staticBypasses_areRefusedBeforeAnythingRuns_inEveryMode() {
        return ATTEMPTS.entrySet().stream().flatMap(e -> Stream.of(ApprovalMode.values()).map(mode ->
                DynamicTest.dynamicTest(e.getKey() + " / " + mode, () -> {
                    String yaml = "name: bypass\n" + e.getValue();
                    assertThatThrownBy(() -> f.run(yaml, mode)).isInstanceOfSatisfying(WorkflowException.class,
                            ex -> {
                                assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE);
                                assertThat(ex.getMessage()).contains("node 'x'").contains("destructive");
                            });
                    assertThat(Files.exists(f.workspace.resolve("victim/keep.txt"))).isTrue();
                    assertThat(f.rows("gate.exec")).isEmpty();
                    assertThat(f.runs().list()).isEmpty();
                })));
    }

    @Test
    void valueThatRendersIntoADestructiveLine_failsTheNode_evenWithYes() {
        // Statically 'bash -c placeholder' is opaque, not destructive; the rendered line is judged again.
        Workflow w = WorkflowLoader.parse("""
                name: dynamic
                inputs:
                  script: {}
                nodes:
                  - {id: x, type: shell, command: "bash -c {{inputs.script}}"}
                """, "t");
        RunResult r = f.runner(ApprovalMode.YES).build().start(w, Map.of("script", "rm -rf victim"));
        assertThat(r.exitCode()).isEqualTo(ExitCode.APPROVAL_REQUIRED.code());
        assertThat(r.reason()).isEqualTo("approval_missing");
        assertThat(Files.exists(f.workspace.resolve("victim/keep.txt"))).isTrue();
        assertThat(f.rows("gate.exec")).isEmpty();
    }

    @Test
    void declaredDestructiveBehindAGate_runsOnlyAfterTheGrantRow() {
        RunResult r = f.run("""
                name: declared
                nodes:
                  - {id: ok, type: approval_gate, message: "deploy?"}
                  - {id: deploy, type: shell, command: "echo deploying", destructive: true, depends_on: [ok]}
                """, ApprovalMode.YES);
        assertThat(r.exitCode()).isZero();
        long grant = f.rows("workflow.approval.grant").get(0).seq();
        assertThat(f.executed("echo deploying").get(0).seq()).isGreaterThan(grant);
    }

    @Test
    void everyDestructiveExecInTheLog_isPrecededByAGrantCoveringItsLine() {
        f.run(WorkflowApprovalTest.CLEANUP.replace("build", "victim"), ApprovalMode.YES);
        var rows = f.rows();
        for (var exec : rows) {
            if (!exec.action().equals("gate.exec") || !exec.details().path("commands").toString().contains("DESTRUCTIVE")) {
                continue;
            }
            String line = exec.details().path("line").asText();
            boolean covered = rows.stream().anyMatch(g -> g.action().equals("workflow.approval.grant") && g.seq() < exec.seq()
                    && g.details().path("commands").toString().contains("\"line\":\"" + line + "\""));
            assertThat(covered).as("grant before " + line).isTrue();
        }
        assertThat(Files.exists(f.workspace.resolve("victim"))).isFalse();
    }
}
