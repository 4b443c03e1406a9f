package dev.airlock.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import java.util.Optional;

/**
 * How each provider's stream ends and reports errors. LangChain4j treats a stream that simply stops
 * as complete, so a reply cut short would pass for a whole one; these are the provider-documented
 * end markers a stream must reach to count as complete.
 */
enum WireFormat {
    /** OpenAI chat completions: SSE, ends with {@code data: [DONE]}. */
    OPENAI("OpenAI chat completions", "data: [DONE]"),
    /** Anthropic Messages: SSE, ends with {@code event: message_stop}. */
    ANTHROPIC("Anthropic Messages", "message_stop"),
    /** Ollama /api/chat: newline-delimited JSON, ends with a line holding {@code "done": true}. */
    OLLAMA("Ollama chat", "\"done\": true");

    private final String description;
    private final String endMarker;

    WireFormat(String description, String endMarker) {
        this.description = description;
        this.endMarker = endMarker;
    }

    static WireFormat of(ModelSettings.Type type) {
        return switch (type) {
            case OPENAI -> OPENAI;
            case ANTHROPIC -> ANTHROPIC;
            case OLLAMA -> OLLAMA;
        };
    }

    String description() {
        return description;
    }

    String endMarker() {
        return endMarker;
    }

    /** Data that is not JSON but belongs to the format. */
    boolean isSentinel(String data) {
        return this == OPENAI && data.strip().equals("[DONE]");
    }

    /** Whether {@code event} (with its data parsed as {@code json}, or null for a sentinel) ends the stream. */
    boolean isEnd(ServerSentEvent event, JsonNode json) {
        return switch (this) {
            case OPENAI -> json == null;
            case ANTHROPIC -> "message_stop".equals(event.event()) || json != null && "message_stop".equals(json.path("type").asText());
            case OLLAMA -> json != null && json.path("done").asBoolean(false);
        };
    }

    /** The provider's error message when {@code json} is an error object sent in the stream. */
    Optional<String> streamError(ServerSentEvent event, JsonNode json) {
        boolean error = "error".equals(event.event()) || "error".equals(json.path("type").asText())
                || json.hasNonNull("error") && !json.has("choices") && !json.has("message");
        if (!error) {
            return Optional.empty();
        }
        JsonNode e = json.path("error");
        String message = e.isTextual() ? e.asText() : e.path("message").asText("");
        return Optional.of(message);
    }
}
