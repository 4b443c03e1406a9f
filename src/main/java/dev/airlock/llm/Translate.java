package dev.airlock.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Our provider-neutral messages to LangChain4j's and its responses back. */
final class Translate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Translate() {}

    static List<ChatMessage> messages(List<ModelMessage> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (ModelMessage m : messages) {
            out.add(switch (m) {
                case ModelMessage.System s -> SystemMessage.from(s.text());
                case ModelMessage.User u -> UserMessage.from(u.text());
                case ModelMessage.Assistant a -> assistant(a);
                case ModelMessage.ToolResult r -> ToolExecutionResultMessage.from(r.callId(), r.toolName(), r.text());
            });
        }
        return out;
    }

    private static AiMessage assistant(ModelMessage.Assistant a) {
        List<ToolExecutionRequest> calls = a.toolCalls().stream()
                .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.argumentsJson()).build())
                .toList();
        AiMessage.Builder b = AiMessage.builder();
        if (!a.text().isEmpty()) {
            b.text(a.text());
        }
        if (!calls.isEmpty()) {
            b.toolExecutionRequests(calls);
        }
        return b.build();
    }

    /**
     * A tool for LangChain4j. Each property's schema is passed through as raw JSON, so that any JSON
     * Schema the agent writes reaches the provider as written rather than as the subset LangChain4j
     * models; {@code required}, {@code additionalProperties} and {@code $defs} are carried over too.
     */
    static ToolSpecification tool(ToolSpec spec) {
        Map<String, Object> p = spec.parameters();
        JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
        if (p.get("properties") instanceof Map<?, ?> props) {
            props.forEach((name, value) -> schema.addProperty(String.valueOf(name), JsonRawSchema.from(json(value))));
        }
        if (p.get("required") instanceof List<?> required) {
            schema.required(required.stream().map(String::valueOf).toList());
        }
        if (p.get("additionalProperties") instanceof Boolean additional) {
            schema.additionalProperties(additional);
        }
        Object defs = p.containsKey("$defs") ? p.get("$defs") : p.get("definitions");
        if (defs instanceof Map<?, ?> d) {
            Map<String, dev.langchain4j.model.chat.request.json.JsonSchemaElement> m = new java.util.LinkedHashMap<>();
            d.forEach((name, value) -> m.put(String.valueOf(name), JsonRawSchema.from(json(value))));
            schema.definitions(m);
        }
        if (p.get("description") instanceof String description) {
            schema.description(description);
        }
        return ToolSpecification.builder().name(spec.name()).description(spec.description()).parameters(schema.build()).build();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a tool's parameter schema is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The tool calls of a response; a call without an id (Ollama gives none) gets one by position. */
    static List<ToolCall> toolCalls(AiMessage message) {
        if (message == null || !message.hasToolExecutionRequests()) {
            return List.of();
        }
        List<ToolCall> calls = new ArrayList<>();
        int i = 0;
        for (ToolExecutionRequest r : message.toolExecutionRequests()) {
            String id = r.id() == null || r.id().isBlank() ? "call_" + i : r.id();
            calls.add(new ToolCall(id, r.name() == null ? "" : r.name(), r.arguments() == null ? "" : r.arguments()));
            i++;
        }
        return calls;
    }

    /**
     * Tokens as the provider reported them. A provider that reports none (some OpenAI-compatible
     * servers ignore {@code stream_options.include_usage}) is charged the request's upper bound, so a
     * cost cap never undercounts.
     */
    static Usage usage(TokenUsage usage, ModelRequest request) {
        if (usage == null || usage.inputTokenCount() == null && usage.outputTokenCount() == null) {
            return new Usage(TokenEstimate.upperBound(request), request.maxTokens());
        }
        long in = usage.inputTokenCount() == null ? TokenEstimate.upperBound(request) : usage.inputTokenCount();
        long out = usage.outputTokenCount() == null ? request.maxTokens() : usage.outputTokenCount();
        return new Usage(Math.max(0, in), Math.max(0, out));
    }

    /** The finish reason as {@code stop}, {@code tool_calls}, {@code length} or {@code other}. */
    static String finishReason(FinishReason reason, boolean hasToolCalls) {
        if (hasToolCalls && (reason == null || reason == FinishReason.STOP || reason == FinishReason.TOOL_EXECUTION)) {
            return "tool_calls";
        }
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case STOP -> "stop";
            case TOOL_EXECUTION -> "tool_calls";
            case LENGTH -> "length";
            case CONTENT_FILTER, OTHER -> "other";
        };
    }

    static ModelReply reply(ChatResponse response, ModelRequest request) {
        AiMessage ai = response.aiMessage();
        List<ToolCall> calls = toolCalls(ai);
        String text = ai == null || ai.text() == null ? "" : ai.text();
        String model = response.modelName() == null || response.modelName().isBlank() ? request.model() : response.modelName();
        return new ModelReply(text, calls, usage(response.tokenUsage(), request), finishReason(response.finishReason(), !calls.isEmpty()), model);
    }
}
