package dev.airlock.llm.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A model provider on loopback that speaks the real wire format of OpenAI chat completions,
 * Anthropic Messages or Ollama's native chat API — streamed (SSE, or NDJSON for Ollama) or not, as each
 * request asks — so that clients are tested over real HTTP against the bytes a provider sends.
 *
 * <pre>{@code
 * try (FakeModelServer s = FakeModelServer.openAi()) {
 *     s.replyToolCall("call_1", "shell", "{\"command\":\"ls\"}")   // first request
 *      .replyText("done");                                        // second request
 *     // configure a provider {type: openai, base_url: s.baseUrl()} and chat…
 *     assertThat(s.requests().get(1).json().at("/messages/2/role").asText()).isEqualTo("tool");
 * }
 * }</pre>
 *
 * <p>Replies are queued and consumed one per model request, in order. When the queue is empty the
 * {@linkplain #script script} answers, if one is set; otherwise the server answers HTTP 500 with a
 * body saying that no reply was queued. Requests to paths the protocol does not serve get the
 * provider's 404 and consume nothing. Every request is recorded, including ones that reached the
 * server as a proxy (an absolute request target), so a test can also prove that nothing arrived.
 *
 * <p>Thread-safe; requests are served concurrently.
 */
public final class FakeModelServer implements AutoCloseable {
    /** The wire protocol a server speaks. */
    public enum Protocol {
        /** OpenAI chat completions at {@code /v1/chat/completions}. */
        OPENAI("/v1", new OpenAiWire()),
        /** Anthropic Messages at {@code /v1/messages}. */
        ANTHROPIC("/v1", new AnthropicWire()),
        /** Ollama's native chat at {@code /api/chat}. */
        OLLAMA("", new OllamaWire());

        private final String basePath;
        private final Wire wire;

        Protocol(String basePath, Wire wire) {
            this.basePath = basePath;
            this.wire = wire;
        }
    }

    private final Protocol protocol;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Queue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<RecordedRequest, Reply> script;

    private FakeModelServer(Protocol protocol) {
        this.protocol = protocol;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server speaking {@code protocol} on 127.0.0.1 and a free port. */
    public static FakeModelServer start(Protocol protocol) {
        return new FakeModelServer(Objects.requireNonNull(protocol));
    }

    /** An OpenAI chat completions server. */
    public static FakeModelServer openAi() {
        return start(Protocol.OPENAI);
    }

    /** An Anthropic Messages server. */
    public static FakeModelServer anthropic() {
        return start(Protocol.ANTHROPIC);
    }

    /** An Ollama server. */
    public static FakeModelServer ollama() {
        return start(Protocol.OLLAMA);
    }

    public Protocol protocol() {
        return protocol;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}: the address to use as an egress proxy. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * The base URL a provider config takes: {@code http://127.0.0.1:PORT/v1} for OpenAI and Anthropic,
     * {@code http://127.0.0.1:PORT} for Ollama.
     */
    public String baseUrl() {
        return origin() + protocol.basePath;
    }

    /** Queues {@code reply} for the next model request. */
    public FakeModelServer reply(Reply reply) {
        queue.add(Objects.requireNonNull(reply));
        return this;
    }

    /** Queues a text reply. */
    public FakeModelServer replyText(String text) {
        return reply(Reply.text(text));
    }

    /** Queues a reply calling one tool. */
    public FakeModelServer replyToolCall(String id, String name, String argumentsJson) {
        return reply(Reply.toolCall(id, name, argumentsJson));
    }

    /** Queues a reply calling several tools. */
    public FakeModelServer replyToolCalls(Reply.Call... calls) {
        return reply(Reply.toolCalls(calls));
    }

    /** Queues an HTTP error with {@code body}. */
    public FakeModelServer replyStatus(int status, String body) {
        return reply(Reply.status(status, body));
    }

    /** Queues the provider's 401 for a wrong key. */
    public FakeModelServer replyBadKey() {
        return reply(Reply.badKey());
    }

    /** Queues the provider's 404 for an unknown model. */
    public FakeModelServer replyUnknownModel() {
        return reply(Reply.unknownModel());
    }

    /** Queues a reply with data that is not the wire format's JSON. */
    public FakeModelServer replyMalformed() {
        return reply(Reply.malformed());
    }

    /** Queues a reply that ends cleanly before the protocol's end marker. */
    public FakeModelServer replyTruncated() {
        return reply(Reply.truncated());
    }

    /** Queues a reply whose connection drops mid-body. */
    public FakeModelServer replyDropped() {
        return reply(Reply.dropped());
    }

    /** Queues a text reply sent only after {@code delay}. */
    public FakeModelServer replyDelay(Duration delay) {
        return reply(Reply.text("sorry for the wait").delayed(delay));
    }

    /**
     * Answers every request the queue does not, from what the request holds: for example, reply with
     * a tool call to the first request and echo the tool result back as text to the second.
     */
    public FakeModelServer script(Function<RecordedRequest, Reply> script) {
        this.script = script;
        return this;
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many requests were received. */
    public int requestCount() {
        return requests.size();
    }

    /** The most recent request. */
    public RecordedRequest lastRequest() {
        synchronized (requests) {
            if (requests.isEmpty()) {
                throw new IllegalStateException("no request received");
            }
            return requests.get(requests.size() - 1);
        }
    }

    /** Replies still queued. */
    public int pendingReplies() {
        return queue.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            RecordedRequest request = record(ex);
            Wire wire = protocol.wire;
            if (!wire.serves(request.method(), request.path())) {
                send(ex, 404, "application/json", wire.notFoundBody(request.path()));
                return;
            }
            Reply reply = queue.poll();
            if (reply == null && script != null) {
                reply = script.apply(request);
            }
            if (reply == null) {
                send(ex, 500, "text/plain", "fake model server: no reply queued for " + request.method() + " " + request.path());
                return;
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    return;
                }
            }
            answer(ex, request, reply, wire);
        } catch (IOException e) {
            // the client went away (or a dropped reply was cut): nothing more to send
        }
    }

    private void answer(HttpExchange ex, RecordedRequest request, Reply reply, Wire wire) throws IOException {
        switch (reply.kind()) {
            case STATUS -> {
                send(ex, reply.status(), "application/json", reply.body());
                return;
            }
            case BAD_KEY -> {
                String presented = request.header("x-api-key")
                        .or(() -> request.header("authorization").map(a -> a.replaceFirst("(?i)^bearer\\s+", "")))
                        .orElse("");
                send(ex, 401, "application/json", wire.badKeyBody(presented));
                return;
            }
            case UNKNOWN_MODEL -> {
                send(ex, 404, "application/json", wire.unknownModelBody(request.model()));
                return;
            }
            default -> { }
        }
        boolean dropped = reply.kind() == Reply.Kind.DROPPED;
        if (!request.streaming(protocol)) {
            String body = switch (reply.kind()) {
                case MALFORMED, TRUNCATED, DROPPED -> {
                    String whole = wire.complete(Reply.text(reply.text()), request);
                    yield whole.substring(0, whole.length() / 2);
                }
                default -> wire.complete(reply, request);
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, dropped ? bytes.length * 2L : bytes.length);
            ex.getResponseBody().write(bytes);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", wire.streamContentType());
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        // A dropped reply promises more bytes than it sends, so the client sees the connection end early.
        ex.sendResponseHeaders(200, dropped ? 1_000_000 : 0);
        OutputStream out = ex.getResponseBody();
        boolean stallOnText = !reply.text().isEmpty() && reply.kind() == Reply.Kind.MESSAGE;
        wire.stream(reply, request, new Wire.Stream() {
            private boolean stalled = reply.stall().isZero();

            @Override
            public void write(String chunk) throws IOException {
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!stallOnText) {
                    stall();
                }
            }

            @Override
            public void textWritten() throws IOException {
                stall();
            }

            private void stall() throws IOException {
                if (!stalled) {
                    stalled = true;
                    try {
                        Thread.sleep(reply.stall());
                    } catch (InterruptedException e) {
                        throw new IOException("server closing");
                    }
                }
            }
        });
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private RecordedRequest record(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        String path = ex.getRequestURI().getPath() == null ? "" : ex.getRequestURI().getPath();
        RecordedRequest r = new RecordedRequest(ex.getRequestMethod(), ex.getRequestURI().toString(), path, headers,
                new String(body, StandardCharsets.UTF_8));
        requests.add(r);
        return r;
    }
}
