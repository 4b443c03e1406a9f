package dev.airlock.llm;

import java.util.Objects;

/**
 * A model's request to call a tool. Nothing here is trusted: the name may be unknown and the
 * arguments may not be JSON; the agent validates both.
 *
 * @param id            the provider's id for the call, echoed in the {@link ModelMessage.ToolResult}
 * @param name          the tool's name as the model wrote it
 * @param argumentsJson the arguments as the model wrote them (meant to be a JSON object)
 */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(argumentsJson);
    }
}
