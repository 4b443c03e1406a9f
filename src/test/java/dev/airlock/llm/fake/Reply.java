package dev.airlock.llm.fake;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FakeModelServer} answers to one request, independent of the wire format: the server
 * renders it in the protocol it speaks (OpenAI chat completions, Anthropic Messages or Ollama chat),
 * streamed or not as the request asks. Immutable; the {@code with…}/{@code delayed}/{@code stalled}
 * methods return changed copies.
 */
public final class Reply {
    /** Input tokens reported when a reply does not set its own usage. */
    public static final long DEFAULT_INPUT_TOKENS = 11;
    /** Output tokens reported when a reply does not set its own usage. */
    public static final long DEFAULT_OUTPUT_TOKENS = 7;

    /** What kind of answer this is. */
    public enum Kind {
        /** A model reply: text and/or tool calls. */
        MESSAGE,
        /** An HTTP error status with a body as given. */
        STATUS,
        /** HTTP 401 with the provider's own body for a rejected key. */
        BAD_KEY,
        /** HTTP 404 with the provider's own body for a model it does not have. */
        UNKNOWN_MODEL,
        /** HTTP 200 whose stream (or body) contains data that is not the wire format's JSON. */
        MALFORMED,
        /** HTTP 200 whose stream ends cleanly but before the protocol's end marker. */
        TRUNCATED,
        /** HTTP 200 whose connection is dropped in the middle of the body. */
        DROPPED,
        /** HTTP 200 whose stream carries the provider's error event instead of a reply. */
        STREAM_ERROR
    }

    /** One tool call of a reply. */
    public record Call(String id, String name, String argumentsJson) {
        public Call {
            Objects.requireNonNull(id);
            Objects.requireNonNull(name);
            Objects.requireNonNull(argumentsJson);
        }
    }

    private final Kind kind;
    private final String text;
    private final List<Call> calls;
    private final int status;
    private final String body;
    private final Duration delay;
    private final Duration stall;
    private final long inputTokens;
    private final long outputTokens;
    private final boolean cutAtLength;

    private Reply(Kind kind, String text, List<Call> calls, int status, String body, Duration delay, Duration stall,
            long inputTokens, long outputTokens, boolean cutAtLength) {
        this.kind = kind;
        this.text = text;
        this.calls = List.copyOf(calls);
        this.status = status;
        this.body = body;
        this.delay = delay;
        this.stall = stall;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.cutAtLength = cutAtLength;
    }

    private static Reply of(Kind kind, String text, List<Call> calls, int status, String body) {
        return new Reply(kind, text, calls, status, body, Duration.ZERO, Duration.ZERO, DEFAULT_INPUT_TOKENS,
                DEFAULT_OUTPUT_TOKENS, false);
    }

    /** The model answers {@code text}, streamed in small pieces. */
    public static Reply text(String text) {
        return of(Kind.MESSAGE, text, List.of(), 200, "");
    }

    /** The model calls one tool. */
    public static Reply toolCall(String id, String name, String argumentsJson) {
        return toolCalls(new Call(id, name, argumentsJson));
    }

    /** The model calls several tools in one reply. */
    public static Reply toolCalls(Call... calls) {
        return of(Kind.MESSAGE, "", List.of(calls), 200, "");
    }

    /** HTTP {@code status} with {@code body} (give the provider's real error body for realism). */
    public static Reply status(int status, String body) {
        return of(Kind.STATUS, "", List.of(), status, body);
    }

    /** HTTP 401 with the body the provider sends for a wrong key. */
    public static Reply badKey() {
        return of(Kind.BAD_KEY, "", List.of(), 401, "");
    }

    /** HTTP 404 with the body the provider sends for a model it does not know. */
    public static Reply unknownModel() {
        return of(Kind.UNKNOWN_MODEL, "", List.of(), 404, "");
    }

    /** A stream (or body) with an event that is not valid JSON. */
    public static Reply malformed() {
        return of(Kind.MALFORMED, "Hello", List.of(), 200, "");
    }

    /** A stream that starts a reply and ends cleanly before the protocol's end marker. */
    public static Reply truncated() {
        return of(Kind.TRUNCATED, "Hello, this reply will be cut", List.of(), 200, "");
    }

    /** A reply whose connection is dropped mid-body (fewer bytes than its Content-Length). */
    public static Reply dropped() {
        return of(Kind.DROPPED, "Hello, this reply will be dropped", List.of(), 200, "");
    }

    /** A stream that carries the provider's error event ({@code message}) instead of a reply. */
    public static Reply streamError(String message) {
        return of(Kind.STREAM_ERROR, message, List.of(), 200, "");
    }

    /** This reply with text as well as its tool calls. */
    public Reply withText(String text) {
        return new Reply(kind, text, calls, status, body, delay, stall, inputTokens, outputTokens, cutAtLength);
    }

    /** This reply reporting the given token usage. */
    public Reply withUsage(long inputTokens, long outputTokens) {
        return new Reply(kind, text, calls, status, body, delay, stall, inputTokens, outputTokens, cutAtLength);
    }

    /** This reply ending because it reached the output token limit ({@code length}, {@code max_tokens}). */
    public Reply cutAtLength() {
        return new Reply(kind, text, calls, status, body, delay, stall, inputTokens, outputTokens, true);
    }

    /** This reply sent only after {@code delay} (before any header): for timeouts before the answer starts. */
    public Reply delayed(Duration delay) {
        return new Reply(kind, text, calls, status, body, delay, stall, inputTokens, outputTokens, cutAtLength);
    }

    /**
     * This reply pausing for {@code stall} after the first piece of its text (after its first event
     * when it has no text): for a stream that goes silent once it has started.
     */
    public Reply stalled(Duration stall) {
        return new Reply(kind, text, calls, status, body, delay, stall, inputTokens, outputTokens, cutAtLength);
    }

    public Kind kind() {
        return kind;
    }

    public String text() {
        return text;
    }

    public List<Call> calls() {
        return calls;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    public Duration delay() {
        return delay;
    }

    public Duration stall() {
        return stall;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public boolean isCutAtLength() {
        return cutAtLength;
    }

    @Override
    public String toString() {
        return "Reply[" + kind + (calls.isEmpty() ? "" : ", " + calls.size() + " tool calls") + "]";
    }
}
