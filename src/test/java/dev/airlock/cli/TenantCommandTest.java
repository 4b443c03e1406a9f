package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class TenantCommandTest {
    @TempDir
    Path temp;

    CliRunner cli;

    @BeforeEach
    void init() {
        cli = CliRunner.in(temp);
        cli.ok("init");
    }

    private List<String> names() {
        return cli.ok("tenant", "list", "--json").json().findValuesAsText("name");
    }

    @Test
    void create_thenList_showsBothTenantsSortedWithTheirRows() {
        cli.ok("tenant", "create", "acme");
        JsonNode list = cli.ok("tenant", "list", "--json").json();
        assertThat(list.isArray()).isTrue();
        assertThat(list.findValuesAsText("name")).containsExactly("acme", "default");
        assertThat(list.get(0).get("audit_rows").asLong()).isPositive();
        assertThat(list.get(0).get("path").asText()).isEqualTo(cli.home().resolve("tenants/acme").toString());
        assertThat(cli.tenantDb("acme")).isRegularFile();
    }

    @Test
    void create_recordsTenantCreateAsTheFirstRowOfTheNewLog() {
        cli.ok("tenant", "create", "acme");
        JsonNode first = cli.ok("--tenant", "acme", "audit", "show", "1", "--json").json();
        assertThat(first.get("action").asText()).isEqualTo("tenant.create");
        assertThat(first.get("target").asText()).isEqualTo("tenant:acme");
        cli.ok("--tenant", "acme", "audit", "verify");
    }

    @Test
    void create_ofAnExistingTenant_exits2_andLeavesItIntact() {
        cli.ok("tenant", "create", "acme");
        Map<String, String> before = CliRunner.snapshot(cli.home().resolve("tenants"));
        var r = cli.run("tenant", "create", "acme");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).isEqualTo("airlock: tenant 'acme' already exists");
        assertThat(CliRunner.snapshot(cli.home().resolve("tenants"))).isEqualTo(before);
    }

    @Test
    void delete_withoutYes_exits5_andTheTenantIsIntact() {
        cli.ok("tenant", "create", "acme");
        Map<String, String> before = CliRunner.snapshot(cli.home().resolve("tenants"));
        var r = cli.run("tenant", "delete", "acme");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.oneLineError()).contains("acme").contains("--yes");
        assertThat(CliRunner.snapshot(cli.home().resolve("tenants"))).isEqualTo(before);
        assertThat(names()).contains("acme");
    }

    @Test
    void delete_withYes_removesTheFolder_andRecordsTheDeletedHeadInTheDefaultLog() throws Exception {
        cli.ok("tenant", "create", "acme");
        cli.ok("--tenant", "acme", "audit", "export", "--format", "jsonl");
        List<JsonNode> acmeRows = cli.ok("--tenant", "acme", "audit", "tail", "-n", "1000", "--json").jsonLines();
        String head = acmeRows.get(acmeRows.size() - 1).get("hash").asText();
        String logId = acmeRows.get(0).get("details").get("log_id").asText();

        cli.ok("tenant", "delete", "acme", "--yes");

        assertThat(cli.home().resolve("tenants/acme")).doesNotExist();
        try (Stream<Path> left = Files.list(cli.home().resolve("tenants"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("default");
        }
        assertThat(names()).containsExactly("default");
        JsonNode row = cli.ok("audit", "tail", "-n", "1000", "--json").jsonLines().stream()
                .filter(n -> n.get("action").asText().equals("tenant.delete")).findFirst().orElseThrow();
        assertThat(row.get("target").asText()).isEqualTo("tenant:acme");
        assertThat(row.get("details").get("head_hash").asText()).isEqualTo(head);
        assertThat(row.get("details").get("log_id").asText()).isEqualTo(logId);
        assertThat(row.get("details").get("rows").asLong()).isEqualTo(acmeRows.size());
        cli.ok("audit", "verify");
    }

    @Test
    void delete_ofDefault_isRefused_evenWithYes() {
        var r = cli.run("tenant", "delete", "default", "--yes");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).contains("default tenant cannot be deleted");
        assertThat(cli.tenantDb("default")).isRegularFile();
    }

    @Test
    void delete_ofAMissingTenant_exits2() {
        var r = cli.run("tenant", "delete", "ghost", "--yes");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).contains("no tenant 'ghost'");
    }

    @Test
    void recreate_afterDelete_startsAFreshLog() {
        cli.ok("tenant", "create", "acme");
        String oldLog = cli.ok("--tenant", "acme", "audit", "show", "1", "--json").json().get("details").get("log_id").asText();
        cli.ok("tenant", "delete", "acme", "--yes");
        cli.ok("tenant", "create", "acme");
        String newLog = cli.ok("--tenant", "acme", "audit", "show", "1", "--json").json().get("details").get("log_id").asText();
        assertThat(newLog).isNotEqualTo(oldLog);
        cli.ok("--tenant", "acme", "audit", "verify");
    }

    /** The names in {@code cli/invalid-tenant-names.txt}, escapes decoded. */
    static List<String> invalidNames() throws java.io.IOException {
        try (var in = TenantCommandTest.class.getResourceAsStream("/cli/invalid-tenant-names.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("["))
                    .map(l -> unescape(l.substring(1, l.indexOf(']'))))
                    .toList();
        }
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'u') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'n') {
                sb.append('\n');
                i += 1;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> invalidNames_exit2_andCreateNothingOnDisk() throws java.io.IOException {
        List<String> names = invalidNames();
        assertThat(names).hasSizeGreaterThan(20).contains("", "..", "a\0b", "x".repeat(41));
        return names.stream().map(name -> DynamicTest.dynamicTest("name " + visible(name), () -> {
            Map<String, String> before = CliRunner.snapshot(temp);
            before.remove("home/logs/airlock.log");
            for (String[] args : new String[][] {{"tenant", "create", name}, {"--tenant", name, "audit", "export", "--format", "jsonl"},
                    {"tenant", "delete", name, "--yes"}}) {
                var r = cli.run(args);
                assertThat(r.code()).as("exit of %s", List.of(args)).isEqualTo(2);
                if (name.startsWith("-") && args[0].equals("tenant")) {
                    // picocli reads it as an option: still a usage error, with the --help hint
                    r.usageErrorWithHint();
                } else {
                    assertThat(r.oneLineError()).contains("invalid tenant name");
                }
                assertThat(r.out()).isEmpty();
            }
            Map<String, String> after = CliRunner.snapshot(temp);
            after.remove("home/logs/airlock.log");
            assertThat(after).isEqualTo(before);
        }));
    }

    @Test
    void longestValidName_isAccepted() {
        String forty = "a".repeat(40);
        cli.ok("tenant", "create", forty);
        cli.ok("tenant", "create", "0-a_b");
        assertThat(names()).containsExactly("0-a_b", forty, "default");
    }

    @Test
    void list_ignoresFoldersThatAreNotTenants() throws Exception {
        Files.createDirectories(cli.home().resolve("tenants/.deleted-acme-123"));
        Files.createDirectories(cli.home().resolve("tenants/UPPER"));
        Files.writeString(cli.home().resolve("tenants/UPPER/airlock.db"), "x");
        Files.createDirectories(cli.home().resolve("tenants/nodb"));
        assertThat(names()).containsExactly("default");
    }

    static String visible(String s) {
        StringBuilder sb = new StringBuilder("'");
        s.codePoints().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
        return sb.append('\'').toString();
    }

    @Test
    void create_refusesALeftoverFolderWithoutADatabase_andLeavesItAlone() throws Exception {
        // Regression: a stale audit.checkpoints (here a folder, so the log could never checkpoint) was adopted
        // by a new tenant, which then failed 'audit verify' from its first command on.
        Path leftover = cli.home().resolve("tenants/acme");
        Files.createDirectories(leftover.resolve("audit.checkpoints"));
        Map<String, String> before = CliRunner.snapshot(leftover);
        var r = cli.run("tenant", "create", "acme");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).contains(leftover.toString()).contains("already exists without a tenant database");
        assertThat(CliRunner.snapshot(leftover)).isEqualTo(before);
        assertThat(names()).containsExactly("default");
    }

    @Test
    void create_refusesATenantFolderThatIsASymbolicLink() throws Exception {
        // Regression: tenants/acme -> elsewhere made 'tenant create' write a database outside the home.
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.createSymbolicLink(cli.home().resolve("tenants/acme"), elsewhere);
        var r = cli.run("tenant", "create", "acme");
        assertThat(r.code()).isEqualTo(2);
        r.oneLineError();
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void create_acceptsAnEmptyLeftoverFolder() throws Exception {
        Files.createDirectories(cli.home().resolve("tenants/acme"));
        cli.ok("tenant", "create", "acme");
        cli.ok("--tenant", "acme", "audit", "verify");
    }
}
