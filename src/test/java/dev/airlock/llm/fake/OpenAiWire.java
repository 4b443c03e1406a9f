package dev.airlock.llm.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * OpenAI chat completions (https://platform.openai.com/docs/api-reference/chat): SSE chunks of
 * {@code chat.completion.chunk} with {@code choices[].delta}, tool calls streamed by index with their
 * arguments in fragments, a final chunk with {@code finish_reason}, a usage chunk when
 * {@code stream_options.include_usage} is set, then {@code data: [DONE]}.
 */
final class OpenAiWire implements Wire {
    private static final String ID = "chatcmpl-fake0001";
    private static final long CREATED = 1_700_000_000L;

    @Override
    public boolean serves(String method, String path) {
        return method.equals("POST") && path.endsWith("/chat/completions");
    }

    @Override
    public String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    private static ObjectNode chunk(RecordedRequest request) {
        ObjectNode c = Wire.object();
        c.put("id", ID).put("object", "chat.completion.chunk").put("created", CREATED).put("model", request.model())
                .put("system_fingerprint", "fp_fake");
        return c;
    }

    private static ObjectNode choice(ObjectNode chunk, ObjectNode delta, String finish, boolean includeUsage) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static String event(ObjectNode chunk) {
        return "data: " + Wire.json(chunk) + "\n\n";
    }

    @Override
    public void stream(Reply reply, RecordedRequest request, Stream out) throws IOException {
        boolean includeUsage = request.json().path("stream_options").path("include_usage").asBoolean(false);
        ObjectNode first = Wire.object().put("role", "assistant").put("content", "");
        first.putNull("refusal");
        out.write(event(choice(chunk(request), first, null, includeUsage)));
        switch (reply.kind()) {
            case MALFORMED -> {
                out.write("data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\n\n");
                return;
            }
            case TRUNCATED, DROPPED -> {
                out.write(event(choice(chunk(request), Wire.object().put("content", Wire.pieces(reply.text()).get(0)), null, includeUsage)));
                return;
            }
            case STREAM_ERROR -> {
                ObjectNode e = Wire.object();
                e.putObject("error").put("message", reply.text()).put("type", "server_error").putNull("param").putNull("code");
                out.write(event(e));
                out.write("data: [DONE]\n\n");
                return;
            }
            default -> { }
        }
        for (String piece : Wire.pieces(reply.text())) {
            out.write(event(choice(chunk(request), Wire.object().put("content", piece), null, includeUsage)));
            out.textWritten();
        }
        int index = 0;
        for (Reply.Call call : reply.calls()) {
            ObjectNode delta = Wire.object();
            ArrayNode calls = delta.putArray("tool_calls");
            ObjectNode c = calls.addObject().put("index", index).put("id", call.id()).put("type", "function");
            c.putObject("function").put("name", call.name()).put("arguments", "");
            out.write(event(choice(chunk(request), delta, null, includeUsage)));
            for (String fragment : Wire.fragments(call.argumentsJson())) {
                ObjectNode d = Wire.object();
                d.putArray("tool_calls").addObject().put("index", index).putObject("function").put("arguments", fragment);
                out.write(event(choice(chunk(request), d, null, includeUsage)));
            }
            index++;
        }
        out.write(event(choice(chunk(request), Wire.object(), finish(reply), includeUsage)));
        if (includeUsage) {
            ObjectNode u = chunk(request);
            u.putArray("choices");
            usage(u.putObject("usage"), reply);
            out.write(event(u));
        }
        out.write("data: [DONE]\n\n");
    }

    private static String finish(Reply reply) {
        return reply.isCutAtLength() ? "length" : reply.calls().isEmpty() ? "stop" : "tool_calls";
    }

    private static void usage(ObjectNode u, Reply reply) {
        u.put("prompt_tokens", reply.inputTokens()).put("completion_tokens", reply.outputTokens())
                .put("total_tokens", reply.inputTokens() + reply.outputTokens());
    }

    @Override
    public String complete(Reply reply, RecordedRequest request) {
        ObjectNode r = Wire.object();
        r.put("id", ID).put("object", "chat.completion").put("created", CREATED).put("model", request.model());
        ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply.text().isEmpty() && !reply.calls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        message.putNull("refusal");
        if (!reply.calls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (Reply.Call call : reply.calls()) {
                calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                        .put("name", call.name()).put("arguments", call.argumentsJson());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish(reply));
        usage(r.putObject("usage"), reply);
        return Wire.json(r);
    }

    @Override
    public String badKeyBody(String presentedKey) {
        return "{\n    \"error\": {\n        \"message\": \"Incorrect API key provided: " + Wire.mask(presentedKey)
                + ". You can find your API key at https://platform.openai.com/account/api-keys.\",\n"
                + "        \"type\": \"invalid_request_error\",\n        \"param\": null,\n        \"code\": \"invalid_api_key\"\n    }\n}\n";
    }

    @Override
    public String unknownModelBody(String model) {
        return "{\n    \"error\": {\n        \"message\": \"The model `" + model + "` does not exist or you do not have access to it.\",\n"
                + "        \"type\": \"invalid_request_error\",\n        \"param\": null,\n        \"code\": \"model_not_found\"\n    }\n}\n";
    }

    @Override
    public String notFoundBody(String path) {
        return "{\"error\":{\"message\":\"Invalid URL (POST " + path + ")\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}";
    }
}
