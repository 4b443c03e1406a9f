package dev.airlock.llm.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One protocol's rendering of a {@link Reply}. */
interface Wire {
    ObjectMapper JSON = new ObjectMapper();

    /** Whether this protocol serves {@code method path}. */
    boolean serves(String method, String path);

    /** The Content-Type of a stream. */
    String streamContentType();

    /** Writes {@code reply} as a stream to {@code out}; for MALFORMED and TRUNCATED, the broken variants. */
    void stream(Reply reply, RecordedRequest request, Stream out) throws IOException;

    /** {@code reply} as one JSON body. */
    String complete(Reply reply, RecordedRequest request);

    /** The provider's error body for a rejected key, given the key it was sent (to echo masked, as providers do). */
    String badKeyBody(String presentedKey);

    /** The provider's error body for an unknown model. */
    String unknownModelBody(String model);

    /** The provider's body for a path it does not serve. */
    String notFoundBody(String path);

    /** Where events are written; flushes each. */
    interface Stream {
        /** Writes one raw chunk of the body (an SSE event with its blank line, or an NDJSON line). */
        void write(String chunk) throws IOException;

        /** Marks that a chunk carrying a piece of the reply's text was written (a stalled reply pauses after the first). */
        void textWritten() throws IOException;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code text} in pieces of about four characters, as models stream it. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 4) {
            out.add(text.substring(i, Math.min(text.length(), i + 4)));
        }
        return out;
    }

    /** {@code json} in up to three fragments, as arguments stream. */
    static List<String> fragments(String json) {
        if (json.length() < 3) {
            return List.of(json);
        }
        int a = json.length() / 3;
        int b = 2 * json.length() / 3;
        return List.of(json.substring(0, a), json.substring(a, b), json.substring(b));
    }

    static String mask(String key) {
        if (key.length() <= 8) {
            return "***";
        }
        return key.substring(0, 3) + "*".repeat(Math.min(20, key.length() - 7)) + key.substring(key.length() - 4);
    }
}
