package dev.airlock.llm.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request a {@link FakeModelServer} received, exactly as it arrived.
 *
 * @param method  {@code POST}, {@code GET}…
 * @param target  the request target as sent: a path, or an absolute URI when the server acted as a proxy
 * @param path    the path part of the target, e.g. {@code /v1/chat/completions}
 * @param headers header values by lower-case name
 * @param body    the body as UTF-8 text
 */
public record RecordedRequest(String method, String target, String path, Map<String, List<String>> headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the request body is not JSON", e);
        }
    }

    /** The {@code model} field of the body, or empty. */
    public String model() {
        return json().path("model").asText("");
    }

    /** Whether the body asks for a streamed reply (Ollama streams unless told not to). */
    public boolean streaming(FakeModelServer.Protocol protocol) {
        JsonNode stream = json().get("stream");
        return protocol == FakeModelServer.Protocol.OLLAMA ? stream == null || stream.asBoolean(true)
                : stream != null && stream.asBoolean(false);
    }
}
