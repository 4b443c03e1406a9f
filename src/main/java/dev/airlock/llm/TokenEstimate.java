package dev.airlock.llm;

import java.nio.charset.StandardCharsets;

/**
 * A conservative count of the input tokens a request will use, before it is sent, for cost caps.
 *
 * <p>Byte-level BPE tokenizers (OpenAI, Anthropic, Llama) never produce more than one token per UTF-8
 * byte of text, so the byte count bounds the text from above. Each message and tool definition adds a
 * fixed framing allowance on top. The estimate may be several times the real count; it is never less.
 */
public final class TokenEstimate {
    /** Role markers and separators a provider adds per message (OpenAI documents 3–4). */
    static final int PER_MESSAGE = 8;
    /** Framing added once per request. */
    static final int PER_REQUEST = 16;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private TokenEstimate() {}

    /** An upper bound on the input tokens of {@code request}. */
    public static long upperBound(ModelRequest request) {
        long total = PER_REQUEST;
        for (ModelMessage m : request.messages()) {
            total += PER_MESSAGE + switch (m) {
                case ModelMessage.System s -> bytes(s.text());
                case ModelMessage.User u -> bytes(u.text());
                case ModelMessage.Assistant a -> bytes(a.text())
                        + a.toolCalls().stream().mapToLong(c -> bytes(c.id()) + bytes(c.name()) + bytes(c.argumentsJson()) + PER_MESSAGE).sum();
                case ModelMessage.ToolResult r -> bytes(r.callId()) + bytes(r.toolName()) + bytes(r.text());
            };
        }
        for (ToolSpec t : request.tools()) {
            total += PER_MESSAGE + bytes(t.name()) + bytes(t.description()) + json(t.parameters());
        }
        return total;
    }

    private static long json(Object value) {
        try {
            return JSON.writeValueAsBytes(value).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("tool parameters are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static long bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
