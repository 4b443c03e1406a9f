package dev.airlock.llm;

import java.util.List;
import java.util.Objects;

/**
 * A complete reply.
 *
 * @param text         the text (may be empty when the model only calls tools)
 * @param toolCalls    the tools the model wants called, in order
 * @param usage        tokens used by this request
 * @param finishReason the provider's reason, normalised: {@code stop}, {@code tool_calls}, {@code length}, {@code other}
 * @param model        the model that answered, as the provider named it
 */
public record ModelReply(String text, List<ToolCall> toolCalls, Usage usage, String finishReason, String model) {
    public ModelReply {
        Objects.requireNonNull(text);
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(usage);
        Objects.requireNonNull(finishReason);
        Objects.requireNonNull(model);
    }

    public ModelMessage.Assistant asMessage() {
        return new ModelMessage.Assistant(text, toolCalls);
    }
}
