package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.home.ExitCode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approval gates: parking, approve, deny, --yes, timeouts on an injected clock, resume. */
class WorkflowApprovalTest {
    static final String CLEANUP = """
            name: cleanup
            approval_timeout: 1h
            nodes:
              - {id: look, type: shell, command: "ls"}
              - {id: ok, type: approval_gate, message: "Delete build?", depends_on: [look]}
              - {id: clean, type: shell, command: "rm -rf build", depends_on: [ok]}
              - {id: after, type: shell, command: "echo cleaned", depends_on: [clean]}
            """;

    WorkflowFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new WorkflowFixture();
        Files.createDirectories(f.workspace.resolve("build"));
        Files.writeString(f.workspace.resolve("build/out.bin"), "data");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    long seq(String action, String outcome) {
        return f.rows(action).stream().filter(r -> r.outcome().equals(outcome)).findFirst().orElseThrow().seq();
    }

    @Test
    void yes_approvesTheGate_recordedAsYes_beforeTheDestructiveCommandStarts() {
        RunResult r = f.run(CLEANUP, ApprovalMode.YES);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.exists(f.workspace.resolve("build"))).isFalse();
        var grant = f.rows("workflow.approval.grant");
        assertThat(grant).hasSize(1);
        assertThat(grant.get(0).actor()).isEqualTo("--yes");
        assertThat(grant.get(0).details().path("approver").asText()).isEqualTo("--yes");
        assertThat(grant.get(0).details().path("commands").get(0).path("line").asText()).isEqualTo("rm -rf build");
        List<WorkflowFixture.Row> exec = f.executed("rm -rf build");
        assertThat(exec).hasSize(1);
        assertThat(exec.get(0).details().path("approver").asText()).isEqualTo("--yes");
        assertThat(grant.get(0).seq()).isLessThan(exec.get(0).seq());
    }

    @Test
    void nonInteractive_parksAtTheGate_exit5_thenApproveAndResume_runsExactlyTheApprovedLine() {
        RunResult parked = f.run(CLEANUP, ApprovalMode.NON_INTERACTIVE);
        assertThat(parked.state()).isEqualTo("parked");
        assertThat(parked.exitCode()).isEqualTo(ExitCode.APPROVAL_REQUIRED.code());
        assertThat(parked.nodes()).containsEntry("look", "succeeded").containsEntry("ok", "waiting").containsEntry("clean", "pending");
        assertThat(Files.exists(f.workspace.resolve("build"))).isTrue();
        assertThat(f.executed("rm -rf build")).isEmpty();
        Runs.ApprovalInfo pending = f.runs().show(parked.runId(), null).approvals().get(0);
        assertThat(pending.decision()).isNull();
        assertThat(pending.commands()).containsExactly(new RunListener.GatedCommand("clean", "rm -rf build", true));

        f.runs().approve(parked.runId(), "ok", "user:alice");
        // Resumed non-interactively: the human's approval covers the line, nothing else is asked.
        RunResult done = f.runner(ApprovalMode.NON_INTERACTIVE).build().resume(parked.runId());
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(Files.exists(f.workspace.resolve("build"))).isFalse();
        assertThat(seq("workflow.approval.grant", "granted")).isLessThan(f.executed("rm -rf build").get(0).seq());
        assertThat(f.rows("workflow.approval.grant").get(0).actor()).isEqualTo("user:alice");
        assertThatThrownBy(() -> f.runner(ApprovalMode.YES).build().resume(parked.runId()))
                .hasMessageContaining("has already succeeded");
    }

    @Test
    void interactive_waitsForADecisionFromElsewhere_andDenySkipsEverythingBehindTheGate() throws Exception {
        List<String> pending = new CopyOnWriteArrayList<>();
        Runner runner = f.runner(ApprovalMode.INTERACTIVE).listener(new RunListener() {
            @Override
            public void approvalPending(String runId, String gateId, String message, List<GatedCommand> commands,
                    java.time.Instant deadline) {
                pending.add(runId + " " + gateId + " " + message + " " + commands.get(0).line());
            }
        }).build();
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> runner.start(WorkflowLoader.parse(CLEANUP, "t"), Map.of()));
        while (pending.isEmpty()) {
            assertThat(run.isDone()).as("run ended before parking: %s", run.isDone() ? run.join() : null).isFalse();
            Thread.sleep(10);
        }
        String runId = pending.get(0).split(" ")[0];
        assertThat(pending.get(0)).endsWith("ok Delete build? rm -rf build");
        f.runs().deny(runId, "ok", "user:bob", "not today");
        RunResult r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.reason()).isEqualTo("approval_denied");
        assertThat(r.nodes()).containsEntry("clean", "skipped").containsEntry("after", "skipped");
        assertThat(Files.exists(f.workspace.resolve("build/out.bin"))).isTrue();
        assertThat(f.executed("rm -rf build")).isEmpty();
        assertThat(f.rows("workflow.approval.deny").get(0).details().path("reason").asText()).isEqualTo("not today");
        assertThatThrownBy(() -> f.runs().approve(runId, "ok", "user:eve")).hasMessageContaining("has already failed");
    }

    @Test
    void approvalTimeout_onTheInjectedClock_failsTheGate_withoutWaitingAnHour() throws Exception {
        List<String> pending = new CopyOnWriteArrayList<>();
        Runner runner = f.runner(ApprovalMode.INTERACTIVE).listener(new RunListener() {
            @Override
            public void approvalPending(String runId, String gateId, String message, List<GatedCommand> commands,
                    java.time.Instant deadline) {
                pending.add(runId);
            }
        }).build();
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> runner.start(WorkflowLoader.parse(CLEANUP, "t"), Map.of()));
        while (pending.isEmpty()) {
            Thread.sleep(10);
        }
        f.clock.advance(Duration.ofMinutes(59));
        Thread.sleep(100);
        assertThat(run.isDone()).isFalse();
        f.clock.advance(Duration.ofMinutes(1));
        RunResult r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.reason()).isEqualTo("approval_timeout");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(f.rows("workflow.approval.timeout")).hasSize(1);
        assertThat(Files.exists(f.workspace.resolve("build"))).isTrue();
        assertThatThrownBy(() -> f.runs().approve(pending.get(0), "ok", "user:late")).hasMessageContaining("already");
    }

    @Test
    void approveAfterTheDeadline_isRefusedAndRecordedAsTimeout() {
        RunResult parked = f.run(CLEANUP, ApprovalMode.NON_INTERACTIVE);
        f.clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> f.runs().approve(parked.runId(), "ok", "user:late"))
                .isInstanceOfSatisfying(WorkflowException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.APPROVAL_REQUIRED);
                    assertThat(e.reason()).isEqualTo("approval_timeout");
                });
        RunResult resumed = f.runner(ApprovalMode.YES).build().resume(parked.runId());
        assertThat(resumed.reason()).isEqualTo("approval_timeout");
        assertThat(Files.exists(f.workspace.resolve("build"))).isTrue();
    }

    @Test
    void approve_refusesUnknownRunsGatesAndGatesNotYetAsking() {
        RunResult parked = f.run("""
                name: two-gates
                nodes:
                  - {id: g1, type: approval_gate, message: "first"}
                  - {id: g2, type: approval_gate, message: "second", depends_on: [g1]}
                  - {id: x, type: shell, command: "echo x", depends_on: [g2]}
                """, ApprovalMode.NON_INTERACTIVE);
        assertThatThrownBy(() -> f.runs().approve("rnope", "g1", "u")).hasMessageContaining("there is no run 'rnope'");
        assertThatThrownBy(() -> f.runs().approve(parked.runId(), "x", "u")).hasMessageContaining("has no approval gate 'x'");
        assertThatThrownBy(() -> f.runs().approve(parked.runId(), "g2", "u")).hasMessageContaining("has not asked for an approval yet");
        f.runs().approve(parked.runId(), "g1", "u");
        assertThatThrownBy(() -> f.runs().approve(parked.runId(), "g1", "u")).hasMessageContaining("already approved by u");
        RunResult second = f.runner(ApprovalMode.NON_INTERACTIVE).build().resume(parked.runId());
        assertThat(second.state()).isEqualTo("parked");
        assertThat(second.nodes()).containsEntry("g1", "succeeded").containsEntry("g2", "waiting");
    }
}
