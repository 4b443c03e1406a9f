package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.cli.ExecCliFixture.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code airlock doctor} on this machine, where bubblewrap works. */
class DoctorCommandTest {
    static final List<String> CHECKS = List.of("java", "home", "config", "sqlite", "command analysis", "sandbox", "sandbox network", "keychain");

    @Test
    void doctor_passesHere_withOneLinePerCheck() {
        ExecCliFixture f = new ExecCliFixture("").init();
        Result r = f.run("doctor");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(CHECKS.size());
        for (int i = 0; i < CHECKS.size(); i++) {
            assertThat(lines.get(i)).startsWith("ok").contains(CHECKS.get(i));
        }
        assertThat(r.out()).contains("bubblewrap");
    }

    @Test
    void doctor_json_parses_andNamesEveryCheck() throws Exception {
        ExecCliFixture f = new ExecCliFixture("").init();
        Result r = f.run("--json", "doctor");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("{\"ok\":true,\"checks\":[");
        JsonNode j = ExecCliFixture.JSON.readTree(r.out());
        assertThat(j.path("ok").asBoolean()).isTrue();
        List<String> names = new ArrayList<>();
        j.path("checks").forEach(c -> {
            names.add(c.path("check").asText());
            assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue();
            assertThat(c.path("detail").asText()).isNotBlank();
        });
        assertThat(names).containsExactlyElementsOf(CHECKS);
    }

    @Test
    void doctor_beforeInit_failsTheHomeCheck_andCreatesNothing() {
        ExecCliFixture f = new ExecCliFixture("");
        Result r = f.run("doctor");
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).contains("FAIL").contains("airlock init");
        assertThat(f.home).doesNotExist();
    }

    @Test
    void doctor_reportsAnInvalidConfig() {
        ExecCliFixture f = new ExecCliFixture("sandbox: {time_limit_seconds: 0}\n");
        Result r = f.run("doctor");
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).containsPattern("FAIL +config");
    }
}
