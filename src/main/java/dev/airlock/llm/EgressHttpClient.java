package dev.airlock.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.gate.EgressGate;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's HTTP client interface over Airlock's egress gate, so that every model request is
 * checked against the egress policy and audited, and never leaves any other way.
 *
 * <p>What it adds to a plain transport, and why:
 * <ul>
 *   <li>The API key: LangChain4j is given a random placeholder; the placeholder is replaced by the
 *       key in the {@code Authorization} or {@code x-api-key} header at the moment of sending, and
 *       the key is scrubbed from any error body. The key is read only when a request leaves, and only
 *       when the egress policy lets the host be reached.</li>
 *   <li>Streams are read on a worker thread while the calling thread waits, so that an interrupt of
 *       the caller, or a stream silent for longer than the read timeout, closes the connection
 *       instead of leaving a thread blocked in a read.</li>
 *   <li>Each event is checked before LangChain4j sees it: data that is not JSON and error objects are
 *       reported as failures (LangChain4j's parser logs and drops exceptions thrown while handling an
 *       event), and a stream that ends without the provider's end marker is reported as cut short
 *       (LangChain4j would complete with whatever had arrived).</li>
 * </ul>
 *
 * <p>Connect timeout: the gate's own HTTP client bounds connecting (30 s); each request's timeout
 * (the read timeout) also covers connecting and waiting for the response headers.
 */
final class EgressHttpClient implements HttpClient {
    static final int MAX_BODY = 32 * 1024 * 1024;
    static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Set<String> KEY_HEADERS = Set.of("authorization", "x-api-key", "api-key");

    private final EgressGate gate;
    private final String actor;
    private final String agent;
    private final WireFormat format;
    private final ApiKey key;
    private final Predicate<URI> mayReach;
    private final Duration readTimeout;

    private EgressHttpClient(Builder b) {
        this.gate = b.gate;
        this.actor = b.actor;
        this.agent = b.agent;
        this.format = b.format;
        this.key = b.key;
        this.mayReach = b.mayReach;
        this.readTimeout = b.readTimeout == null ? Duration.ofSeconds(120) : b.readTimeout;
    }

    /** Configured by {@link Providers}; LangChain4j sets the timeouts and builds. */
    static final class Builder implements HttpClientBuilder {
        private final EgressGate gate;
        private final String actor;
        private final String agent;
        private final WireFormat format;
        private final ApiKey key;
        private final Predicate<URI> mayReach;
        private @Nullable Duration connectTimeout;
        private @Nullable Duration readTimeout;

        Builder(EgressGate gate, String actor, String agent, WireFormat format, ApiKey key, Predicate<URI> mayReach) {
            this.gate = gate;
            this.actor = actor;
            this.agent = agent;
            this.format = format;
            this.key = key;
            this.mayReach = mayReach;
        }

        @Override
        public @Nullable Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public @Nullable Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new EgressHttpClient(this);
        }
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Sent sent = send(request);
        Watched body = new Watched(sent.response.body());
        byte[][] out = new byte[1][];
        RuntimeException[] failure = new RuntimeException[1];
        Thread worker = Thread.ofVirtual().name("airlock-llm-body").start(() -> {
            try {
                out[0] = body.readAtMost(isSuccess(sent.response.statusCode()) ? MAX_BODY : MAX_ERROR_BODY);
            } catch (IOException e) {
                failure[0] = new StreamFailure(StreamFailure.Why.CUT_SHORT, "the response body was cut short ("
                        + e.getClass().getSimpleName() + ")");
            }
        });
        RuntimeException[] stopped = new RuntimeException[1];
        await(worker, body, e -> stopped[0] = e);
        if (stopped[0] != null) {
            throw stopped[0];
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        String text = new String(out[0], StandardCharsets.UTF_8);
        if (!isSuccess(sent.response.statusCode())) {
            throw new HttpException(sent.response.statusCode(), sent.scrub(text));
        }
        return SuccessfulHttpResponse.builder().statusCode(sent.response.statusCode())
                .headers(sent.response.headers().map()).body(text).build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Exchange exchange = new Exchange(listener);
        Sent sent;
        try {
            sent = send(request);
        } catch (RuntimeException e) {
            exchange.fail(e);
            return;
        }
        Watched body = new Watched(sent.response.body());
        Thread worker = Thread.ofVirtual().name("airlock-llm-stream").start(() -> exchange.run(sent, body, parser));
        await(worker, body, exchange::fail);
    }

