package dev.airlock.gate;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.redact.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The only way out of a sandbox's network namespace: an HTTP proxy on a Unix socket in a private
 * folder, which the sandbox binds in and bridges to {@code 127.0.0.1:PORT} inside. It speaks
 * {@code CONNECT host:port} (RFC 9110 §9.3.6: https, ssh, any TCP) and absolute-URI plain HTTP
 * forwarding (RFC 9112 §3.2.2); nothing else.
 *
 * <p>Every connection is decided on its own by an {@link EgressRule} (the egress policy on the name
 * and on each resolved address, with the port) and recorded as an {@code egress.connect} row before
 * a byte goes out; a connection whose row cannot be written is not opened. A refused one gets a
 * {@code 403} naming the rule. When an opened connection ends, an {@code egress.connect.finish} row
 * records the bytes each way. Rows hold the host, port and method, never a path, a header or content.
 *
 * <p>Bounded: at most {@code maxConnections} at once (more get a {@code 503}), a request head of at
 * most {@link #MAX_HEAD_BYTES}, a head that must arrive within {@code headTimeout}, and a connection
 * idle for {@code idleTimeout} is closed. {@link #close()} stops everything and removes the folder.
 */
final class EgressProxy implements AutoCloseable {
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final String SOCKET_NAME = "egress.sock";

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final EgressRule rule;
    private final AuditLog audit;
    private final Redactor redactor;
    private final String actor;
    private final String agent;
    private final Semaphore slots;
    private final Duration headTimeout;
    private final Duration idleTimeout;
    private final Duration connectTimeout;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reaper;
    private final Thread acceptor;
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    private EgressProxy(Builder b) throws IOException {
        this.rule = b.rule;
        this.audit = b.audit;
        this.redactor = b.redactor;
        this.actor = b.actor;
        this.agent = b.agent;
        this.slots = new Semaphore(b.maxConnections);
        this.headTimeout = b.headTimeout;
        this.idleTimeout = b.idleTimeout;
        this.connectTimeout = b.connectTimeout;
        // A folder only this user can enter: nobody else on the machine can connect to the socket.
        this.dir = Files.createTempDirectory(b.parent, "airlock-egress-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.socket = dir.resolve(SOCKET_NAME);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(socket), 64);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            s.close();
            deleteQuietly();
            throw e;
        }
        this.server = s;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                .name("egress-proxy-reaper").unstarted(r));
        reaper.scheduleWithFixedDelay(this::reap, 200, 200, TimeUnit.MILLISECONDS);
        this.acceptor = Thread.ofPlatform().daemon(true).name("egress-proxy").start(this::acceptLoop);
    }

    static Builder builder(EgressRule rule, AuditLog audit, Redactor redactor) {
        return new Builder(rule, audit, redactor);
    }

    /** The folder holding {@link #SOCKET_NAME}; the sandbox binds this folder. */
    Path directory() {
        return dir;
    }

    Path socket() {
        return socket;
    }

    /** Connections accepted so far, refused ones included. */
    long connectionCount() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            connections.incrementAndGet();
            Connection c = new Connection(client);
            if (!slots.tryAcquire()) {
                Thread.ofVirtual().start(() -> {
                    try (c) {
                        c.respond(503, "too many connections through the egress proxy at once");
                    }
                });
                continue;
            }
            open.add(c);
            Thread handler = Thread.ofVirtual().name("egress-connection").unstarted(() -> {
                try (c) {
                    serve(c);
                } finally {
                    open.remove(c);
                    slots.release();
                    handlers.remove(Thread.currentThread());
                }
            });
            handlers.add(handler);
            handler.start();
        }
    }

    private void reap() {
        long now = System.nanoTime();
        for (Connection c : open) {
            // The head has one deadline from the start, so a client dribbling a byte at a time cannot
            // hold a slot; an open tunnel is closed when idle.
            boolean expired = c.tunnelling ? now - c.lastActivity > idleTimeout.toNanos()
                    : now - c.created > headTimeout.toNanos();
            if (expired) {
                c.close();
            }
        }
    }

    /** One request head, parsed; {@code rest} holds bytes the client sent after it. */
    private record Head(String method, String target, String version, List<String> headers, byte[] rest) {}

    private void serve(Connection c) {
        Head head;
        try {
            head = readHead(c);
        } catch (HeadTooLarge e) {
            refuse(c, 431, "", "the request head is larger than " + MAX_HEAD_BYTES + " bytes");
            c.drain();
            return;
        } catch (BadRequest e) {
            refuse(c, 400, "", "not an HTTP/1 request");
            return;
        } catch (IOException e) {
            return;
        }
        if (head == null) {
            return;
        }
        String method = head.method().toUpperCase(Locale.ROOT);
        String host;
        int port;
        URI uri = null;
        if (method.equals("CONNECT")) {
            String t = head.target();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || (t.startsWith("[") && !t.substring(0, colon).endsWith("]"))) {
                refuse(c, 400, method, "CONNECT needs host:port");
                return;
            }
            host = t.substring(0, colon);
            port = parsePort(t.substring(colon + 1));
        } else {
            try {
                uri = new URI(head.target());
            } catch (java.net.URISyntaxException e) {
                refuse(c, 400, method, "the request target is not an absolute http:// URI");
                return;
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String authority = uri.getRawAuthority();
            if (!scheme.equals("http") || authority == null || authority.contains("@")) {
                refuse(c, 400, method, scheme.equals("https") ? "https goes through CONNECT, not as an absolute URI"
                        : "only absolute http:// URIs without user info, and CONNECT, pass the egress proxy");
                return;
            }
            // The authority as written, not java.net.URI's reading of it: a name URI does not take for
            // a host (a trailing dot on an address, an underscore) is still decided, by EgressRule.
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && !authority.substring(colon).contains("]")) {
                host = authority.substring(0, colon);
                port = authority.length() == colon + 1 ? 80 : parsePort(authority.substring(colon + 1));
            } else {
                host = authority;
                port = 80;
            }
        }
        EgressRule.Verdict v = rule.decide(host, port);
        String shownHost = redactor.redact(EgressRule.normalize(host));
        try {
            audit.append(AuditEvent.builder("egress.connect").actor(actor).target("host:" + shownHost)
                    .outcome(v.allowed() ? "approved" : "denied")
                    .detail("host", shownHost).detail("port", port).detail("method", method)
                    .detail("address", v.address() == null ? "" : v.address().getHostAddress())
                    .detail("agent", agent).detail("via", "sandbox-proxy")
                    .detail("rule", v.rule()).detail("reason", redactor.redact(v.reason())).build());
        } catch (RuntimeException e) {
            c.respond(503, "the egress proxy could not record this connection, so it was not opened");
            return;
        }
        if (!v.allowed()) {
            c.respond(403, "egress to " + shownHost + ":" + port + " refused by " + v.rule() + ": "
                    + redactor.redact(v.reason()));
            return;
        }
        long started = System.nanoTime();
        Socket upstream = new Socket();
        c.upstream = upstream;
        try {
            upstream.connect(new InetSocketAddress(v.address(), port), (int) connectTimeout.toMillis());
        } catch (IOException e) {
            c.respond(502, "cannot connect to " + shownHost + ":" + port);
            finish(shownHost, port, method, "failure", 0, 0, started);
            return;
        }
        try {
            OutputStream up = upstream.getOutputStream();
            if (uri != null) {
                byte[] rewritten = rewrite(head, uri, authority(host, port));
                up.write(rewritten);
                c.up.addAndGet(rewritten.length);
            } else {
                c.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            up.write(head.rest());
            up.flush();
            c.up.addAndGet(head.rest().length);
        } catch (IOException e) {
            finish(shownHost, port, method, "failure", c.up.get(), c.down.get(), started);
            return;
        }
        c.tunnelling = true;
        c.touch();
        boolean forwarding = uri != null;
        Thread back = Thread.ofVirtual().start(() -> pumpDown(c, upstream, forwarding));
        pumpUp(c, upstream);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish(shownHost, port, method, "success", c.up.get(), c.down.get(), started);
    }

    private void finish(String host, int port, String method, String outcome, long up, long down, long started) {
        try {
            audit.append(AuditEvent.builder("egress.connect.finish").actor(actor).target("host:" + host).outcome(outcome)
                    .detail("host", host).detail("port", port).detail("method", method)
                    .detail("bytes_sent", up).detail("bytes_received", down)
                    .detail("duration_ms", (System.nanoTime() - started) / 1_000_000).build());
        } catch (RuntimeException e) {
            // the connection is over either way; its opening row is already durable
        }
    }

    /** Client to upstream; when the client stops sending, the upstream's write side is shut. */
    private static void pumpUp(Connection c, Socket upstream) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            OutputStream out = upstream.getOutputStream();
            while (true) {
                buf.clear();
                int n = c.channel.read(buf);
                if (n < 0) {
                    break;
                }
                c.touch();
                out.write(buf.array(), 0, n);
                out.flush();
                c.up.addAndGet(n);
            }
            upstream.shutdownOutput();
        } catch (IOException e) {
            c.close();
        }
    }

    /**
     * Upstream to client; when the upstream is done, so is the client's connection. A forwarded
     * request's response says {@code Connection: close}: the connection leads to the host that was
     * checked, so a client must not reuse it for a request to another host (wget would: it sends the
     * next absolute URI down the same connection, where it would reach the first host unchecked).
     */
    private static void pumpDown(Connection c, Socket upstream, boolean forwarding) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = upstream.getInputStream();
            if (forwarding && !forwardResponseHead(c, in)) {
                c.close();
                return;
            }
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                c.touch();
                c.write(buf, n);
                c.down.addAndGet(n);
            }
            c.channel.shutdownOutput();
            if (forwarding) {
                // One request per connection: what the client sends after it goes nowhere.
                c.close();
            }
        } catch (IOException e) {
            c.close();
        }
    }

    /** Copies the response head with its connection headers replaced by {@code Connection: close}. */
    private static boolean forwardResponseHead(Connection c, InputStream in) throws IOException {
        byte[] head = new byte[MAX_HEAD_BYTES * 4];
        int len = 0;
        int end = -1;
        while (end < 0) {
            if (len == head.length) {
                return false;
            }
            int n = in.read(head, len, head.length - len);
            if (n < 0) {
                return false;
            }
            len += n;
            c.touch();
            end = headEnd(head, len);
        }
        String text = new String(head, 0, end, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String name = line.indexOf(':') < 0 ? "" : line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
            if (!Set.of("connection", "keep-alive", "proxy-connection").contains(name)) {
                sb.append(line).append("\r\n");
            }
        }
        sb.append("Connection: close\r\nProxy-Connection: close\r\n\r\n");
        byte[] rewritten = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        c.write(rewritten);
        c.write(java.util.Arrays.copyOfRange(head, end, len));
        c.down.addAndGet(rewritten.length + (len - end));
        return true;
    }

    /**
     * The request as the origin server expects it: origin-form target, the proxy's own headers
     * dropped, {@code Host} set from the URI that was checked, one request per connection.
     */
    private static String authority(String host, int port) {
        String h = EgressRule.normalize(host);
        return (h.contains(":") ? "[" + h + "]" : h) + (port == 80 ? "" : ":" + port);
    }

    /**
     * Refuses a request before any host was decided (malformed, too large); it is on the record
     * too, as an {@code egress.connect} row denied by {@code egress.request}.
     */
    private void refuse(Connection c, int status, String method, String why) {
        try {
            audit.append(AuditEvent.builder("egress.connect").actor(actor).target("host:").outcome("denied")
                    .detail("host", "").detail("port", 0).detail("method", method)
                    .detail("address", "").detail("agent", agent).detail("via", "sandbox-proxy")
                    .detail("rule", "egress.request").detail("reason", why).build());
        } catch (RuntimeException e) {
            // refused either way
        }
        c.respond(status, why);
    }

    private static byte[] rewrite(Head head, URI uri, String authority) {
        StringBuilder sb = new StringBuilder();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        sb.append(head.method()).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        sb.append(' ').append(head.version()).append("\r\n");
        sb.append("Host: ").append(authority).append("\r\n");
        for (String h : head.headers()) {
            String name = h.substring(0, Math.max(0, h.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (!Set.of("host", "proxy-connection", "proxy-authorization", "connection", "keep-alive").contains(name)) {
                sb.append(h).append("\r\n");
            }
        }
        sb.append("Connection: close\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int parsePort(String s) {
        if (!s.matches("[0-9]{1,5}")) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    private static final class HeadTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static final class BadRequest extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static @Nullable Head readHead(Connection c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_HEAD_BYTES);
        int end = -1;
        while (end < 0) {
            if (!buf.hasRemaining()) {
                throw new HeadTooLarge();
            }
            int n = c.channel.read(buf);
            if (n < 0) {
                return null;
            }
            c.touch();
            end = headEnd(buf.array(), buf.position());
        }
        String text = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
        byte[] rest = java.util.Arrays.copyOfRange(buf.array(), end, buf.position());
        String[] lines = text.split("\r?\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
            throw new BadRequest();
        }
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                headers.add(lines[i]);
            }
        }
        return new Head(first[0], first[1], first[2], headers, rest);
    }

    /** The index just past the blank line ending the head, or -1. */
    private static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 1 < len; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 3 < len && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Connection c : open) {
            c.close();
        }
        reaper.shutdownNow();
        // Each connection's closing row is written by its handler: wait for them, so the exec's
        // record is complete when it returns.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            acceptor.join(1000);
            for (Thread t : List.copyOf(handlers)) {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly();
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(dir.resolve(SOCKET_NAME));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp folder left behind holds nothing but a dead socket
        }
    }

    /** One client connection and, once opened, its upstream. */
    private static final class Connection implements AutoCloseable {
        final SocketChannel channel;
        final OutputStream out;
        final AtomicLong up = new AtomicLong();
        final AtomicLong down = new AtomicLong();
        final long created = System.nanoTime();
        volatile long lastActivity = created;
        volatile boolean tunnelling;
        volatile @Nullable Socket upstream;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
        }

        void touch() {
            lastActivity = System.nanoTime();
        }

        synchronized void write(byte[] b) throws IOException {
            write(b, b.length);
        }

        synchronized void write(byte[] b, int n) throws IOException {
            out.write(b, 0, n);
        }

        void respond(int status, String message) {
            String reason = switch (status) {
                case 400 -> "Bad Request";
                case 403 -> "Forbidden";
                case 431 -> "Request Header Fields Too Large";
                case 502 -> "Bad Gateway";
                default -> "Service Unavailable";
            };
            byte[] body = ("airlock egress proxy: " + message.replaceAll("[\\r\\n]", " ") + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            try {
                write(head.getBytes(StandardCharsets.ISO_8859_1));
                write(body);
            } catch (IOException | UncheckedIOException e) {
                // the client is gone
            }
        }

        /**
         * Reads and drops what the client is still sending (bounded), so that closing does not reset
         * the connection before the client has read the refusal.
         */
        void drain() {
            try {
                channel.shutdownOutput();
                ByteBuffer b = ByteBuffer.allocate(8192);
                long dropped = 0;
                while (dropped < 1024 * 1024) {
                    b.clear();
                    int n = channel.read(b);
                    if (n < 0) {
                        return;
                    }
                    dropped += n;
                }
            } catch (IOException e) {
                // the client is gone
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // already closed
            }
            Socket u = upstream;
            if (u != null) {
                try {
                    u.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }

    /** Settings for one proxy; {@link #start()} binds the socket and begins accepting. */
    static final class Builder {
        private final EgressRule rule;
        private final AuditLog audit;
        private final Redactor redactor;
        private String actor = "sandbox";
        private String agent = "cli";
        private int maxConnections = 64;
        private Duration headTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(2);
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Path parent = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder(EgressRule rule, AuditLog audit, Redactor redactor) {
            this.rule = rule;
            this.audit = audit;
            this.redactor = redactor;
        }

        Builder actor(String actor, String agent) {
            this.actor = actor;
            this.agent = agent;
            return this;
        }

        Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be positive");
            }
            this.maxConnections = n;
            return this;
        }

        Builder timeouts(Duration head, Duration idle, Duration connect) {
            this.headTimeout = head;
            this.idleTimeout = idle;
            this.connectTimeout = connect;
            return this;
        }

        /** Where the private folder is made; Unix socket paths are short (108 bytes), so keep this short. */
        Builder parent(Path dir) {
            this.parent = dir;
            return this;
        }

        EgressProxy start() {
            try {
                return new EgressProxy(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the egress proxy: " + e.getMessage(), e);
            }
        }
    }
}
