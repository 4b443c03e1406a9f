package dev.airlock.llm;

import java.util.List;
import java.util.Objects;

/**
 * One request to a model.
 *
 * @param model     the provider's model name ({@code gpt-4o-mini}, {@code claude-sonnet-4-5}, {@code llama3.2})
 * @param messages  the conversation so far, oldest first; a {@link ModelMessage.System} only first
 * @param tools     the tools the model may call; empty for none
 * @param maxTokens the most output tokens the reply may have (also the worst case a cost cap assumes)
 */
public record ModelRequest(String model, List<ModelMessage> messages, List<ToolSpec> tools, int maxTokens) {
    public ModelRequest {
        Objects.requireNonNull(model);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
        }
    }
}
