package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.AirlockException;
import dev.airlock.home.Config;
import dev.airlock.home.ExitCode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCatalogTest {
    @TempDir
    Path project;

    private static AgentSettings settings(String yaml) {
        return Config.parseDocument("config.yaml", yaml.getBytes(StandardCharsets.UTF_8), AgentSettings.class);
    }

    private static final String USER = """
            model: openai/gpt-4o-mini
            definitions:
              coder:
                cost_limit_usd: 2.00
                permissions: {shell: ask}
              reviewer:
                read_only: true
            """;

    private void projectFile(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(project.resolve(".airlock/agents"));
        Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void readOnlyAgent_isOneLine_andHasNoWritingTools() {
        Agent reviewer = AgentCatalog.load(settings(USER), "config.yaml", null).get("reviewer");
        assertThat(reviewer.readOnly()).isTrue();
        assertThat(reviewer.tools()).doesNotContain(Tools.WRITE_FILE, Tools.EDIT_FILE).contains(Tools.READ_FILE, Tools.SHELL);
        assertThat(Tools.specs(reviewer)).extracting(s -> s.name()).doesNotContain("write_file", "edit_file");
    }

    @Test
    void builtIns_defaultAndReader_existWithoutAnyConfig() {
        AgentCatalog c = AgentCatalog.load(settings("{}"), "config.yaml", null);
        assertThat(c.all()).containsKeys("default", "reader");
        assertThat(c.get(null).name()).isEqualTo("default");
        assertThatThrownBy(() -> c.get(null).requireModel()).isInstanceOf(AirlockException.class)
                .hasMessageContaining("set agents.model");
    }

    @Test
    void projectFile_narrowsToolsCostAndPermissions() throws IOException {
        projectFile("coder.yaml", """
                tools: [read_file, shell]
                cost_limit_usd: 0.50
                permissions: {read_file: ask}
                system_prompt: This project is a Java library.
                """);
        Agent coder = AgentCatalog.load(settings(USER), "config.yaml", project).get("coder");
        assertThat(coder.tools()).containsExactlyInAnyOrder("read_file", "shell");
        assertThat(coder.costLimitUsd()).contains(new BigDecimal("0.50"));
        assertThat(coder.permission("read_file")).isEqualTo(AgentDefinition.Permission.ASK);
        assertThat(coder.permission("shell")).isEqualTo(AgentDefinition.Permission.ASK);
        assertThat(coder.systemPrompt()).endsWith("This project is a Java library.");
        assertThat(coder.sources()).hasSize(2);
    }

    @Test
    void projectFile_extends_createsANarrowedNewAgent() throws IOException {
        projectFile("docs.yaml", "extends: coder\ntools: [read_file, write_file]\n");
        AgentCatalog c = AgentCatalog.load(settings(USER), "config.yaml", project);
        assertThat(c.get("docs").tools()).containsExactlyInAnyOrder("read_file", "write_file");
        assertThat(c.get("coder").tools()).hasSize(Tools.ALL.size());
    }

    @Test
    void projectFile_cannotAddATool() throws IOException {
        projectFile("reviewer.yaml", "tools: [read_file, write_file]\n");
        assertWidens("'tools' adds write_file");
    }

    @Test
    void projectFile_cannotLoosenAPermission() throws IOException {
        projectFile("coder.yaml", "permissions: {shell: allow}\n");
        assertWidens("cannot loosen 'shell' from ask to allow");
    }

    @Test
    void projectFile_cannotRaiseTheCostLimit() throws IOException {
        projectFile("coder.yaml", "cost_limit_usd: 100\n");
        assertWidens("cannot raise the cost limit");
    }

    @Test
    void maxToolCallsPerTurn_defaultsTo100_isSetInConfig_andAProjectMayOnlyLowerIt() throws IOException {
        assertThat(AgentCatalog.load(settings(USER), "config.yaml", null).get("coder").maxToolCallsPerTurn()).isEqualTo(100);
        AgentSettings s = settings(USER.replace("cost_limit_usd: 2.00", "cost_limit_usd: 2.00\n    max_tool_calls_per_turn: 40"));
        assertThat(AgentCatalog.load(s, "config.yaml", null).get("coder").maxToolCallsPerTurn()).isEqualTo(40);
        projectFile("coder.yaml", "max_tool_calls_per_turn: 10\n");
        assertThat(AgentCatalog.load(s, "config.yaml", project).get("coder").maxToolCallsPerTurn()).isEqualTo(10);
        projectFile("coder.yaml", "max_tool_calls_per_turn: 5000\n");
        assertThatThrownBy(() -> AgentCatalog.load(s, "config.yaml", project)).isInstanceOf(AirlockException.class)
                .hasMessageContaining("max_tool_calls_per_turn");
    }

    @Test
    void projectFile_cannotChangeTheModel() throws IOException {
        projectFile("coder.yaml", "model: evil/exfiltrator\n");
        assertWidens("cannot change the model");
    }

    @Test
    void projectFile_cannotMakeAReadOnlyAgentWritable() throws IOException {
        projectFile("reviewer.yaml", "read_only: false\n");
        assertWidens("cannot make the read-only agent");
    }

    @Test
    void projectFile_cannotDefineAnAgentTheUserDidNot() throws IOException {
        projectFile("rogue.yaml", "tools: [shell]\n");
        assertWidens("not defined in your user config");
    }

    @Test
    void projectFile_unknownKey_isAUsageErrorWithFileAndLine() throws IOException {
        projectFile("coder.yaml", "tools: [read_file]\nallow_everything: true\n");
        assertThatThrownBy(() -> AgentCatalog.load(settings(USER), "config.yaml", project))
                .isInstanceOf(AirlockException.class)
                .satisfies(e -> assertThat(((AirlockException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("coder.yaml:2").hasMessageContaining("allow_everything");
    }

    @Test
    void unknownAgent_namesTheKnownOnes() {
        assertThatThrownBy(() -> AgentCatalog.load(settings(USER), "config.yaml", null).get("nope"))
                .hasMessageContaining("unknown agent 'nope'").hasMessageContaining("coder");
    }

    private void assertWidens(String message) {
        assertThatThrownBy(() -> AgentCatalog.load(settings(USER), "config.yaml", project))
                .isInstanceOf(AirlockException.class)
                .satisfies(e -> assertThat(((AirlockException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(message);
    }
}
