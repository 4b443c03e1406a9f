package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.cli.ExecCliFixture.Result;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code airlock policy check}: explains, exits 0/5/4, and never runs or records a command. */
class PolicyCheckCommandTest {
    static ExecCliFixture f;

    @BeforeAll
    static void home() {
        f = new ExecCliFixture("").init();
    }

    @Test
    void check_exitsZeroForAnAllowedLine() {
        Result r = f.policyCheck(false, "git status && ls -la");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("decision: allow").contains("git status").contains("READ_ONLY");
    }

    @Test
    void check_exitsFiveForAnAskedLine() {
        Result r = f.policyCheck(false, "touch policy-check-marker");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.out()).startsWith("decision: ask");
    }

    @Test
    void check_exitsFourForADeniedLine_andNamesTheRule() {
        Result r = f.policyCheck(false, "ls; sudo touch /etc/x");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).startsWith("decision: deny").contains("sudo").contains("reason:");
    }

    @Test
    void check_json_givesEachCommandItsClassesVerdictAndRules() throws Exception {
        Result r = f.policyCheck(true, "git status && rm -rf / ; touch x");
        assertThat(r.code()).isEqualTo(4);
        JsonNode j = ExecCliFixture.JSON.readTree(r.out());
        assertThat(j.path("decision").asText()).isEqualTo("deny");
        assertThat(j.path("line").asText()).isEqualTo("git status && rm -rf / ; touch x");
        JsonNode cmds = j.path("commands");
        assertThat(cmds.size()).isEqualTo(3);
        assertThat(cmds.get(0).path("verdict").asText()).isEqualTo("allow");
        assertThat(cmds.get(0).path("classes").toString()).contains("READ_ONLY");
        assertThat(cmds.get(1).path("verdict").asText()).isEqualTo("deny");
        assertThat(cmds.get(1).path("classes").toString()).contains("DESTRUCTIVE");
        assertThat(cmds.get(1).path("rules").isArray()).isTrue();
        assertThat(cmds.get(1).path("rules").size()).isPositive();
        assertThat(cmds.get(2).path("verdict").asText()).isEqualTo("ask");
        assertThat(j.path("reasons").isArray()).isTrue();
    }

    @Test
    void check_runsNothingAndRecordsNoExec() {
        int before = f.auditRows().size();
        for (String line : List.of("touch policy-ran", "ls > policy-ran", "sudo touch policy-ran")) {
            f.policyCheck(false, line);
            f.policyCheck(true, line);
        }
        assertThat(f.workspace.resolve("policy-ran")).doesNotExist();
        assertThat(f.auditRows("gate.exec")).isEmpty();
        assertThat(f.auditRows()).hasSize(before);
    }

    @Test
    void check_scrubsCredentialsFromWhatItPrints() {
        String key = "AKIAYL7SN5PKZJLI6UFH";
        Result text = f.policyCheck(false, "echo " + key + " > out.txt");
        Result json = f.policyCheck(true, "echo " + key + " > out.txt");
        assertThat(text.all() + json.all()).doesNotContain(key);
    }

    @Test
    void check_beforeInit_stillExplains_andCreatesNoHome() {
        ExecCliFixture fresh = new ExecCliFixture("");
        assertThat(fresh.policyCheck(false, "sudo ls").code()).isEqualTo(4);
        assertThat(fresh.policyCheck(false, "ls").code()).isZero();
        assertThat(fresh.home).doesNotExist();
    }

    @Test
    void check_exitsAsExecWould_whenTheSandboxIsOff() {
        ExecCliFixture off = new ExecCliFixture("sandbox: {enabled: false}\n").init();
        Result r = off.policyCheck(false, "ls");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.out()).startsWith("decision: ask").contains("sandbox is off");
        assertThat(off.exec("", List.of("--non-interactive"), "ls").code()).isEqualTo(5);
    }

    @Test
    void check_exitsAsExecWould_forAWorkspaceInsideTheAirlockHome() {
        ExecCliFixture own = new ExecCliFixture("").init();
        Result r = own.run("policy", "check", "--workspace", own.home.toString(), "--", "ls");
        assertThat(r.code()).isEqualTo(4);
        assertThat(own.run("exec", "--workspace", own.home.toString(), "--", "ls").code()).isEqualTo(4);
    }

    @Test
    void check_withoutALineIsAUsageError() {
        assertThat(f.run("policy", "check").code()).isEqualTo(2);
        assertThat(f.run("policy").code()).isEqualTo(2);
        assertThat(f.run("policy", "check", "--bogus", "--", "ls").code()).isEqualTo(2);
    }
}
