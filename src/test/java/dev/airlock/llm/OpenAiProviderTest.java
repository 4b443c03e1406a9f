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

/** OpenAI chat completions, over real HTTP against a server speaking its wire format. */
class OpenAiProviderTest {
    @TempDir
    Path dir;

    FakeModelServer server;
    LlmFixture fixture;
    ModelClient client;

    @BeforeEach
    void start() {
        server = FakeModelServer.openAi();
        fixture = new LlmFixture(dir, "  allowed_domains: []\n");
        client = fixture.providers("  providers:\n" + LlmFixture.provider("lmstudio", server, null)).client("lmstudio", "user", "cli");
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void chat_streamsTextDeltasInOrder_andReturnsTheWholeReply() {
        server.replyText("Hello from the fake OpenAI server.");
        List<String> deltas = new ArrayList<>();
        ModelReply reply = client.chat(ask("gpt-4o-mini", "say hello"), deltas::add);

        assertThat(deltas).hasSizeGreaterThan(1);
        assertThat(String.join("", deltas)).isEqualTo("Hello from the fake OpenAI server.");
        assertThat(reply.text()).isEqualTo("Hello from the fake OpenAI server.");
        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.finishReason()).isEqualTo("stop");
        assertThat(reply.model()).isEqualTo("gpt-4o-mini");
        RecordedRequest sent = server.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.json().path("stream").asBoolean()).isTrue();
        assertThat(sent.json().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(sent.json().at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(sent.json().at("/messages/0/content").asText()).isEqualTo("say hello");
        assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void toolCall_roundTrip_sendsTheTool_parsesTheCall_andSendsTheResultAsAToolMessage() {
        server.replyToolCall("call_1", "shell", "{\"command\":\"ls\"}").replyText("There is one file.");
        ModelRequest first = new ModelRequest("gpt-4o-mini", List.of(new ModelMessage.System("You are careful."),
                new ModelMessage.User("list the files")), List.of(SHELL), 256);

        ModelReply call = client.chat(first, StreamListener.NONE);

        JsonNode tool = server.lastRequest().json().at("/tools/0");
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.at("/function/name").asText()).isEqualTo("shell");
        assertThat(tool.at("/function/parameters/properties/command/type").asText()).isEqualTo("string");
        assertThat(tool.at("/function/parameters/required/0").asText()).isEqualTo("command");
        assertThat(call.toolCalls()).containsExactly(new ToolCall("call_1", "shell", "{\"command\":\"ls\"}"));
        assertThat(call.finishReason()).isEqualTo("tool_calls");

        List<ModelMessage> next = new ArrayList<>(first.messages());
        next.add(call.asMessage());
        next.add(new ModelMessage.ToolResult("call_1", "shell", "README.md"));
        ModelReply answer = client.chat(new ModelRequest("gpt-4o-mini", next, List.of(SHELL), 256), StreamListener.NONE);

        assertThat(answer.text()).isEqualTo("There is one file.");
        JsonNode messages = server.lastRequest().json().path("messages");
        assertThat(messages.at("/0/role").asText()).isEqualTo("system");
        assertThat(messages.at("/2/role").asText()).isEqualTo("assistant");
        assertThat(messages.at("/2/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(messages.at("/2/tool_calls/0/function/arguments").asText()).isEqualTo("{\"command\":\"ls\"}");
        assertThat(messages.at("/3/role").asText()).isEqualTo("tool");
        assertThat(messages.at("/3/tool_call_id").asText()).isEqualTo("call_1");
        assertThat(messages.at("/3/content").asText()).isEqualTo("README.md");
    }

    @Test
    void severalToolCalls_inOneReply_areParsedInOrder() {
        server.replyToolCalls(new Reply.Call("call_a", "shell", "{\"command\":\"ls\"}"),
                new Reply.Call("call_b", "read_file", "{\"path\":\"README.md\"}"));
        ModelReply reply = client.chat(new ModelRequest("gpt-4o-mini", List.of(new ModelMessage.User("go")), List.of(SHELL), 64),
                StreamListener.NONE);
        assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_a", "shell", "{\"command\":\"ls\"}"),
                new ToolCall("call_b", "read_file", "{\"path\":\"README.md\"}"));
    }

    @Test
    void aReplyStoppedByTheTokenLimit_finishesWithLength() {
        server.reply(Reply.text("This is cut").cutAtLength());
        assertThat(client.chat(ask("gpt-4o-mini", "write a lot"), StreamListener.NONE).finishReason()).isEqualTo("length");
    }

    @Test
    void usage_isThatReportedByTheProvider_andARemoteModelIsCostedFromTheConfiguredPrice() {
        try (LlmFixture remote = new LlmFixture(dir.resolve("remote"),
                "  allowed_domains: [api.fake-openai.example]\n  proxy: " + server.origin() + "\n")) {
            Providers providers = remote.providers("  providers:\n"
                    + LlmFixture.remoteProvider("cloud", server, "api.fake-openai.example", "secret:CLOUD_KEY")
                    + "  prices:\n    cloud/gpt-4o-mini: {input: 2.5, output: 10}\n");
            remote.secrets.put("CLOUD_KEY", "sk-cloud-key-for-the-usage-test");
            ModelClient cloud = providers.client("cloud", "user", "cli");
            server.reply(Reply.text("ok").withUsage(1000, 500));

            ModelReply reply = cloud.chat(ask("gpt-4o-mini", "hi"), StreamListener.NONE);

            assertThat(cloud.local()).isFalse();
            assertThat(reply.usage()).isEqualTo(new Usage(1000, 500));
            Price price = providers.pricing().require(new ModelRef("cloud", "gpt-4o-mini"), cloud.local());
            assertThat(price.cost(reply.usage())).isEqualByComparingTo(new BigDecimal("0.0075"));
            assertThat(server.lastRequest().target()).isEqualTo("http://api.fake-openai.example/v1/chat/completions");
        }
    }

    @Test
    void aLoopbackProvider_isLocal_andCostsNothing() {
        server.reply(Reply.text("ok").withUsage(1000, 500));
        ModelReply reply = client.chat(ask("llama3.2", "hi"), StreamListener.NONE);
        assertThat(client.local()).isTrue();
        assertThat(Pricing.builtIn().require(new ModelRef("lmstudio", "llama3.2"), client.local()).cost(reply.usage()))
                .isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void openAiItself_isSentMaxCompletionTokens_whichItsReasoningModelsRequire() {
        try (LlmFixture remote = new LlmFixture(dir.resolve("openai"),
                "  allowed_domains: [api.openai.com]\n  proxy: " + server.origin() + "\n")) {
            remote.secrets.put("OPENAI_API_KEY", "sk-openai-key-for-the-max-tokens-test");
            ModelClient openai = remote.providers("  providers:\n    openai: {type: openai, base_url: 'http://api.openai.com/v1',"
                    + " api_key: 'secret:OPENAI_API_KEY'}\n").client("openai", "user", "cli");
            server.replyText("ok");
            openai.chat(ask("o3-mini", "hi"), StreamListener.NONE);
            assertThat(server.lastRequest().json().path("max_completion_tokens").asInt()).isEqualTo(256);
            assertThat(server.lastRequest().json().has("max_tokens")).isFalse();
        }
    }

    @Test
    void aProviderWithoutAKey_sendsNoAuthorizationHeader() {
        server.replyText("ok");
        client.chat(ask("llama3.2", "hi"), StreamListener.NONE);
        assertThat(server.lastRequest().header("authorization")).isEmpty();
        assertThat(fixture.keyLookups).hasValue(0);
    }
}
