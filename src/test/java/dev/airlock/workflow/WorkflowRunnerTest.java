package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.gate.ApprovalMode;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner with real processes (bubblewrap through the gate), a real database and audit log. */
class WorkflowRunnerTest {
    WorkflowFixture f;

    @BeforeEach
    void setUp() {
        f = new WorkflowFixture();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void run_independentNodesOverlap_asTheirOwnTimestampsShow() {
        RunResult r = f.run("""
                name: parallel
                nodes:
                  - {id: a, type: shell, command: "date +%s%N; sleep 1; date +%s%N"}
                  - {id: b, type: shell, command: "date +%s%N; sleep 1; date +%s%N"}
                  - {id: both, type: shell, command: "echo done", depends_on: [a, b]}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThat(r.state()).isEqualTo("succeeded");
        assertThat(r.exitCode()).isZero();
        Map<String, String> out = f.outputs(r.runId());
        long[] a = out.get("a").lines().mapToLong(Long::parseLong).toArray();
        long[] b = out.get("b").lines().mapToLong(Long::parseLong).toArray();
        // Each node measured its own start and end; the intervals intersect only if they ran at once.
        assertThat(a[0]).isLessThan(b[1]);
        assertThat(b[0]).isLessThan(a[1]);
        assertThat(out.get("both")).isEqualTo("done");
    }

    @Test
    void run_failureSkipsDependents_andIndependentBranchesStillRun() {
        RunResult r = f.run("""
                name: failing
                nodes:
                  - {id: bad, type: shell, command: "false"}
                  - {id: after, type: shell, command: "echo after", depends_on: [bad]}
                  - {id: later, type: shell, command: "echo later", depends_on: [after]}
                  - {id: other, type: shell, command: "echo other"}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThat(r.state()).isEqualTo("failed");
        assertThat(r.reason()).isEqualTo("node_failed");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.nodes()).containsEntry("bad", "failed").containsEntry("after", "skipped").containsEntry("later", "skipped")
                .containsEntry("other", "succeeded");
        assertThat(f.executed("echo after")).isEmpty();
        assertThat(f.runs().show(r.runId(), null).nodes().get(0).error()).isEqualTo("exit status 1");
    }

    @Test
    void run_outputsFlowIntoTemplates_asOneQuotedWord_andRedacted() throws Exception {
        RunResult r = f.run("""
                name: templates
                inputs:
                  word: {default: "x; touch injected"}
                nodes:
                  - {id: a, type: shell, command: "echo 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'"}
                  - {id: b, type: shell, command: "echo {{nodes.a.output}} {{inputs.word}}", depends_on: [a]}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, String> out = f.outputs(r.runId());
        assertThat(out.get("a")).doesNotContain("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789");
        assertThat(out.get("b")).isEqualTo(out.get("a") + " x; touch injected");
        assertThat(Files.exists(f.workspace.resolve("injected"))).isFalse();
        // Outputs are sealed at rest: the raw column holds no plaintext.
        byte[] raw = f.db.jdbi().withHandle(h -> h.createQuery("SELECT output FROM workflow_node WHERE node_id = 'b'")
                .mapTo(byte[].class).one());
        assertThat(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("touch injected");
    }

    @Test
    void when_falseSkipsTheNode_andTrueRunsIt() {
        RunResult r = f.run("""
                name: when
                nodes:
                  - {id: check, type: shell, command: "echo yes"}
                  - {id: on-yes, type: shell, command: "echo ran", depends_on: [check], when: "nodes.check.output == 'yes'"}
                  - {id: on-no, type: shell, command: "echo ran-no", depends_on: [check], when: "nodes.check.output == 'no'"}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThat(r.exitCode()).isZero();
        assertThat(r.nodes()).containsEntry("on-yes", "succeeded").containsEntry("on-no", "skipped");
    }

    @Test
    void retries_runAFailedNodeAgain() {
        RunResult r = f.run("""
                name: retry
                nodes:
                  - {id: flaky, type: shell, command: "test -f marker && echo second || { touch marker; exit 3; }", retries: 2}
                """, ApprovalMode.YES);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(f.runs().show(r.runId(), null).nodes().get(0).attempts()).isEqualTo(2);
        assertThat(f.outputs(r.runId()).get("flaky")).isEqualTo("second");
    }

    @Test
    void timeout_stopsTheNode() {
        long t0 = System.nanoTime();
        RunResult r = f.run("""
                name: slow
                nodes:
                  - {id: slow, type: shell, command: "sleep 20", timeout: 500ms}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThat(r.state()).isEqualTo("failed");
        assertThat(f.runs().show(r.runId(), null).nodes().get(0).error()).isEqualTo("timed out after 500ms");
        assertThat(System.nanoTime() - t0).isLessThan(15_000_000_000L);
    }

    @Test
    void deniedCommand_failsWithExit4_andIsNotRetried() {
        RunResult r = f.run("""
                name: denied
                nodes:
                  - {id: root, type: shell, command: "sudo ls", retries: 3}
                """, ApprovalMode.YES);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(f.runs().show(r.runId(), null).nodes().get(0).attempts()).isEqualTo(1);
    }

    @Test
    void inputs_undeclaredOrMissing_areRefusedBeforeAnythingIsStored() {
        Workflow w = WorkflowLoader.parse("""
                name: needs
                inputs:
                  dir: {description: the folder}
                nodes:
                  - {id: a, type: shell, command: "ls {{inputs.dir}}"}
                """, "test");
        Runner runner = f.runner(ApprovalMode.YES).build();
        assertThatThrownBy(() -> runner.start(w, Map.of())).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("needs input 'dir' (the folder); pass --input dir=VALUE");
        assertThatThrownBy(() -> runner.start(w, Map.of("dir", "x", "nope", "y"))).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("has no input 'nope'");
        assertThat(f.runs().list()).isEmpty();
    }

    @Test
    void run_everyStepIsAudited_andTheChainVerifies() {
        RunResult r = f.run("""
                name: audited
                nodes:
                  - {id: a, type: shell, command: "echo a"}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThat(f.rows().stream().map(WorkflowFixture.Row::action).filter(a -> a.startsWith("workflow.")).toList())
                .containsExactly("workflow.run.start", "workflow.node.start", "workflow.node.end", "workflow.run.end");
        assertThat(f.rows("workflow.run.end").get(0).details().path("exit_code").asInt()).isZero();
        assertThat(r.duration()).isPositive();
    }
}
