package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A valid user config takes effect, and every change to it is on the record exactly once. */
class ConfigChangeTest {
    @TempDir
    Path temp;

    /** Runs a writing command (an export appends its own row, after anything the session records on open). */
    private static void write(CliRunner cli) {
        cli.ok("audit", "export", "--format", "jsonl");
    }

    /** The whole log, read without writing. */
    private static List<JsonNode> rows(CliRunner cli) {
        return cli.ok("audit", "tail", "-n", "1000000", "--json").jsonLines();
    }

    private static List<JsonNode> actions(List<JsonNode> rows, String action) {
        return rows.stream().filter(r -> r.get("action").asText().equals(action)).toList();
    }

    @Test
    void checkpointEveryRows_changesTheCheckpointCadence() throws Exception {
        CliRunner defaults = CliRunner.in(temp.resolve("a"));
        defaults.ok("init");
        List<JsonNode> before = rows(defaults);
        // default cadence (1,000 rows): the only checkpoint of init is the tenant's first, written (signed,
        // reason "seal") as soon as its key exists; nothing is left for the closing checkpoint to cover
        assertThat(actions(before, "audit.checkpoint")).extracting(r -> r.get("details").get("reason").asText())
                .containsExactly("seal");

        CliRunner everyRow = CliRunner.in(temp.resolve("b"));
        Files.createDirectories(everyRow.configFile().getParent());
        Files.writeString(everyRow.configFile(), "audit:\n  checkpoint_every_rows: 1\n");
        everyRow.ok("init");
        List<JsonNode> checkpoints = actions(rows(everyRow), "audit.checkpoint");
        assertThat(checkpoints).isNotEmpty();
        // Every row triggers a checkpoint; the last is the seal a keyed tenant ends with, because the
        // checkpoint of its own vault.create row was made before the key existed.
        assertThat(checkpoints).extracting(r -> r.get("details").get("reason").asText()).contains("rows")
                .containsOnly("rows", "seal");
        everyRow.ok("audit", "verify");
    }

    @Test
    void editingTheConfig_recordsOneConfigChangeRowWithBothHashes_andNoneWhenUnchanged() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Files.createDirectories(cli.configFile().getParent());
        Files.writeString(cli.configFile(), "audit:\n  checkpoint_every_rows: 500\n");
        cli.ok("init");
        String first = CliRunner.sha256(cli.configFile());
        List<JsonNode> initial = actions(rows(cli), "config.change");
        assertThat(initial).hasSize(1);
        assertThat(initial.get(0).get("details").get("previous_sha256").asText()).isEqualTo("none");
        assertThat(initial.get(0).get("details").get("sha256").asText()).isEqualTo(first);

        // unchanged: several writing commands add no config.change row
        write(cli);
        cli.ok("tenant", "create", "acme");
        assertThat(actions(rows(cli), "config.change")).hasSize(1);

        Files.writeString(cli.configFile(), "audit:\n  checkpoint_every_rows: 400\n");
        String second = CliRunner.sha256(cli.configFile());
        write(cli);
        write(cli);
        List<JsonNode> changes = actions(rows(cli), "config.change");
        assertThat(changes).hasSize(2);
        JsonNode change = changes.get(1);
        assertThat(change.get("details").get("previous_sha256").asText()).isEqualTo(first);
        assertThat(change.get("details").get("sha256").asText()).isEqualTo(second);
        assertThat(change.get("target").asText()).isEqualTo("config:" + cli.configFile());
        cli.ok("audit", "verify");
    }

    @Test
    void removingTheConfig_isRecordedAsAChangeToNone() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Files.createDirectories(cli.configFile().getParent());
        Files.writeString(cli.configFile(), "logging:\n  level: warn\n");
        cli.ok("init");
        String sha = CliRunner.sha256(cli.configFile());
        Files.delete(cli.configFile());
        write(cli);
        List<JsonNode> changes = actions(rows(cli), "config.change");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).get("details").get("previous_sha256").asText()).isEqualTo(sha);
        assertThat(changes.get(1).get("details").get("sha256").asText()).isEqualTo("none");
    }

    @Test
    void withoutAnyConfigFile_noConfigChangeIsRecorded() {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        write(cli);
        assertThat(actions(rows(cli), "config.change")).isEmpty();
    }

    @Test
    void readOnlyCommands_doNotWriteTheConfigChange_theNextWritingCommandDoes() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        Files.createDirectories(cli.configFile().getParent());
        Files.writeString(cli.configFile(), "audit:\n  checkpoint_every_rows: 7\n");
        var before = CliRunner.sha256(cli.tenantDb("default"));
        cli.ok("audit", "verify");
        cli.ok("audit", "tail");
        cli.ok("tenant", "list");
        assertThat(CliRunner.sha256(cli.tenantDb("default"))).isEqualTo(before);
        assertThat(actions(rows(cli), "config.change")).isEmpty();
        write(cli);
        assertThat(actions(rows(cli), "config.change")).hasSize(1);
    }
}
