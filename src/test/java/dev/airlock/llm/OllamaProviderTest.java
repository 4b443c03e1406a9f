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

/** Ollama's native chat API, over real HTTP against a server speaking its NDJSON stream. */
class OllamaProviderTest {
    @TempDir
    Path dir;

    FakeModelServer server;
    LlmFixture fixture;
    Providers providers;
    ModelClient client;

    @BeforeEach
    void start() {
        server = FakeModelServer.ollama();
        fixture = new LlmFixture(dir, "  offline_mode: true\n");
        providers = fixture.providers("  providers:\n" + LlmFixture.provider("ollama", server, null));
        client = providers.client("ollama", "user", "cli");
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void chat_streamsTextDeltasInOrder_evenInOfflineMode() {
        server.replyText("Hello from the fake Ollama server.");
        List<String> deltas = new ArrayList<>();
        ModelReply reply = client.chat(ask("llama3.2", "say hello"), deltas::add);

        assertThat(deltas).hasSizeGreaterThan(1);
        assertThat(String.join("", deltas)).isEqualTo("Hello from the fake Ollama server.");
        assertThat(reply.text()).isEqualTo("Hello from the fake Ollama server.");
        assertThat(reply.finishReason()).isEqualTo("stop");
        RecordedRequest sent = server.lastRequest();
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.json().path("stream").asBoolean(true)).isTrue();
        assertThat(sent.json().at("/messages/0/content").asText()).isEqualTo("say hello");
        assertThat(sent.json().at("/options/num_predict").asInt()).isEqualTo(256);
        assertThat(sent.header("authorization")).isEmpty();
    }

    @Test
    void toolCall_roundTrip_sendsTheTool_parsesTheCall_andSendsTheResultAsAToolMessage() {
        server.replyToolCall("ignored-by-ollama", "shell", "{\"command\":\"ls\"}").replyText("One file.");
        ModelRequest first = new ModelRequest("llama3.2", List.of(new ModelMessage.User("list the files")), List.of(SHELL), 128);

        ModelReply call = client.chat(first, StreamListener.NONE);

        JsonNode tool = server.lastRequest().json().at("/tools/0");
        assertThat(tool.at("/function/name").asText()).isEqualTo("shell");
        assertThat(tool.at("/function/parameters/properties/command/type").asText()).isEqualTo("string");
        // Ollama's tool calls carry no id: the client numbers them so that results can answer them
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).isNotBlank();
            assertThat(c.name()).isEqualTo("shell");
            assertThat(LlmFixture.parse(c.argumentsJson()).path("command").asText()).isEqualTo("ls");
        });
        assertThat(call.finishReason()).isEqualTo("tool_calls");

        List<ModelMessage> next = new ArrayList<>(first.messages());
        next.add(call.asMessage());
        next.add(new ModelMessage.ToolResult(call.toolCalls().get(0).id(), "shell", "README.md"));
        ModelReply answer = client.chat(new ModelRequest("llama3.2", next, List.of(SHELL), 128), StreamListener.NONE);

        assertThat(answer.text()).isEqualTo("One file.");
        JsonNode messages = server.lastRequest().json().path("messages");
        assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(messages.at("/1/tool_calls/0/function/name").asText()).isEqualTo("shell");
        assertThat(messages.at("/2/role").asText()).isEqualTo("tool");
        assertThat(messages.at("/2/content").asText()).isEqualTo("README.md");
    }

    @Test
    void usage_comesFromPromptEvalCountAndEvalCount_andALocalModelCostsNothing() {
        server.reply(Reply.text("ok").withUsage(321, 45));
        ModelReply reply = client.chat(ask("llama3.2", "hi"), StreamListener.NONE);
        assertThat(reply.usage()).isEqualTo(new Usage(321, 45));
        assertThat(client.local()).isTrue();
        assertThat(providers.pricing().require(new ModelRef("ollama", "llama3.2"), client.local()).cost(reply.usage()))
                .isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void aReplyStoppedByTheTokenLimit_finishesWithLength() {
        server.reply(Reply.text("This is cut").cutAtLength());
        assertThat(client.chat(ask("llama3.2", "write a lot"), StreamListener.NONE).finishReason()).isEqualTo("length");
    }
}
