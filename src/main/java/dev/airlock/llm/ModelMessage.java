package dev.airlock.llm;

import java.util.List;
import java.util.Objects;

/** A message of a conversation, in the provider-neutral form every client translates. */
public sealed interface ModelMessage {
    /** The system prompt. */
    record System(String text) implements ModelMessage {
        public System {
            Objects.requireNonNull(text);
        }
    }

    /** What the user said. */
    record User(String text) implements ModelMessage {
        public User {
            Objects.requireNonNull(text);
        }
    }

    /** What the model said: text, tool calls, or both. */
    record Assistant(String text, List<ToolCall> toolCalls) implements ModelMessage {
        public Assistant {
            Objects.requireNonNull(text);
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /**
     * The result of one tool call, answering {@link ToolCall#id()}. The text is already contained
     * (wrapped as untrusted data) by the agent before it gets here.
     */
    record ToolResult(String callId, String toolName, String text) implements ModelMessage {
        public ToolResult {
            Objects.requireNonNull(callId);
            Objects.requireNonNull(toolName);
            Objects.requireNonNull(text);
        }
    }
}
