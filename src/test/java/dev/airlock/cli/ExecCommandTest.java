package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.ExecCliFixture.Result;
import dev.airlock.cli.ExecCliFixture.Row;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code airlock exec} against a real home, real bubblewrap and real processes. */
class ExecCommandTest {
    static final String AWS_KEY = "AKIAYL7SN5PKZJLI6UFH";
    static final String GH_TOKEN = "ghp_S0kygsu1uFrX33f1uwvqx6i9wLrvNYCSy02I";

    static ExecCliFixture f;

    @BeforeAll
    static void home() {
        f = new ExecCliFixture("").init();
    }

    private static Row execRow(String line) {
        List<Row> rows = f.auditRows("gate.exec").stream().filter(r -> r.details().path("line").asText().equals(line)).toList();
        assertThat(rows).as("one gate.exec row for %s", line).hasSize(1);
        return rows.get(0);
    }

    @Test
    void exec_runsAnAllowedCommandInTheWorkspaceWithoutAsking() throws Exception {
        Files.writeString(f.workspace.resolve("listed-file.txt"), "x");
        Result r = f.exec("", List.of("--non-interactive"), "ls");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("listed-file.txt");
        Row row = execRow("ls");
        assertThat(row.outcome()).isEqualTo("approved");
        assertThat(row.details().path("approver").asText()).isEqualTo("policy");
        assertThat(row.details().path("sandbox").asText()).isEqualTo("bubblewrap");
    }

    @Test
    void exec_runsAnAskedCommandWhenTheTerminalAnswersYes() {
        String line = "touch approved-by-user";
        Result r = f.exec("y\n", List.of(), line);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("needs your approval").contains(line);
        assertThat(f.workspace.resolve("approved-by-user")).exists();
        Row row = execRow(line);
        assertThat(row.outcome()).isEqualTo("approved");
        assertThat(row.details().path("approver").asText()).isEqualTo("user");
    }

    @Test
    void exec_refusesAnAskedCommandWhenTheTerminalGivesNoAnswer() {
        String line = "touch never-answered";
        Result r = f.exec("", List.of(), line);
        assertThat(r.code()).as(r.err()).isEqualTo(5);
        assertThat(f.workspace.resolve("never-answered")).doesNotExist();
        assertThat(execRow(line).outcome()).isEqualTo("refused");
    }

    @Test
    void exec_refusesAnAskedCommandWhenTheTerminalAnswersNo() {
        String line = "touch answered-no";
        Result r = f.exec("n\n", List.of(), line);
        assertThat(r.code()).isEqualTo(5);
        assertThat(f.workspace.resolve("answered-no")).doesNotExist();
        assertThat(execRow(line).outcome()).isEqualTo("refused");
    }

