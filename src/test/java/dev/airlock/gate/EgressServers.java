package dev.airlock.gate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far side of the egress tests, all on loopback: an allowed HTTP server on {@code 127.0.0.1}
 * (plain pages, a redirect to the forbidden host, and a real git smart-HTTP server: {@code git
 * http-backend} run as CGI), and a forbidden listener on {@code 127.0.0.2} that counts every
 * connection it ever accepts: any count above zero means a packet got out.
 */
final class EgressServers implements AutoCloseable {
    static final String FORBIDDEN_HOST = "127.0.0.2";

    final HttpServer allowed;
    final ServerSocket forbidden;
    final AtomicInteger forbiddenAccepted = new AtomicInteger();
    final List<String> allowedRequests = new CopyOnWriteArrayList<>();
    final Path gitRoot;
    private final Thread acceptor;

    EgressServers(Path gitRoot) throws IOException {
        this.gitRoot = gitRoot;
        allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        allowed.createContext("/", this::page);
        allowed.createContext("/git/", this::git);
        allowed.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        allowed.start();
        forbidden = new ServerSocket(0, 50, InetAddress.getByName(FORBIDDEN_HOST));
        acceptor = Thread.ofPlatform().daemon(true).name("forbidden-listener").start(() -> {
            while (!forbidden.isClosed()) {
                try (Socket s = forbidden.accept()) {
                    forbiddenAccepted.incrementAndGet();
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\nforbidden-reached\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    if (forbidden.isClosed()) {
                        return;
                    }
                }
            }
        });
    }

    int allowedPort() {
        return allowed.getAddress().getPort();
    }

    int forbiddenPort() {
        return forbidden.getLocalPort();
    }

    String allowedUrl() {
        return "http://127.0.0.1:" + allowedPort();
    }

    private void page(HttpExchange ex) throws IOException {
        allowedRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        ex.getRequestBody().readAllBytes();
        if (ex.getRequestURI().getPath().equals("/redirect")) {
            ex.getResponseHeaders().add("Location", "http://" + FORBIDDEN_HOST + ":" + forbiddenPort() + "/x");
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        byte[] body = "hello-allowed\n".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /** git-http-backend(1) as a CGI program (RFC 3875), so git's smart HTTP is the real thing. */
    private void git(HttpExchange ex) throws IOException {
        allowedRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        byte[] in = ex.getRequestBody().readAllBytes();
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", gitRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REMOTE_USER", "tester");
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", ex.getRequestURI().getPath().substring("/git".length()));
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("CONTENT_LENGTH", Integer.toString(in.length));
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        env.put("CONTENT_TYPE", type == null ? "" : type);
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null) {
            env.put("HTTP_CONTENT_ENCODING", encoding);
        }
        String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (protocol != null) {
            env.put("GIT_PROTOCOL", protocol);
        }
        Process p = pb.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream o = p.getOutputStream()) {
                o.write(in);
            } catch (IOException e) {
                // the backend stopped reading; its answer says why
            }
        });
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        try {
            feeder.join();
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int split = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int skip = 4;
        if (split < 0) {
            split = indexOf(out, "\n\n".getBytes(StandardCharsets.US_ASCII));
            skip = 2;
        }
        int status = 200;
        for (String h : new String(out, 0, Math.max(split, 0), StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).strip();
            String value = h.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                ex.getResponseHeaders().add(name, value);
            }
        }
        byte[] body = split < 0 ? out : java.util.Arrays.copyOfRange(out, split + skip, out.length);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A bare repository {@code name} under the git root that accepts pushes over HTTP. */
    Path bareRepository(String name) {
        Path repo = gitRoot.resolve(name);
        run(gitRoot, "git", "init", "-q", "--bare", repo.toString());
        run(repo, "git", "config", "http.receivepack", "true");
        return repo;
    }

    static String run(Path dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        allowed.stop(0);
        try {
            forbidden.close();
        } catch (IOException e) {
            // closing
        }
        acceptor.interrupt();
    }
}
