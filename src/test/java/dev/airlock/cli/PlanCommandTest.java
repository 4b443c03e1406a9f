package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.llm.fake.FakeModelServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** airlock plan through the real entry point against a fake OpenAI server that leaves the gates out. */
class PlanCommandTest {
    private static final String FAST_KDF = "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n";
    private static final String CARELESS_PLAN = """
            name: cleanup
            nodes:
              - id: look
                type: shell
                command: ls build
              - id: remove
                type: shell
                command: rm -rf build/old
                depends_on: [look]
            """;
    private Path workspace;
    private CliRunner cli;
    private FakeModelServer server;

    @BeforeEach
    void setUp() throws IOException {
        Path base = Files.createDirectories(Path.of("target", "plan-it").toAbsolutePath());
        Path root = Files.createTempDirectory(base, "plan").toRealPath();
        workspace = Files.createDirectories(root.resolve("workspace"));
        Files.createDirectories(workspace.resolve("build/old"));
        cli = CliRunner.in(Files.createDirectories(root.resolve("airlock")));
        Files.writeString(cli.configFile(), FAST_KDF);
        cli.ok("init");
        server = FakeModelServer.openAi();
        Files.writeString(cli.configFile(), FAST_KDF + "models:\n  providers:\n    fake: {type: openai, base_url: '" + server.baseUrl()
                + "'}\nagents:\n  model: fake/planner\n");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void plan_out_writesAGatedWorkflowThatRunValidates() throws IOException {
        server.replyText(CARELESS_PLAN);
        Path out = workspace.resolve("cleanup.yaml");
        CliRunner.Result r = cli.run("plan", "--workspace", workspace.toString(), "-o", out.toString(), "remove", "old", "builds");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("approval gates added by Airlock: approve-remove");
        String saved = Files.readString(out);
        assertThat(saved).contains("approve-remove").contains("type: approval_gate");
        // the saved plan runs; non-interactive stops at the gate (exit 5) and nothing is deleted
        CliRunner.Result run = cli.run("run", out.toString(), "--workspace", workspace.toString(), "--non-interactive");
        assertThat(run.code()).as(run.err()).isEqualTo(5);
        assertThat(workspace.resolve("build/old")).isDirectory();
        assertThat(cli.run("plan", "--workspace", workspace.toString(), "-o", out.toString(), "again").code()).isEqualTo(2);
    }

    @Test
    void plan_run_declinedAtTheConfirmation_runsNothing() {
        server.replyText(CARELESS_PLAN);
        CliRunner.Result r = cli.runWithInput("n\n", "plan", "--workspace", workspace.toString(), "--run", "clean");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.out()).contains("approve-remove");
        assertThat(r.err()).contains("not run");
        assertThat(workspace.resolve("build/old")).isDirectory();
    }

    @Test
    void plan_run_withYes_approvesTheGate_recordedAsYes() {
        server.replyText(CARELESS_PLAN);
        CliRunner.Result r = cli.run("plan", "--workspace", workspace.toString(), "--run", "--yes", "clean");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(workspace.resolve("build/old")).doesNotExist();
        assertThat(cli.ok("audit", "tail", "-n", "200", "--json").out()).contains("--yes");
    }
}