    /** The response with what is needed to scrub the key out of text that came back. */
    private record Sent(HttpResponse<InputStream> response, @Nullable String keyText) {
        String scrub(String text) {
            return keyText == null || keyText.isEmpty() ? text : text.replace(keyText, "[REDACTED]");
        }
    }

    /**
     * Sends {@code request} through the gate and returns once the response headers are in.
     *
     * @throws EgressGate.EgressRefused      when the policy refuses the host
     * @throws TimeoutException              when no response starts within the read timeout
     * @throws StreamFailure                 (cancelled) when the calling thread is interrupted
     * @throws UncheckedIOException          when the server cannot be reached
     */
    private Sent send(HttpRequest request) {
        URI uri = URI.create(request.url());
        if (request.url().contains(key.placeholder())) {
            throw new IllegalStateException("the API key placeholder ended up in a URL; refusing to send");
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri).timeout(readTimeout);
        String body = request.body();
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("multipart requests are not used by Airlock's model clients");
        }
        b.method(request.method().name(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        String keyText = null;
        boolean needsKey = false;
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            for (String v : h.getValue()) {
                if (v != null && v.contains(key.placeholder())) {
                    if (!KEY_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                        throw new IllegalStateException("the API key placeholder ended up in header " + h.getKey() + "; refusing to send");
                    }
                    needsKey = true;
                }
            }
        }
        // The key is read only for a request that will leave: a refused host never causes a vault unlock.
        if (needsKey && key.reference().isPresent() && mayReach.test(uri)) {
            keyText = keyText();
        }
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            String name = h.getKey();
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String v : h.getValue()) {
                if (v == null) {
                    continue;
                }
                if (v.contains(key.placeholder())) {
                    if (keyText != null) {
                        b.header(name, v.replace(key.placeholder(), keyText));
                    }
                    continue;
                }
                b.header(name, v);
            }
        }
        java.net.http.HttpRequest jdk = b.build();
        try {
            return new Sent(gate.send(actor, agent, jdk, HttpResponse.BodyHandlers.ofInputStream()), keyText);
        } catch (HttpTimeoutException e) {
            throw new TimeoutException("no response within " + readTimeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            throw new StreamFailure(StreamFailure.Why.CANCELLED, "cancelled while waiting for the response");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The key as header text. Header values are strings in the JDK client, so this one copy of the key
     * as a {@code String} cannot be wiped; the byte and char arrays it is made from are.
     */
    private String keyText() {
        byte[] bytes = key.bytes().orElse(new byte[0]);
        try {
            int from = 0;
            int to = bytes.length;
            while (from < to && (bytes[from] == ' ' || bytes[from] == '\t' || bytes[from] == '\n' || bytes[from] == '\r')) {
                from++;
            }
            while (to > from && (bytes[to - 1] == ' ' || bytes[to - 1] == '\t' || bytes[to - 1] == '\n' || bytes[to - 1] == '\r')) {
                to--;
            }
            if (from == to) {
                throw new LlmException(LlmException.Kind.CONFIGURATION, "the API key in "
                        + key.reference().map(ModelSettings.KeyReference::describe).orElse("the config") + " is empty");
            }
            for (int i = from; i < to; i++) {
                if (bytes[i] < 0x21 || bytes[i] > 0x7e) {
                    throw new LlmException(LlmException.Kind.CONFIGURATION, "the API key in "
                            + key.reference().map(ModelSettings.KeyReference::describe).orElse("the config")
                            + " holds characters an HTTP header cannot carry (a space or a line break inside it?); store it again");
                }
            }
            return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Waits for {@code worker}. When the stream stays silent longer than the read timeout, or the
     * calling thread is interrupted, hands the reason to {@code stopped} first (so that the read
     * failure closing causes is not taken for the reason) and then closes the body.
     */
    private void await(Thread worker, Watched body, java.util.function.Consumer<RuntimeException> stopped) {
        long idle = readTimeout.toNanos();
        while (true) {
            try {
                if (worker.join(POLL)) {
                    return;
                }
            } catch (InterruptedException e) {
                stopped.accept(new StreamFailure(StreamFailure.Why.CANCELLED, "cancelled while the reply was streaming"));
                stop(worker, body);
                return;
            }
            if (System.nanoTime() - body.lastActivity > idle) {
                stopped.accept(new TimeoutException("the stream stayed silent for " + readTimeout.toSeconds() + " s"));
                stop(worker, body);
                return;
            }
        }
    }

    private static void stop(Thread worker, Watched body) {
        body.closeQuietly();
        worker.interrupt();
        boolean interrupted = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (worker.isAlive() && System.nanoTime() < deadline) {
            try {
                worker.join(POLL);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** The body, remembering when data last arrived. */
    private static final class Watched extends FilterInputStream {
        volatile long lastActivity = System.nanoTime();

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastActivity = System.nanoTime();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastActivity = System.nanoTime();
            return n;
        }

        byte[] readAtMost(int limit) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = read(buf, 0, buf.length)) >= 0) {
                if (out.size() + n > limit) {
                    out.write(buf, 0, limit - out.size());
                    break;
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException | RuntimeException ignored) {
                // closing is how a stuck read is released; a failure to close changes nothing
            }
        }
    }

    /**
     * One streamed exchange: checks each event before LangChain4j's listener sees it and delivers
     * exactly one ending (close or error), whichever thread notices it first.
     */
    private final class Exchange implements ServerSentEventListener {
        private final ServerSentEventListener target;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean finished;
        private boolean sawEnd;

        Exchange(ServerSentEventListener target) {
            this.target = Objects.requireNonNull(target);
        }

        void run(Sent sent, Watched body, ServerSentEventParser parser) {
            try {
                HttpResponse<InputStream> r = sent.response;
                if (!isSuccess(r.statusCode())) {
                    String text;
                    try {
                        text = new String(body.readAtMost(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        text = "";
                    }
                    fail(new HttpException(r.statusCode(), sent.scrub(text)));
                    return;
                }
                deliver(() -> target.onOpen(SuccessfulHttpResponse.builder().statusCode(r.statusCode())
                        .headers(r.headers().map()).build()));
                parser.parse(body, this);
                lock.lock();
                try {
                    if (finished) {
                        return;
                    }
                    if (!sawEnd) {
                        finishWith(new StreamFailure(StreamFailure.Why.CUT_SHORT, "the stream ended before its end marker ("
                                + format.endMarker() + ")"));
                        return;
                    }
                    finished = true;
                    target.onClose();
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException e) {
                fail(new StreamFailure(StreamFailure.Why.NOT_WIRE_FORMAT, "the stream could not be read ("
                        + e.getClass().getSimpleName() + ")"));
            } finally {
                body.closeQuietly();
            }
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            onEvent(event, null);
        }

        @Override
        public void onEvent(ServerSentEvent event, @Nullable ServerSentEventContext context) {
            lock.lock();
            try {
                if (finished || sawEnd) {
                    return;
                }
                String data = event.data() == null ? "" : event.data();
                if (data.isBlank()) {
                    return;
                }
                JsonNode json = null;
                if (!format.isSentinel(data)) {
                    try {
                        json = JSON.readTree(data);
                    } catch (JsonProcessingException e) {
                        json = null;
                    }
                    if (json == null || !json.isObject()) {
                        finishWith(new StreamFailure(StreamFailure.Why.NOT_WIRE_FORMAT, "an event of the stream is not "
                                + format.description() + " JSON"));
                        return;
                    }
                    var error = format.streamError(event, json);
                    if (error.isPresent()) {
                        finishWith(new StreamFailure(StreamFailure.Why.PROVIDER_ERROR, error.get()));
                        return;
                    }
                }
                if (format.isEnd(event, json)) {
                    sawEnd = true;
                }
                if (context == null) {
                    target.onEvent(event);
                } else {
                    target.onEvent(event, context);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onError(Throwable t) {
            // The parser reports a failed read here: the connection broke mid-stream, or was closed by us.
            fail(new StreamFailure(StreamFailure.Why.CUT_SHORT, "the connection broke while the reply was streaming ("
                    + t.getClass().getSimpleName() + ")"));
        }

        @Override
        public void onClose() {
            // Only run() decides that a stream ended properly.
        }

        void fail(Throwable t) {
            lock.lock();
            try {
                if (!finished) {
                    finishWith(t);
                }
            } finally {
                lock.unlock();
            }
        }

        private void finishWith(Throwable t) {
            finished = true;
            target.onError(t);
        }

        private void deliver(Runnable r) {
            lock.lock();
            try {
                if (!finished) {
                    r.run();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
