package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code airlock run / runs / approve / deny} end to end: the runner in a child JVM (a real second OS
 * process), decisions from this one, SIGKILL and resume, against a real home, bubblewrap and SQLite.
 */
class WorkflowCliTest {
    static final String CLEANUP = """
            name: cleanup
            nodes:
              - {id: look, type: shell, command: "ls build"}
              - {id: ok, type: approval_gate, message: "Delete build?", depends_on: [look]}
              - {id: clean, type: shell, command: "rm -rf build", depends_on: [ok]}
            """;
    static final Pattern WAITING = Pattern.compile("airlock: run (r[a-z0-9]+) is waiting at gate '([^']+)'");

    ExecCliFixture f;
    Path wf;
    final List<Process> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        f = new ExecCliFixture("").init();
        Files.createDirectories(f.workspace.resolve("build"));
        Files.writeString(f.workspace.resolve("build/out.bin"), "data");
        wf = f.root.resolve("cleanup.yaml");
        Files.writeString(wf, CLEANUP);
    }

    @AfterEach
    void tearDown() {
        children.forEach(Process::destroyForcibly);
    }

    /** The runner as its own OS process; stderr lines are collected as they come. */
    record Child(Process process, List<String> err) {
        String waitFor(Pattern p, int seconds) throws InterruptedException {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (String l : err) {
                    Matcher m = p.matcher(l);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                if (!process.isAlive() && err.stream().noneMatch(l -> p.matcher(l).find())) {
                    Thread.sleep(50);
                    if (err.stream().noneMatch(l -> p.matcher(l).find())) {
                        throw new AssertionError("child ended (" + process.exitValue() + ") before " + p + ": " + err);
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no " + p + " within " + seconds + "s: " + err);
        }
    }

    Child child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home", f.home.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(f.env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        children.add(p);
        List<String> err = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.add(line);
                }
            } catch (IOException e) {
                // the process went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Child(p, err);
    }

    int exit(Child c) throws InterruptedException {
        assertThat(c.process().waitFor(120, TimeUnit.SECONDS)).as("child finished: %s", c.err()).isTrue();
        return c.process().exitValue();
    }

    @Test
    void approveFromASecondProcess_releasesTheWaitingRun_andTheCommandRuns() throws Exception {
        Child runner = child("run", wf.toString(), "--workspace", f.workspace.toString());
        String runId = runner.waitFor(WAITING, 60);
        assertThat(runner.err()).anyMatch(l -> l.contains("DESTRUCTIVE clean: rm -rf build"));
        assertThat(Files.exists(f.workspace.resolve("build"))).isTrue();
        ExecCliFixture.Result approve = f.run("approve", runId, "ok");
        assertThat(approve.code()).as(approve.err()).isZero();
        assertThat(approve.err()).contains("DESTRUCTIVE clean: rm -rf build");
        assertThat(exit(runner)).as("%s", runner.err()).isZero();
        assertThat(Files.exists(f.workspace.resolve("build"))).isFalse();
        assertThat(runner.err()).anyMatch(l -> l.matches("airlock: run " + runId + " succeeded; nodes: 3 \\(3 succeeded\\); cost \\$0.00; took .*"));
        List<ExecCliFixture.Row> rows = f.auditRows();
        int grant = indexOf(rows, "workflow.approval.grant");
        int exec = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).action().equals("gate.exec") && rows.get(i).details().path("line").asText().equals("rm -rf build")) {
                exec = i;
            }
        }
        assertThat(grant).isGreaterThanOrEqualTo(0).isLessThan(exec);
        assertThat(f.run("audit", "verify").code()).isZero();
    }

    @Test
    void denyFromASecondProcess_failsTheGate_exit5_andNothingBehindItRuns() throws Exception {
        Child runner = child("run", wf.toString(), "--workspace", f.workspace.toString());
        String runId = runner.waitFor(WAITING, 60);
        ExecCliFixture.Result deny = f.run("deny", runId, "ok", "--reason", "not now");
        assertThat(deny.code()).as(deny.err()).isZero();
        assertThat(exit(runner)).isEqualTo(5);
        assertThat(Files.exists(f.workspace.resolve("build/out.bin"))).isTrue();
        JsonNode show = json(f.run("--json", "runs", "show", runId));
        assertThat(show.path("state").asText()).isEqualTo("failed");
        assertThat(show.path("reason").asText()).isEqualTo("approval_denied");
        assertThat(show.path("approvals").get(0).path("reason").asText()).isEqualTo("not now");
        assertThat(show.path("nodes").get(2).path("state").asText()).isEqualTo("skipped");
    }

    @Test
    void resumeAfterSigkillWhileParked_continuesWithTheApprovalGivenMeanwhile() throws Exception {
        Child runner = child("run", wf.toString(), "--workspace", f.workspace.toString());
        String runId = runner.waitFor(WAITING, 60);
        runner.process().destroyForcibly();
        exit(runner);
        assertThat(f.run("approve", runId, "ok").code()).isZero();
        ExecCliFixture.Result resumed = f.run("run", "--resume", runId, "--non-interactive");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("run " + runId + " resumed");
        assertThat(Files.exists(f.workspace.resolve("build"))).isFalse();
        assertThat(f.run("audit", "verify").code()).isZero();
    }

    @Test
    void resumeAfterSigkillWhileANodeRuns_failsItAsInterrupted_orRetriesItWhenAllowed() throws Exception {
        Path slow = f.root.resolve("slow.yaml");
        Files.writeString(slow, """
                name: slow
                nodes:
                  - {id: once, type: shell, command: "sleep 30"}
                  - {id: again, type: shell, command: "sleep 30; echo never", retries: 1, timeout: 2s}
                """);
        Child runner = child("run", slow.toString(), "--workspace", f.workspace.toString(), "--non-interactive");
        Pattern started = Pattern.compile("airlock: run (r[a-z0-9]+) started");
        String runId = runner.waitFor(started, 60);
        runner.waitFor(Pattern.compile("started +(again)"), 60);
        runner.waitFor(Pattern.compile("started +(once)"), 60);
        runner.process().destroyForcibly();
        exit(runner);
        ExecCliFixture.Result resumed = f.run("--json", "run", "--resume", runId, "--non-interactive");
        assertThat(resumed.code()).as(resumed.err()).isEqualTo(1);
        JsonNode show = json(f.run("--json", "runs", "show", runId));
        assertThat(show.path("nodes").get(0).path("error").asText()).startsWith("interrupted");
        // 'again' was tried once more after the kill (attempt 2), and timed out on its own limit.
        assertThat(show.path("nodes").get(1).path("attempts").asInt()).isEqualTo(2);
        assertThat(show.path("nodes").get(1).path("error").asText()).isEqualTo("timed out after 2s");
        assertThat(f.auditRows("workflow.node.end").stream().map(ExecCliFixture.Row::outcome)).contains("interrupted");
    }

    @Test
    void nonInteractive_exits5AtTheGate_andTheRunIsListedAsParked() {
        ExecCliFixture.Result r = f.run("run", wf.toString(), "--workspace", f.workspace.toString(), "--non-interactive");
        assertThat(r.code()).as(r.err()).isEqualTo(5);
        assertThat(r.err()).contains("parked at an approval gate (exit 5)");
        JsonNode list = json(f.run("--json", "runs", "list"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("state").asText()).isEqualTo("parked");
        assertThat(list.get(0).path("reason").asText()).isEqualTo("approval_required");
        assertThat(Files.exists(f.workspace.resolve("build"))).isTrue();
        ExecCliFixture.Result text = f.run("runs", "list");
        assertThat(text.out()).contains("parked").contains("cleanup");
    }

    @Test
    void yes_runsToTheEnd_andShowsOutputsOnlyWhenAsked() {
        ExecCliFixture.Result r = f.run("--json", "run", wf.toString(), "--workspace", f.workspace.toString(), "--yes");
        assertThat(r.code()).as(r.err()).isZero();
        String runId = json(r).path("run").asText();
        JsonNode withOut = json(f.run("--json", "runs", "show", runId, "--outputs"));
        assertThat(withOut.path("nodes").get(0).path("output").asText()).isEqualTo("out.bin");
        assertThat(withOut.path("approvals").get(0).path("approver").asText()).isEqualTo("--yes");
        assertThat(json(f.run("--json", "runs", "show", runId)).path("nodes").get(0).has("output")).isFalse();
    }

    @Test
    void invalidWorkflow_exit2_oneLineNamingTheNode_andTheHomeIsLeftAsItWas() throws IOException {
        Path bad = f.root.resolve("bad.yaml");
        Files.writeString(bad, """
                name: bad
                nodes:
                  - {id: ok, type: approval_gate, message: "fine?"}
                  - {id: mid, type: shell, command: "echo mid", depends_on: [ok]}
                  - {id: wipe, type: shell, command: "bash -c 'rm -rf build'", depends_on: [mid]}
                """);
        var before = CliRunner.snapshot(f.home);
        ExecCliFixture.Result r = f.run("run", bad.toString(), "--workspace", f.workspace.toString(), "--yes");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("airlock: workflow 'bad' refused, nothing ran: node 'wipe' is destructive (rm)");
        assertThat(CliRunner.snapshot(f.home)).isEqualTo(before);
        for (String[] args : new String[][] {{"run"}, {"run", "nope.yaml"}, {"run", wf.toString(), "--input", "x"},
            {"run", wf.toString(), "--input", "x=1"}, {"run", "--resume", "rnothere"}, {"approve", "rnothere", "ok"},
            {"runs", "show", "rnothere"}}) {
            ExecCliFixture.Result e = f.run(args);
            assertThat(e.code()).as(String.join(" ", args) + ": " + e.err()).isEqualTo(2);
            assertThat(e.err().lines().toList()).as(e.err()).hasSize(1);
        }
        Path remote = f.root.resolve("remote.yaml");
        Files.writeString(remote, "name: r\nnodes:\n  - {id: web, type: remote, command: uptime}\n");
        ExecCliFixture.Result e = f.run("run", remote.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("node 'web' has type remote, which is not available yet");
    }

    @Test
    void schedule_addListRemove_andRefusals() {
        ExecCliFixture.Result add = f.run("--json", "schedule", "add", "--cron", "0 3 * * *", wf.toString(), "--workspace",
                f.workspace.toString());
        assertThat(add.code()).as(add.err()).isZero();
        String id = json(add).path("id").asText();
        assertThat(json(add).path("next").asText()).endsWith("T03:00:00Z");
        JsonNode list = json(f.run("--json", "schedule", "list"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("file").asText()).isEqualTo(wf.toString());
        assertThat(f.run("schedule", "list").out()).contains(id).contains("0 3 * * *");
        ExecCliFixture.Result badCron = f.run("schedule", "add", "--cron", "at dawn", wf.toString());
        assertThat(badCron.code()).isEqualTo(2);
        assertThat(badCron.err()).contains("cron expression 'at dawn' is not valid");
        ExecCliFixture.Result badInput = f.run("schedule", "add", "--cron", "0 3 * * *", wf.toString(), "--input", "x=1");
        assertThat(badInput.code()).isEqualTo(2);
        assertThat(f.run("schedule", "rm", id).code()).isZero();
        assertThat(f.run("schedule", "rm", id).code()).isEqualTo(2);
        assertThat(json(f.run("--json", "schedule", "list"))).isEmpty();
        assertThat(f.auditRows("workflow.schedule.add")).hasSize(1);
        assertThat(f.auditRows("workflow.schedule.remove")).hasSize(1);
    }

    @Test
    void llmNodes_reachTheConfiguredProviderAndAgent_andUsageIsRecorded() throws IOException {
        try (dev.airlock.llm.fake.FakeModelServer server = dev.airlock.llm.fake.FakeModelServer.openAi()) {
            Files.writeString(f.config, "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n" + """
                    models:
                      providers:
                        fake: {type: openai, base_url: '%s'}
                    agents:
                      model: fake/fake-model
                    """.formatted(server.baseUrl()));
            server.reply(dev.airlock.llm.fake.Reply.text("two folders").withUsage(30, 5))
                    .reply(dev.airlock.llm.fake.Reply.text("fine by the agent").withUsage(40, 6));
            Path llm = f.root.resolve("llm.yaml");
            Files.writeString(llm, """
                    name: ask
                    cost_cap_usd: 0.01
                    nodes:
                      - {id: look, type: shell, command: "ls"}
                      - {id: sum, type: llm, model: fake/fake-model, prompt: "Count: {{nodes.look.output}}", max_tokens: 20, depends_on: [look]}
                      - {id: agent, type: llm, agent: default, prompt: "Check: {{nodes.sum.output}}", max_tokens: 20, depends_on: [sum]}
                    """);
            ExecCliFixture.Result r = f.run("--json", "run", llm.toString(), "--workspace", f.workspace.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(server.requests().get(1).body()).contains("two folders");
            JsonNode show = json(f.run("--json", "runs", "show", json(r).path("run").asText(), "--outputs"));
            assertThat(show.path("nodes").get(2).path("output").asText()).isEqualTo("fine by the agent");
            assertThat(show.path("nodes").get(1).path("input_tokens").asLong()).isEqualTo(30);
            // A provider on this machine is free: the cost is known and zero.
            assertThat(show.path("nodes").get(1).path("cost_usd").asText()).isEqualTo("0");
            assertThat(f.auditRows("egress.request")).hasSize(2);
        }
    }

    static int indexOf(List<ExecCliFixture.Row> rows, String action) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).action().equals(action)) {
                return i;
            }
        }
        return -1;
    }

    static JsonNode json(ExecCliFixture.Result r) {
        assertThat(r.code()).as(r.err()).isIn(0, 1, 5);
        return ExecCliFixture.parse(r.out());
    }
}
