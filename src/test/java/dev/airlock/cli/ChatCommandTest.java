package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** chat, ask and sessions through the real entry point, a real home and vault, and a fake OpenAI server. */
class ChatCommandTest {
    private static final String KEY = "sk-test-" + "f3a9c1e07b5d4e2a9c8b7a6f5e4d3c2b";
    /** The OWASP floor: this test is about chat, not the KDF's cost. */
    private static final String FAST_KDF = "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n";
    private Path root;
    private Path workspace;
    private CliRunner cli;
    private FakeModelServer server;

    @BeforeEach
    void setUp() throws IOException {
        Path base = Files.createDirectories(Path.of("target", "chat-it").toAbsolutePath());
        root = Files.createTempDirectory(base, "chat").toRealPath();
        workspace = Files.createDirectories(root.resolve("workspace"));
        Files.writeString(workspace.resolve("README.md"), "Project Falcon\n");
        cli = CliRunner.in(root);
        Files.writeString(cli.configFile(), FAST_KDF);
        cli.ok("init");
        cli.runWithInput(KEY + "\n", "secrets", "set", "FAKE_API_KEY", "--stdin");
        server = FakeModelServer.openAi();
        Files.writeString(cli.configFile(), FAST_KDF + """
                models:
                  providers:
                    fake: {type: openai, base_url: '%s', api_key: 'secret:FAKE_API_KEY'}
                agents:
                  model: fake/fake-model
                """.formatted(server.baseUrl()));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void ask_answersOnStdout_keysOnlyInTheHeader_andKeepsTheSession() throws IOException {
        server.replyToolCall("c1", "read_file", "{\"path\":\"README.md\"}").replyText("This is Project Falcon.");
        CliRunner.Result r = cli.run("ask", "--workspace", workspace.toString(), "--non-interactive", "what", "is", "this?");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("This is Project Falcon.");
        assertThat(r.err()).contains("[tool] read_file").contains("[done]").contains("2 model requests");
        for (RecordedRequest req : server.requests()) {
            assertThat(req.header("Authorization")).contains("Bearer " + KEY);
            assertThat(req.body()).doesNotContain(KEY);
        }
        CliRunner.Result list = cli.ok("sessions", "list", "--json");
        JsonNode s = list.json().get(0);
        assertThat(s.path("agent").asText()).isEqualTo("default");
        assertThat(s.path("messages").asInt()).isEqualTo(4);
        CliRunner.Result show = cli.ok("sessions", "show", s.path("id").asText());
        assertThat(show.out()).contains("what is this?").contains("This is Project Falcon.").contains("read_file");
        assertThat(DemoCommand.scanFor(cli.home(), KEY)).isZero();
        assertThat(new String(Files.readAllBytes(cli.tenantDb("default")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("Project Falcon");
    }

    @Test
    void chat_streams_asksInline_andResumes() throws IOException {
        server.replyText("Hello!").replyToolCall("c1", "write_file", "{\"path\":\"hi.txt\",\"content\":\"hi\"}").replyText("Written.");
        CliRunner.Result r = cli.runWithInput("hello\nwrite hi.txt\ny\n/exit\n", "chat", "--workspace", workspace.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Hello!").contains("Written.");
        assertThat(r.err()).contains("this needs your approval").contains("write_file hi.txt").contains("+hi");
        assertThat(Files.readString(workspace.resolve("hi.txt"))).isEqualTo("hi");
        String id = cli.ok("sessions", "list", "--json").json().get(0).path("id").asText();
        assertThat(r.err()).contains("airlock chat --resume " + id);

        server.replyText("You said hello earlier.");
        CliRunner.Result resumed = cli.runWithInput("what did I say?\n", "chat", "--resume", id, "--workspace", workspace.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(server.lastRequest().body()).contains("hello").contains("what did I say?");
        cli.ok("sessions", "delete", id);
        assertThat(cli.ok("sessions", "list", "--json").json()).isEmpty();
        assertThat(cli.ok("audit", "verify").code()).isZero();
    }

    @Test
    void chat_providerError_isOneLine_andTheChatGoesOn() {
        server.replyBadKey().replyText("second try works");
        CliRunner.Result r = cli.runWithInput("one\ntwo\n/exit\n", "chat", "--workspace", workspace.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("rejected the API key").contains("(the session is kept)");
        assertThat(r.out()).contains("second try works");
    }

    @Test
    void ask_wrongKey_exits7_withOneLine() {
        server.replyBadKey();
        CliRunner.Result r = cli.run("ask", "--workspace", workspace.toString(), "hi");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.err()).contains("rejected the API key").doesNotContain(KEY).doesNotContain("\tat ");
    }

    @Test
    void ask_withoutAModel_unknownAgent_andBothApprovalFlags_areUsageErrors() throws IOException {
        assertThat(cli.run("ask", "--workspace", workspace.toString(), "--agent", "nope", "hi").code()).isEqualTo(2);
        assertThat(cli.run("ask", "--workspace", workspace.toString(), "--yes", "--non-interactive", "hi").code()).isEqualTo(2);
        Files.writeString(cli.configFile(), FAST_KDF + "models:\n  providers:\n    fake: {type: openai, base_url: '" + server.baseUrl() + "'}\n");
        CliRunner.Result r = cli.run("ask", "--workspace", workspace.toString(), "hi");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).contains("has no model").contains("agents.model");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void sessions_unknownId_isAUsageError() {
        assertThat(cli.run("sessions", "show", "s-nope").code()).isEqualTo(2);
        assertThat(cli.run("sessions", "delete", "s-nope").code()).isEqualTo(2);
    }

    @Test
    void agents_listsBuiltInsAndNarrowedProjectAgents() throws IOException {
        Files.createDirectories(workspace.resolve(".airlock/agents"));
        Files.writeString(workspace.resolve(".airlock/agents/reader.yaml"), "tools: [read_file]\n");
        CliRunner.Result r = cli.ok("agents", "--workspace", workspace.toString(), "--json");
        JsonNode reader = null;
        for (JsonNode a : r.json()) {
            if (a.path("name").asText().equals("reader")) {
                reader = a;
            }
        }
        assertThat(reader).isNotNull();
        assertThat(reader.path("tools").toString()).isEqualTo("[\"read_file\"]");
        Files.writeString(workspace.resolve(".airlock/agents/reader.yaml"), "tools: [write_file]\n");
        assertThat(cli.run("agents", "--workspace", workspace.toString()).code()).isEqualTo(2);
    }
}
