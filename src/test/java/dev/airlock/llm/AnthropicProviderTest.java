package dev.airlock.llm;

import static dev.airlock.llm.LlmFixture.SHELL;
import static dev.airlock.llm.LlmFixture.ask;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.RecordedRequest;
import dev.airlock.llm.fake.Reply;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anthropic Messages, over real HTTP against a server speaking its wire format. */
class AnthropicProviderTest {
    static final String KEY = "sk-ant-api03-anthropic-test-key-0001";

    @TempDir
    Path dir;

    FakeModelServer server;
    LlmFixture fixture;
    ModelClient client;

    @BeforeEach
    void start() {
        server = FakeModelServer.anthropic();
        fixture = new LlmFixture(dir, "  allowed_domains: []\n");
        fixture.secrets.put("ANTHROPIC_API_KEY", KEY);
        client = fixture.providers("  providers:\n" + LlmFixture.provider("claude", server, "secret:ANTHROPIC_API_KEY"))
                .client("claude", "user", "cli");
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void chat_streamsTextDeltasInOrder_andSendsTheKeyAndVersionHeaders() {
        server.replyText("Hello from the fake Anthropic server.");
        List<String> deltas = new ArrayList<>();
        ModelReply reply = client.chat(new ModelRequest("claude-sonnet-4-5", List.of(new ModelMessage.System("Be brief."),
                new ModelMessage.User("say hello")), List.of(), 300), deltas::add);

        assertThat(deltas).hasSizeGreaterThan(1);
        assertThat(String.join("", deltas)).isEqualTo("Hello from the fake Anthropic server.");
        assertThat(reply.text()).isEqualTo("Hello from the fake Anthropic server.");
        assertThat(reply.finishReason()).isEqualTo("stop");
        RecordedRequest sent = server.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).contains(KEY);
        assertThat(sent.header("anthropic-version")).isPresent();
        assertThat(sent.json().path("stream").asBoolean()).isTrue();
        assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(300);
        assertThat(sent.json().at("/system/0/text").asText(sent.json().path("system").asText())).isEqualTo("Be brief.");
        assertThat(sent.json().at("/messages/0/role").asText()).isEqualTo("user");
    }

    @Test
    void toolUse_roundTrip_sendsTheTool_parsesTheToolUseBlock_andSendsTheResultAsAToolResultBlock() {
        server.replyToolCall("toolu_01", "shell", "{\"command\":\"ls -la\"}").replyText("Two entries.");
        ModelRequest first = new ModelRequest("claude-sonnet-4-5", List.of(new ModelMessage.User("list the files")), List.of(SHELL), 300);

        ModelReply call = client.chat(first, StreamListener.NONE);

        JsonNode tool = server.lastRequest().json().at("/tools/0");
        assertThat(tool.path("name").asText()).isEqualTo("shell");
        assertThat(tool.at("/input_schema/properties/command/type").asText()).isEqualTo("string");
        assertThat(call.toolCalls()).containsExactly(new ToolCall("toolu_01", "shell", "{\"command\":\"ls -la\"}"));
        assertThat(call.finishReason()).isEqualTo("tool_calls");

        List<ModelMessage> next = new ArrayList<>(first.messages());
        next.add(call.asMessage());
        next.add(new ModelMessage.ToolResult("toolu_01", "shell", "a.txt\nb.txt"));
        ModelReply answer = client.chat(new ModelRequest("claude-sonnet-4-5", next, List.of(SHELL), 300), StreamListener.NONE);

        assertThat(answer.text()).isEqualTo("Two entries.");
        JsonNode messages = server.lastRequest().json().path("messages");
        JsonNode use = messages.at("/1/content/0");
        assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(use.path("type").asText()).isEqualTo("tool_use");
        assertThat(use.path("id").asText()).isEqualTo("toolu_01");
        assertThat(use.at("/input/command").asText()).isEqualTo("ls -la");
        JsonNode result = messages.at("/2/content/0");
        assertThat(messages.at("/2/role").asText()).isEqualTo("user");
        assertThat(result.path("type").asText()).isEqualTo("tool_result");
        assertThat(result.path("tool_use_id").asText()).isEqualTo("toolu_01");
        assertThat(result.path("content").toString()).contains("a.txt");
    }

    @Test
    void textAndSeveralToolUses_inOneReply_areParsedInOrder() {
        server.reply(Reply.toolCalls(new Reply.Call("toolu_a", "shell", "{\"command\":\"ls\"}"),
                new Reply.Call("toolu_b", "shell", "{\"command\":\"pwd\"}")).withText("Let me look."));
        ModelReply reply = client.chat(new ModelRequest("claude-sonnet-4-5", List.of(new ModelMessage.User("go")), List.of(SHELL), 64),
                StreamListener.NONE);
        assertThat(reply.text()).isEqualTo("Let me look.");
        assertThat(reply.toolCalls()).extracting(ToolCall::id).containsExactly("toolu_a", "toolu_b");
    }

    @Test
    void aReplyStoppedAtMaxTokens_finishesWithLength() {
        server.reply(Reply.text("This is cut").cutAtLength());
        assertThat(client.chat(ask("claude-sonnet-4-5", "write a lot"), StreamListener.NONE).finishReason()).isEqualTo("length");
    }

    @Test
    void usage_comesFromMessageStartAndMessageDelta_andIsCostedFromTheBuiltInTable() {
        try (LlmFixture remote = new LlmFixture(dir.resolve("remote"),
                "  allowed_domains: [api.anthropic.com]\n  proxy: " + server.origin() + "\n")) {
            remote.secrets.put("ANTHROPIC_API_KEY", KEY);
            Providers providers = remote.providers("  providers:\n    anthropic: {type: anthropic,"
                    + " base_url: 'http://api.anthropic.com/v1', api_key: 'secret:ANTHROPIC_API_KEY'}\n");
            ModelClient anthropic = providers.client("anthropic", "user", "cli");
            server.reply(Reply.text("ok").withUsage(2000, 1000));

            ModelReply reply = anthropic.chat(ask("claude-sonnet-4-5", "hi"), StreamListener.NONE);

            assertThat(reply.usage()).isEqualTo(new Usage(2000, 1000));
            // built-in list price of claude-sonnet-4-5: $3 in, $15 out per million tokens
            Price price = providers.pricing().require(new ModelRef("anthropic", "claude-sonnet-4-5"), anthropic.local());
            assertThat(price.cost(reply.usage())).isEqualByComparingTo(new BigDecimal("0.021"));
        }
    }
}
