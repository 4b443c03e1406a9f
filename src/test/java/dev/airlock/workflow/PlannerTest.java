package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import dev.airlock.llm.ModelRef;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The planner against a fake OpenAI server scripted to be careless or sly: whatever it returns, the
 * saved plan has a gate directly before every destructive node.
 */
class PlannerTest {
    private final WorkflowFixture f = new WorkflowFixture();

    @AfterEach
    void close() {
        f.models.close();
        f.close();
    }

    private Planner planner() {
        return new Planner(f.models.access().client(new ModelRef("test", "planner")), "planner",
                Validator.create(f.analyzer, f.context()), f.redactor, f.audit, 2048);
    }

    private static void assertEveryDestructiveNodeIsGated(Workflow w, Validator v) {
        for (Node n : w.nodes()) {
            if (v.isDestructive(n)) {
                assertThat(n.dependsOn()).as("parents of " + n.id())
                        .anyMatch(p -> w.node(p).orElseThrow() instanceof Node.ApprovalGate);
            }
        }
    }

    @Test
    void planWithoutGates_getsAGateInFrontOfTheDestructiveNode() {
        f.models.server.replyText("""
                ```yaml
                name: cleanup
                nodes:
                  - id: look
                    type: shell
                    command: ls -la build
                  - id: remove
                    type: shell
                    command: rm -rf build/old
                    depends_on: [look]
                ```""");
        Planner.Plan plan = planner().plan("remove the old build folder");
        assertThat(plan.gatesAdded()).containsExactly("approve-remove");
        Node remove = plan.workflow().node("remove").orElseThrow();
        assertThat(remove.dependsOn()).containsExactly("approve-remove");
        assertThat(remove.destructive()).isTrue();
        assertThat(plan.workflow().node("approve-remove").orElseThrow().dependsOn()).containsExactly("look");
        assertEveryDestructiveNodeIsGated(WorkflowLoader.parse(plan.yaml(), "saved"), Validator.create(f.analyzer, f.context()));
        Validator.create(f.analyzer, f.context()).validate(WorkflowLoader.parse(plan.yaml(), "saved"));
    }

    @Test
    void disguisedDestructiveCommand_declaredHarmless_isGatedAnyway() {
        f.models.server.replyText("""
                name: tidy
                nodes:
                  - id: tidy
                    type: shell
                    command: "bash -c 'find . -name \\"*.log\\" -delete'"
                    destructive: false
                  - id: reset
                    type: shell
                    command: /usr/bin/git reset --hard HEAD
                """);
        Planner.Plan plan = planner().plan("tidy the logs");
        assertThat(plan.gatesAdded()).containsExactlyInAnyOrder("approve-tidy", "approve-reset");
        assertEveryDestructiveNodeIsGated(plan.workflow(), Validator.create(f.analyzer, f.context()));
        assertThat(plan.workflow().node("tidy").orElseThrow().destructive()).isTrue();
    }

    @Test
    void gateAsGrandparent_doesNotCount_aGateIsInsertedDirectly() {
        f.models.server.replyText("""
                name: sly
                nodes:
                  - id: ok
                    type: approval_gate
                    message: fine?
                  - id: look
                    type: shell
                    command: ls
                    depends_on: [ok]
                  - id: wipe
                    type: shell
                    command: rm -rf data
                    depends_on: [look]
                """);
        Planner.Plan plan = planner().plan("wipe data");
        assertThat(plan.workflow().node("wipe").orElseThrow().dependsOn()).containsExactly("approve-wipe");
    }

    @Test
    void invalidOutput_isSentBackWithTheError_andRetried() {
        f.models.server.replyText("{\"name\": \"x\", \"nodes\": [ {\"id\": \"a\", \"type\": \"shell\"")
                .replyText("name: fixed\nnodes:\n  - id: a\n    type: shell\n    command: ls\n");
        Planner.Plan plan = planner().plan("list files");
        assertThat(plan.attempts()).isEqualTo(2);
        assertThat(f.models.server.lastRequest().body()).contains("That is not a valid workflow");
        assertThat(plan.workflow().name()).isEqualTo("fixed");
    }

    @Test
    void neverValid_isRefusedAfterThreeAttempts_withExit2() {
        f.models.server.replyText("sure! here you go").replyText("nodes: nope").replyText("name: x\nnodes:\n  - id: a\n    type: shell\n");
        assertThatThrownBy(() -> planner().plan("do it"))
                .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("3 attempts");
        assertThat(f.models.server.requestCount()).isEqualTo(Planner.ATTEMPTS);
    }

    @Test
    void theRequest_isRedactedBeforeItLeaves() {
        f.models.server.replyText("name: a\nnodes:\n  - id: a\n    type: shell\n    command: ls\n");
        planner().plan("deploy with key AKIAZ7Q3XK2LMN4PQR5T please");
        assertThat(f.models.server.lastRequest().body()).doesNotContain("AKIAZ7Q3XK2LMN4PQR5T");
        assertThat(List.of(f.models.server.lastRequest().body())).allSatisfy(b -> assertThat(b).contains("REDACTED"));
    }
}
