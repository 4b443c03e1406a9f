package dev.airlock.llm;

import static dev.airlock.llm.LlmFixture.SHELL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake servers themselves, as other packages' tests will use them. */
class FakeModelServerTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> post(String url, String json) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aScript_answersFromTheRequest_soATestCanEchoAToolResultBack() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            server.script(request -> {
                JsonNode messages = request.json().path("messages");
                JsonNode last = messages.get(messages.size() - 1);
                return last.path("role").asText().equals("tool")
                        ? Reply.text("the tool said: " + last.path("content").asText())
                        : Reply.toolCall("call_9", "shell", "{\"command\":\"date\"}");
            });
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, null)).client("p", "u", "cli");
            List<ModelMessage> conversation = new ArrayList<>(List.of(new ModelMessage.User("what day is it?")));
            ModelReply call = client.chat(new ModelRequest("m", conversation, List.of(SHELL), 64), StreamListener.NONE);
            conversation.add(call.asMessage());
            conversation.add(new ModelMessage.ToolResult(call.toolCalls().get(0).id(), "shell", "Sunday"));
            ModelReply answer = client.chat(new ModelRequest("m", conversation, List.of(SHELL), 64), StreamListener.NONE);
            assertThat(answer.text()).isEqualTo("the tool said: Sunday");
            assertThat(server.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void nonStreamingRequests_getOneJsonBodyInEachProvidersFormat() throws Exception {
        try (FakeModelServer openai = FakeModelServer.openAi(); FakeModelServer anthropic = FakeModelServer.anthropic();
                FakeModelServer ollama = FakeModelServer.ollama()) {
            openai.replyToolCall("call_1", "shell", "{\"command\":\"ls\"}");
            JsonNode o = LlmFixture.parse(post(openai.baseUrl() + "/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}").body());
            assertThat(o.path("object").asText()).isEqualTo("chat.completion");
            assertThat(o.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("shell");
            assertThat(o.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
            assertThat(o.at("/usage/prompt_tokens").asLong()).isEqualTo(Reply.DEFAULT_INPUT_TOKENS);

            anthropic.replyText("hi");
            JsonNode a = LlmFixture.parse(post(anthropic.baseUrl() + "/messages", "{\"model\":\"claude\",\"max_tokens\":5}").body());
            assertThat(a.path("type").asText()).isEqualTo("message");
            assertThat(a.at("/content/0/text").asText()).isEqualTo("hi");
            assertThat(a.path("stop_reason").asText()).isEqualTo("end_turn");

            ollama.replyText("hey");
            JsonNode l = LlmFixture.parse(post(ollama.baseUrl() + "/api/chat", "{\"model\":\"llama3.2\",\"stream\":false}").body());
            assertThat(l.at("/message/content").asText()).isEqualTo("hey");
            assertThat(l.path("done").asBoolean()).isTrue();
        }
    }

    @Test
    void withNothingQueued_theServerSaysSo_andAnUnservedPathConsumesNoReply() throws Exception {
        try (FakeModelServer server = FakeModelServer.openAi()) {
            HttpResponse<String> empty = post(server.baseUrl() + "/chat/completions", "{\"model\":\"m\"}");
            assertThat(empty.statusCode()).isEqualTo(500);
            assertThat(empty.body()).contains("no reply queued");
            server.replyText("kept");
            assertThat(post(server.baseUrl() + "/embeddings", "{}").statusCode()).isEqualTo(404);
            assertThat(server.pendingReplies()).isEqualTo(1);
            assertThat(server.requests()).extracting(r -> r.path()).containsExactly("/v1/chat/completions", "/v1/embeddings");
        }
    }
}
