package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything printed with --json parses, and export writes private files and records itself. */
class JsonOutputTest {
    @TempDir
    Path temp;

    CliRunner cli;
    JsonNode init;

    @BeforeEach
    void init() {
        cli = CliRunner.in(temp);
        init = cli.ok("init", "--json").json();
    }

    @Test
    void init_json_describesTheHome() {
        assertThat(init.get("home").asText()).isEqualTo(cli.home().toString());
        assertThat(init.get("tenant").asText()).isEqualTo("default");
        assertThat(init.get("created").isBoolean()).isTrue();
    }

    @Test
    void tenantList_json_isAnArrayOfTenants() {
        JsonNode list = cli.ok("tenant", "list", "--json").json();
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).get("name").asText()).isEqualTo("default");
        assertThat(list.get(0).get("audit_rows").isIntegralNumber()).isTrue();
    }

    @Test
    void auditVerify_json_reportsAnIntactChain() {
        JsonNode v = cli.ok("audit", "verify", "--json").json();
        assertThat(v.get("intact").asBoolean()).isTrue();
        assertThat(v.get("tenant").asText()).isEqualTo("default");
        assertThat(v.get("rows").asLong()).isPositive();
        assertThat(v.get("head").asText()).hasSize(64);
        assertThat(v.has("break")).isFalse();
    }

    @Test
    void auditTail_json_isOneObjectPerLine_newestLast() {
        cli.ok("audit", "export", "--format", "jsonl");
        List<JsonNode> rows = cli.ok("audit", "tail", "--json").jsonLines();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).get("seq").asLong()).isEqualTo(rows.get(i - 1).get("seq").asLong() + 1);
            assertThat(rows.get(i).get("prev_hash").asText()).isEqualTo(rows.get(i - 1).get("hash").asText());
        }
        assertThat(cli.ok("audit", "tail", "-n", "1", "--json").jsonLines()).hasSize(1);
    }

    @Test
    void auditShow_json_isTheWholeRow() {
        JsonNode row = cli.ok("audit", "show", "1", "--json").json();
        assertThat(row.get("seq").asLong()).isEqualTo(1);
        assertThat(row.get("action").asText()).isEqualTo("tenant.create");
        assertThat(row.get("details").isObject()).isTrue();
        for (String field : List.of("time", "actor", "target", "outcome", "prev_hash", "hash")) {
            assertThat(row.has(field)).as(field).isTrue();
        }
    }

    @Test
    void configShow_json_parses() {
        JsonNode c = cli.ok("config", "show", "--json").json();
        assertThat(c.get("audit").get("checkpoint_every_rows").asInt()).isEqualTo(1000);
        // every section is shown, not only some: the effective models and agents too
        assertThat(c.fieldNames()).toIterable().contains("agents", "models", "policy", "sandbox", "security", "vault", "redaction");
        assertThat(c.get("models").get("providers").get("openai").get("api_key").asText()).isEqualTo("secret:OPENAI_API_KEY");
    }

    @Test
    void exportToAFile_createsIt0600_andRecordsAnAuditExportRow() throws Exception {
        Path out = temp.resolve("siem").resolve("audit.cef");
        Files.createDirectories(out.getParent());
        var r = cli.ok("audit", "export", "--format", "cef", "--out", out.toString());
        assertThat(r.out()).isEmpty();
        assertThat(out).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(out)).isNotEmpty().allMatch(l -> l.startsWith("CEF:0|"));
        try (var left = Files.list(out.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temp file left behind").containsExactly("audit.cef");
        }
        JsonNode last = cli.ok("audit", "tail", "-n", "1", "--json").json();
        JsonNode export = last.get("action").asText().equals("audit.export") ? last
                : cli.ok("audit", "tail", "-n", "3", "--json").jsonLines().stream()
                        .filter(n -> n.get("action").asText().equals("audit.export")).findFirst().orElseThrow();
        assertThat(export.get("details").get("format").asText()).isEqualTo("cef");
        assertThat(export.get("details").get("destination").asText()).isEqualTo(out.toString());
        cli.ok("audit", "verify");
    }

    @Test
    void exportOverAnExistingWiderFile_leavesIt0600() throws Exception {
        Path out = temp.resolve("old.jsonl");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r--r--"));
        cli.ok("audit", "export", "--format", "jsonl", "--out", out.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(Files.readString(out)).doesNotContain("old").contains("\"seq\":1");
    }

    @Test
    void exportSince_filtersBySeqAndByTime() {
        cli.ok("audit", "export", "--format", "jsonl");
        int rows = cli.ok("audit", "tail", "-n", "1000000", "--json").jsonLines().size();
        List<JsonNode> fromTwo = cli.ok("audit", "export", "--format", "jsonl", "--since", "2").jsonLines();
        assertThat(fromTwo).extracting(n -> n.get("seq").asLong()).first().isEqualTo(2L);
        assertThat(fromTwo).hasSize(rows - 1);
        assertThat(cli.ok("audit", "export", "--format", "jsonl", "--since", "2999-01-01").jsonLines()).isEmpty();
        assertThat(cli.ok("audit", "export", "--format", "jsonl", "--since", "2000-01-01T00:00:00Z").jsonLines()).isNotEmpty();
    }

    @Test
    void exportToAMissingFolder_exits1_namingIt_andRecordsNothing() {
        long rows = cli.ok("audit", "verify", "--json").json().get("rows").asLong();
        Path out = temp.resolve("no/such/dir/x.jsonl");
        var r = cli.run("audit", "export", "--format", "jsonl", "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.oneLineError()).contains("cannot write").contains(out.getParent().toString());
        assertThat(cli.ok("audit", "verify", "--json").json().get("rows").asLong()).isEqualTo(rows);
    }

    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> exportOverAirlocksOwnFiles_isRefused_andTheLogSurvives() {
        // Regression: --out tenants/default/airlock.db replaced the database with the export, losing the audit log.
        return java.util.stream.Stream.of("tenants/default/airlock.db", "tenants/default/audit.checkpoints",
                "tenants/default/../default/airlock.db", "tenants/new-file", "logs/airlock.log", "airlock.home", "tenants", ".")
                .map(rel -> org.junit.jupiter.api.DynamicTest.dynamicTest(rel, () -> {
                    java.util.Map<String, String> before = CliRunner.snapshot(cli.home().resolve("tenants"));
                    var r = cli.run("audit", "export", "--format", "jsonl", "--out", cli.home() + "/" + rel);
                    assertThat(r.code()).isEqualTo(2);
                    assertThat(r.oneLineError()).contains("--out").containsAnyOf("Airlock's own files", "is a folder");
                    assertThat(CliRunner.snapshot(cli.home().resolve("tenants"))).isEqualTo(before);
                    cli.ok("audit", "verify");
                }));
    }
}
