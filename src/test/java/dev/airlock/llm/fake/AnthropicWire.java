package dev.airlock.llm.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Anthropic Messages (https://docs.anthropic.com/en/api/messages-streaming): SSE events
 * {@code message_start}, per content block {@code content_block_start}, {@code content_block_delta}
 * ({@code text_delta}, or {@code input_json_delta} for a {@code tool_use} block) and
 * {@code content_block_stop}, then {@code message_delta} with the stop reason and output usage, and
 * {@code message_stop}. A {@code ping} is sent after the first block starts, as the API does.
 */
final class AnthropicWire implements Wire {
    private static final String ID = "msg_fake01";

    @Override
    public boolean serves(String method, String path) {
        return method.equals("POST") && path.endsWith("/messages");
    }

    @Override
    public String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    private static String event(String name, ObjectNode data) {
        return "event: " + name + "\ndata: " + Wire.json(data) + "\n\n";
    }

    private static ObjectNode typed(String type) {
        return Wire.object().put("type", type);
    }

    @Override
    public void stream(Reply reply, RecordedRequest request, Stream out) throws IOException {
        ObjectNode start = typed("message_start");
        ObjectNode message = start.putObject("message").put("id", ID).put("type", "message").put("role", "assistant");
        message.putArray("content");
        message.put("model", request.model()).putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", 1);
        out.write(event("message_start", start));
        int index = 0;
        if (!reply.text().isEmpty() && reply.kind() != Reply.Kind.STREAM_ERROR) {
            ObjectNode s = typed("content_block_start").put("index", index);
            s.putObject("content_block").put("type", "text").put("text", "");
            out.write(event("content_block_start", s));
            out.write(event("ping", typed("ping")));
            switch (reply.kind()) {
                case MALFORMED -> {
                    out.write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\n\n");
                    return;
                }
                case TRUNCATED, DROPPED -> {
                    out.write(event("content_block_delta", textDelta(index, Wire.pieces(reply.text()).get(0))));
                    return;
                }
                default -> { }
            }
            for (String piece : Wire.pieces(reply.text())) {
                out.write(event("content_block_delta", textDelta(index, piece)));
                out.textWritten();
            }
            out.write(event("content_block_stop", typed("content_block_stop").put("index", index)));
            index++;
        }
        if (reply.kind() == Reply.Kind.STREAM_ERROR) {
            ObjectNode e = typed("error");
            e.putObject("error").put("type", "overloaded_error").put("message", reply.text());
            out.write(event("error", e));
            return;
        }
        for (Reply.Call call : reply.calls()) {
            ObjectNode s = typed("content_block_start").put("index", index);
            ObjectNode block = s.putObject("content_block").put("type", "tool_use").put("id", call.id()).put("name", call.name());
            block.putObject("input");
            out.write(event("content_block_start", s));
            out.write(event("content_block_delta", jsonDelta(index, "")));
            for (String fragment : Wire.fragments(call.argumentsJson())) {
                out.write(event("content_block_delta", jsonDelta(index, fragment)));
            }
            out.write(event("content_block_stop", typed("content_block_stop").put("index", index)));
            index++;
        }
        ObjectNode delta = typed("message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", reply.outputTokens());
        out.write(event("message_delta", delta));
        out.write(event("message_stop", typed("message_stop")));
    }

    private static ObjectNode textDelta(int index, String text) {
        ObjectNode d = typed("content_block_delta").put("index", index);
        d.putObject("delta").put("type", "text_delta").put("text", text);
        return d;
    }

    private static ObjectNode jsonDelta(int index, String partial) {
        ObjectNode d = typed("content_block_delta").put("index", index);
        d.putObject("delta").put("type", "input_json_delta").put("partial_json", partial);
        return d;
    }

    private static String stopReason(Reply reply) {
        return reply.isCutAtLength() ? "max_tokens" : reply.calls().isEmpty() ? "end_turn" : "tool_use";
    }

    @Override
    public String complete(Reply reply, RecordedRequest request) {
        ObjectNode r = Wire.object().put("id", ID).put("type", "message").put("role", "assistant").put("model", request.model());
        ArrayNode content = r.putArray("content");
        if (!reply.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text());
        }
        for (Reply.Call call : reply.calls()) {
            ObjectNode block = content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            JsonNode input;
            try {
                input = Wire.JSON.readTree(call.argumentsJson());
            } catch (IOException e) {
                input = Wire.object();
            }
            block.set("input", input);
        }
        r.put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        r.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", reply.outputTokens());
        return Wire.json(r);
    }

    @Override
    public String badKeyBody(String presentedKey) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_fake01\"}";
    }

    @Override
    public String unknownModelBody(String model) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: " + model + "\"},\"request_id\":\"req_fake02\"}";
    }

    @Override
    public String notFoundBody(String path) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not Found\"},\"request_id\":\"req_fake03\"}";
    }
}
