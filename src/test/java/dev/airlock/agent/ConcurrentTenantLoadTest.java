package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliRunner;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.RecordedRequest;
import dev.airlock.llm.fake.Reply;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eight real processes on one tenant at once — two chatting with tool calls against a fake model
 * on loopback, two running commands in the sandbox, two setting secrets, two running a workflow —
 * for {@code -Dairlock.load.seconds} (default 60; CI may use 30): not one command fails (no
 * {@code SQLITE_BUSY}), and {@code airlock audit verify} finds the log intact afterwards.
 * Regression: a long agent turn on a loaded machine died with "database is locked" inserting a chat
 * message. With the tenant's transactions back to {@code DEFERRED} and no retry, this test fails the
 * same way within 30 s ({@code [SQLITE_BUSY] … INSERT INTO chat_message}).
 */
class ConcurrentTenantLoadTest {
    private static final String FAST_KDF = "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n";
    private final List<Process> children = new ArrayList<>();
    private FakeModelServer server;

    @AfterEach
    void tearDown() {
        children.forEach(Process::destroyForcibly);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eightProcessesOnOneTenant_chatExecSecretsAndWorkflows_noErrorAndTheAuditLogVerifies() throws Exception {
        long seconds = Long.getLong("airlock.load.seconds", 60);
        Path base = Files.createDirectories(Path.of("target", "load-it").toAbsolutePath());
        Path root = Files.createTempDirectory(base, "load").toRealPath();
        // not below root: the config folder (root) is hidden from commands, and a workspace inside it is refused
        Path workspace = Files.createTempDirectory(base, "workspace").toRealPath();
        Files.writeString(workspace.resolve("README.md"), "Project Falcon\n");
        Files.writeString(workspace.resolve(".env"), "API_TOKEN=never-leaves-0123456789\n");
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/App.java"), "class App {}\n");
        Path workflow = root.resolve("look.yaml");
        Files.writeString(workflow, """
                name: look
                nodes:
                  - {id: list, type: shell, command: "ls -la"}
                  - {id: count, type: shell, command: "wc -l README.md", depends_on: [list]}
                """);
        CliRunner cli = CliRunner.in(root);
        Files.writeString(cli.configFile(), FAST_KDF);
        cli.ok("init");
        cli.runWithInput("fake-key-0123456789\n", "secrets", "set", "FAKE_API_KEY", "--stdin");
        server = FakeModelServer.openAi();
        // Each turn is long, as in the regression: batches of tool calls (reads, a listing, a search, refused
        // .env reads and edits) until about 60 results are in the history, then an answer.
        server.script((RecordedRequest req) -> req.body().split("\"tool_call_id\"", -1).length > 60 ? Reply.text("Done looking.")
                : Reply.toolCalls(
                        new Reply.Call("a", "read_file", "{\"path\":\"README.md\"}"),
                        new Reply.Call("b", "list_files", "{\"path\":\".\",\"recursive\":true}"),
                        new Reply.Call("c", "search_files", "{\"pattern\":\"class\"}"),
                        new Reply.Call("d", "read_file", "{\"path\":\".env\"}"),
                        new Reply.Call("e", "edit_file", "{\"path\":\".env\",\"old_text\":\"API\",\"new_text\":\"x\"}"),
                        new Reply.Call("f", "read_file", "{\"path\":\"src/App.java\"}")));
        Files.writeString(cli.configFile(), FAST_KDF + """
                models:
                  providers:
                    fake: {type: openai, base_url: '%s', api_key: 'secret:FAKE_API_KEY'}
                agents:
                  model: fake/fake-model
                """.formatted(server.baseUrl()));

        List<List<String>> outputs = new ArrayList<>();
        for (String role : List.of("chat", "chat", "exec", "exec", "secrets", "secrets", "workflow", "workflow")) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), LoadWorker.class.getName(),
                    role, Long.toString(seconds), cli.home().toString(), workspace.toString(), workflow.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().clear();
            pb.environment().putAll(cli.env());
            pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            children.add(p);
            List<String> lines = new CopyOnWriteArrayList<>();
            outputs.add(lines);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process went away
                }
            });
            t.setDaemon(true);
            t.start();
        }
        int totalOps = 0;
        for (int i = 0; i < children.size(); i++) {
            Process p = children.get(i);
            assertThat(p.waitFor(seconds + 240, TimeUnit.SECONDS)).as("worker %d finished: %s", i, outputs.get(i)).isTrue();
            Thread.sleep(100);
            List<String> out = outputs.get(i);
            assertThat(out).as("worker %d", i).noneMatch(l -> l.startsWith("FAIL"));
            assertThat(p.exitValue()).as("worker %d: %s", i, out).isZero();
            String done = out.stream().filter(l -> l.startsWith("done ")).findFirst().orElseThrow();
            totalOps += Integer.parseInt(done.split(" ")[1]);
        }
        assertThat(totalOps).isGreaterThanOrEqualTo(8);
        assertThat(server.requestCount()).isPositive();
        for (RecordedRequest r : server.requests()) {
            assertThat(r.body()).doesNotContain("never-leaves-0123456789");
        }
        CliRunner.Result verify = cli.run("audit", "verify");
        assertThat(verify.code()).as("audit verify: %s %s", verify.out(), verify.err()).isZero();
        System.out.println("[load] " + seconds + " s, 8 processes, " + totalOps + " commands, " + server.requestCount()
                + " model requests; audit verify: " + verify.out().strip());
    }
}