    @Test
    void exec_nonInteractiveRefusesAnAskWithoutReadingStdin() {
        String line = "touch non-interactive";
        Result r = f.exec("y\n", List.of("--non-interactive"), line);
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).doesNotContain("Run it?");
        assertThat(f.workspace.resolve("non-interactive")).doesNotExist();
        Row row = execRow(line);
        assertThat(row.outcome()).isEqualTo("refused");
        assertThat(row.details().path("approver").asText()).isEqualTo("refusal");
    }

    @Test
    void exec_yesRunsAnAskAndRecordsWhoApproved() {
        String line = "touch approved-by-flag";
        Result r = f.exec("", List.of("--yes"), line);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(f.workspace.resolve("approved-by-flag")).exists();
        assertThat(execRow(line).details().path("approver").asText()).isEqualTo("--yes");
    }

    @Test
    void exec_deniesSudoEvenWithYes() {
        String line = "touch sudo-marker; sudo true";
        Result r = f.exec("y\n", List.of("--yes"), line);
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("denied by policy");
        assertThat(f.workspace.resolve("sudo-marker")).doesNotExist();
        assertThat(execRow(line).outcome()).isEqualTo("denied");
    }

    @Test
    void exec_returnsTheCommandsOwnExitStatus() {
        Result r = f.exec("", List.of("--yes"), "exit 7");
        assertThat(r.code()).isEqualTo(7);
    }

    @Test
    void exec_neverShowsCredentialsTheCommandPrints_evenSplitAcrossWrites() {
        String half = AWS_KEY.substring(0, 10);
        String rest = AWS_KEY.substring(10);
        String line = "printf 'key=" + half + "'; sleep 0.3; printf '" + rest + "\\n'; echo token " + GH_TOKEN + " >&2";
        Result r = f.exec("", List.of("--yes"), line);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.all()).doesNotContain(AWS_KEY).doesNotContain(GH_TOKEN).contains("key=");
        f.run("audit", "verify"); // closes nothing; just makes sure every row is flushed by another process
        assertThat(ExecCliFixture.allFileText(f.home)).doesNotContain(AWS_KEY).doesNotContain(GH_TOKEN)
                .doesNotContain(GH_TOKEN.substring(4));
    }

    @Test
    void exec_cannotWriteOutsideTheWorkspaceEvenWhenApproved() {
        var target = f.outside.resolve("escaped");
        Result r = f.exec("", List.of("--yes"), "touch " + target);
        assertThat(target).doesNotExist();
        assertThat(r.code()).as("out %s err %s", r.out(), r.err()).isNotZero();
    }

    @Test
    void exec_passesNoSecretFromTheCallersEnvironment() {
        f.env.put("AIRLOCK_TEST_API_TOKEN", "env-marker-value-4711");
        f.env.put("HARMLESS_LOOKING", "env-marker-value-4712");
        try {
            Result r = f.exec("", List.of("--yes"), "env");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("PATH=").doesNotContain("env-marker-value-4711")
                    .doesNotContain("AIRLOCK_PASSWORD").doesNotContain(ExecCliFixture.PASSWORD);
        } finally {
            f.env.remove("AIRLOCK_TEST_API_TOKEN");
            f.env.remove("HARMLESS_LOOKING");
        }
    }

    @Test
    void exec_cannotSeeTheAirlockHome() {
        var db = f.home.resolve("tenants/default/airlock.db");
        assertThat(db).exists();
        Result r = f.exec("", List.of("--yes"), "if test -e " + db + "; then echo VISIBLE; else echo HIDDEN; fi");
        assertThat(r.out()).doesNotContain("VISIBLE");
        if (r.code() == 0) {
            assertThat(r.out()).contains("HIDDEN");
        }
    }

    @Test
    void exec_withTheAirlockHomeAsWorkspace_isDenied_evenWithYes() throws Exception {
        var marker = f.home.resolve("tenants/default/planted");
        for (String dir : List.of(f.home.toString(), f.home.resolve("tenants/default").toString())) {
            Result r = f.run("exec", "--yes", "--workspace", dir, "--", "python3 -c 'open(\"planted\", \"w\")'");
            assertThat(r.code()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("inside");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void exec_promptShowsControlCharactersEscaped_soALineCannotDisguiseItself() {
        String line = "touch spoofed-prompt # \r\u001b[2K\u001b[1A ls \u202e";
        Result r = f.exec("n\n", List.of(), line);
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("needs your approval").contains("touch spoofed-prompt").contains("\\x1b[2K").contains("\\r")
                .contains("\\u202e").doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\u202e");
        assertThat(f.workspace.resolve("spoofed-prompt")).doesNotExist();
        Result check = f.policyCheck(false, "touch \"$(printf x)\u001b[2K\" spoofed");
        assertThat(check.out()).doesNotContain("\u001b");
    }

    @Test
    void exec_stopsARunawayCommandAtItsTimeLimit_andCutsOutputAtItsLimit() {
        ExecCliFixture limited = new ExecCliFixture("sandbox: {time_limit_seconds: 1, output_limit_bytes: 1024}\n").init();
        long start = System.nanoTime();
        Result slow = limited.exec("", List.of("--yes"), "sleep 30");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(15));
        assertThat(slow.code()).isNotZero();
        assertThat(slow.err()).contains("time limit");
        Result loud = limited.exec("", List.of("--yes"), "head -c 100000 /dev/zero | tr '\\0' a");
        assertThat(loud.err()).contains("output was cut");
        assertThat(loud.out().length()).isLessThan(100000);
        assertThat(limited.auditRows("gate.exec.finish")).extracting(Row::outcome).contains("timed-out");
    }

    @Test
    void exec_withAWorkspaceAboveTheAirlockHome_stillCannotWriteIntoIt() {
        var planted = f.home.resolve("tenants/default/planted");
        Result r = f.run("exec", "--yes", "--workspace", f.root.toString(), "--", "python3 -c 'open(\"" + planted + "\", \"w\")'");
        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(planted).doesNotExist();
    }

    @Test
    void exec_givesACommandNotClassifiedNetworkOnlyAPrivateLoopback() {
        Result r = f.exec("", List.of("--yes"), "cat /proc/net/dev");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> interfaces = r.out().lines().skip(2).map(l -> l.strip().split(":")[0]).toList();
        assertThat(interfaces).containsExactly("lo");
    }

    @Test
    void exec_agentInAllowlistOnlyMode_isDeniedWhatOthersAreAsked() {
        ExecCliFixture strict = new ExecCliFixture("policy: {agents: {reviewer: {mode: allowlist_only}}}\n").init();
        Result asAgent = strict.exec("y\n", List.of("--yes", "--agent", "reviewer"), "touch reviewer-wrote");
        assertThat(asAgent.code()).as(asAgent.err()).isEqualTo(4);
        assertThat(strict.workspace.resolve("reviewer-wrote")).doesNotExist();
        assertThat(strict.exec("", List.of("--agent", "reviewer", "--non-interactive"), "ls").code()).isZero();
        Result asUser = strict.exec("", List.of("--yes"), "touch user-wrote");
        assertThat(asUser.code()).as(asUser.err()).isZero();
        assertThat(strict.auditRows("gate.exec")).extracting(r -> r.details().path("agent").asText())
                .containsExactly("reviewer", "reviewer", "cli");
    }

    @Test
    void exec_withoutALineIsAUsageError() {
        assertThat(f.run("exec").code()).isEqualTo(2);
        assertThat(f.run("exec", "--workspace", f.workspace.toString(), "--", " ").code()).isEqualTo(2);
    }

    @Test
    void exec_yesAndNonInteractiveTogetherIsAUsageError() {
        assertThat(f.exec("", List.of("--yes", "--non-interactive"), "ls").code()).isEqualTo(2);
    }

    @Test
    void exec_unknownFlagIsAUsageError() {
        assertThat(f.exec("", List.of("--yess"), "ls").code()).isEqualTo(2);
    }

    @Test
    void exec_missingWorkspaceIsAUsageError() {
        Result r = f.run("exec", "--workspace", f.root.resolve("nope").toString(), "--", "ls");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--workspace");
    }

    @Test
    void exec_beforeInitIsAUsageErrorAndCreatesNothing() {
        ExecCliFixture fresh = new ExecCliFixture("");
        Result r = fresh.exec("", List.of("--yes"), "touch before-init");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("init");
        assertThat(fresh.workspace.resolve("before-init")).doesNotExist();
        assertThat(fresh.home).doesNotExist();
    }

    @Test
    void exec_withTheSandboxTurnedOffAsksEvenForLsAndRecordsIt() {
        ExecCliFixture off = new ExecCliFixture("sandbox: {enabled: false}\n").init();
        Result r = off.exec("", List.of("--non-interactive"), "ls");
        assertThat(r.code()).as(r.err()).isEqualTo(5);
        List<Row> rows = off.auditRows("gate.exec");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).outcome()).isEqualTo("refused");
        assertThat(rows.get(0).details().path("sandbox").asText()).startsWith("off");
        off.env.put("MY_SERVICE_TOKEN", "env-marker-value-4713");
        Result env = off.exec("y\n", List.of(), "env");
        assertThat(env.code()).as(env.err()).isZero();
        assertThat(env.err()).contains("NONE: it would run unsandboxed");
        assertThat(env.out()).contains("PATH=").doesNotContain(ExecCliFixture.PASSWORD).doesNotContain("env-marker-value-4713");
        assertThat(off.auditRows("gate.exec")).last().satisfies(row -> {
            assertThat(row.details().path("approver").asText()).isEqualTo("user");
            assertThat(row.details().path("sandbox").asText()).startsWith("off");
        });
    }
}
