package dev.airlock.llm.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Ollama's native chat API (https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion):
 * newline-delimited JSON objects with {@code message.content} pieces and {@code "done": false}; tool
 * calls as {@code message.tool_calls[].function} with arguments as a JSON object (and no id); a final
 * object with {@code "done": true}, {@code done_reason}, {@code prompt_eval_count} and {@code eval_count}.
 */
final class OllamaWire implements Wire {
    private static final String CREATED_AT = "2025-01-01T00:00:00.000000Z";

    @Override
    public boolean serves(String method, String path) {
        return method.equals("POST") && path.equals("/api/chat");
    }

    @Override
    public String streamContentType() {
        return "application/x-ndjson";
    }

    private static ObjectNode line(RecordedRequest request, String content, boolean done) {
        ObjectNode l = Wire.object().put("model", request.model()).put("created_at", CREATED_AT);
        l.putObject("message").put("role", "assistant").put("content", content);
        l.put("done", done);
        return l;
    }

    private static String write(ObjectNode node) {
        return Wire.json(node) + "\n";
    }

    @Override
    public void stream(Reply reply, RecordedRequest request, Stream out) throws IOException {
        switch (reply.kind()) {
            case MALFORMED -> {
                out.write(write(line(request, "Hel", false)));
                out.write("{\"model\":\"" + request.model() + "\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\n");
                return;
            }
            case TRUNCATED, DROPPED -> {
                out.write(write(line(request, Wire.pieces(reply.text()).get(0), false)));
                return;
            }
            case STREAM_ERROR -> {
                out.write(write(Wire.object().put("error", reply.text())));
                return;
            }
            default -> { }
        }
        for (String piece : Wire.pieces(reply.text())) {
            out.write(write(line(request, piece, false)));
            out.textWritten();
        }
        if (!reply.calls().isEmpty()) {
            ObjectNode l = line(request, "", false);
            calls((ObjectNode) l.get("message"), reply);
            out.write(write(l));
        }
        out.write(write(last(line(request, "", true), reply)));
    }

    private static void calls(ObjectNode message, Reply reply) {
        ArrayNode calls = message.putArray("tool_calls");
        for (Reply.Call call : reply.calls()) {
            JsonNode arguments;
            try {
                arguments = Wire.JSON.readTree(call.argumentsJson());
            } catch (IOException e) {
                arguments = Wire.JSON.getNodeFactory().textNode(call.argumentsJson());
            }
            calls.addObject().putObject("function").put("name", call.name()).set("arguments", arguments);
        }
    }

    private static ObjectNode last(ObjectNode l, Reply reply) {
        return l.put("done_reason", reply.isCutAtLength() ? "length" : "stop").put("total_duration", 181_553_584L)
                .put("load_duration", 27_906_292L).put("prompt_eval_count", reply.inputTokens())
                .put("prompt_eval_duration", 109_000_000L).put("eval_count", reply.outputTokens())
                .put("eval_duration", 42_000_000L);
    }

    @Override
    public String complete(Reply reply, RecordedRequest request) {
        ObjectNode l = line(request, reply.text(), true);
        if (!reply.calls().isEmpty()) {
            calls((ObjectNode) l.get("message"), reply);
        }
        return Wire.json(last(l, reply));
    }

    @Override
    public String badKeyBody(String presentedKey) {
        return "{\"error\":\"unauthorized\"}";
    }

    @Override
    public String unknownModelBody(String model) {
        return "{\"error\":\"model \\\"" + model + "\\\" not found, try pulling it first\"}";
    }

    @Override
    public String notFoundBody(String path) {
        return "404 page not found";
    }
}
