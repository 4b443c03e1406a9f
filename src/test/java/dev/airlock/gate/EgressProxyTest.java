package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy spoken to directly over its Unix socket, as a command inside the sandbox could: the
 * protocol, the bounds, and the record it keeps. Real loopback servers on the far side.
 */
class EgressProxyTest {
    static GateFixture f;
    static EgressServers servers;
    static PolicyEngine engine;

    @BeforeAll
    static void open() throws IOException {
        f = new GateFixture();
        servers = new EgressServers(Files.createDirectories(f.root.resolve("git")));
        engine = PolicyEngine.create(PolicyConfig.parse("egress: {allowed_domains: ['127.0.0.1']}", "test"), f.analyzer);
    }

    @AfterAll
    static void close() {
        servers.close();
        f.close();
    }

    EgressProxy proxy(Set<Integer> ports) {
        return EgressProxy.builder(EgressRule.of(engine, "cli", Set.of(), ports), f.audit, f.redactor).actor("agent:t", "t").start();
    }

    static SocketChannel connect(EgressProxy p) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(p.socket()));
        return c;
    }

    static String exchange(SocketChannel c, String request) throws IOException {
        c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        return readAll(c);
    }

    static String readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (c.read(b) >= 0) {
            out.write(b.array(), 0, b.position());
            b.clear();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void connect_toAnAllowedHost_tunnelsBytesBothWays() throws IOException {
        try (EgressProxy p = proxy(Set.of()); SocketChannel c = connect(p)) {
            String reply = exchange(c, "CONNECT 127.0.0.1:" + servers.allowedPort() + " HTTP/1.1\r\n\r\n"
                    + "GET /tunnel HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(reply).startsWith("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200").endsWith("hello-allowed\n");
        }
        assertThat(servers.allowedRequests).contains("GET /tunnel");
    }

    @Test
    void connect_toAPortNotInThePortList_isRefusedWith403_andARow() throws IOException {
        int before = servers.allowedRequests.size();
        try (EgressProxy p = proxy(Set.of(443)); SocketChannel c = connect(p)) {
            String reply = exchange(c, "CONNECT 127.0.0.1:" + servers.allowedPort() + " HTTP/1.1\r\n\r\n");

            assertThat(reply).startsWith("HTTP/1.1 403 Forbidden").contains("egress.allowed_ports");
        }
        assertThat(servers.allowedRequests).hasSize(before);
        GateFixture.Row row = f.rows().stream().filter(r -> r.action().equals("egress.connect")).reduce((a, b) -> b).orElseThrow();
        assertThat(row.outcome()).isEqualTo("denied");
        assertThat(row.details().path("rule").asText()).isEqualTo("egress.allowed_ports");
        assertThat(row.details().path("port").asInt()).isEqualTo(servers.allowedPort());
    }

    @Test
    void absoluteUri_isForwardedWithTheCheckedHost_notTheClientsHostHeader() throws IOException {
        try (EgressProxy p = proxy(Set.of()); SocketChannel c = connect(p)) {
            String reply = exchange(c, "GET " + servers.allowedUrl() + "/abs?q=1 HTTP/1.1\r\nHost: 127.0.0.2\r\n"
                    + "Proxy-Authorization: Basic c2VjcmV0\r\n\r\n");

            assertThat(reply).startsWith("HTTP/1.1 200").endsWith("hello-allowed\n");
        }
        assertThat(servers.allowedRequests).contains("GET /abs?q=1");
        assertThat(f.rawAuditText()).doesNotContain("/abs").doesNotContain("c2VjcmV0");
    }

    @Test
    void malformedRequests_areRefusedWith400_andNothingIsOpened() throws IOException {
        List<String> bad = List.of("GET / HTTP/1.1\r\n\r\n", "GET https://127.0.0.1:1/ HTTP/1.1\r\n\r\n",
                "CONNECT 127.0.0.1 HTTP/1.1\r\n\r\n", "CONNECT :80 HTTP/1.1\r\n\r\n", "HELLO\r\n\r\n",
                "GET ftp://127.0.0.1/x HTTP/1.1\r\n\r\n", "GET file:///etc/passwd HTTP/1.1\r\n\r\n",
                "CONNECT 127.0.0.1:80 SPDY/3\r\n\r\n", "GET http://[::1 HTTP/1.1\r\n\r\n");
        try (EgressProxy p = proxy(Set.of())) {
            for (String request : bad) {
                try (SocketChannel c = connect(p)) {
                    String reply = exchange(c, request);
                    assertThat(reply).as(request).matches("(?s)HTTP/1.1 (400|403) .*");
                }
            }
        }
        assertThat(servers.forbiddenAccepted.get()).isZero();
    }

    @Test
    void aHeadLargerThanTheLimit_isRefusedWith431() throws IOException {
        try (EgressProxy p = proxy(Set.of()); SocketChannel c = connect(p)) {
            String reply = exchange(c, "GET " + servers.allowedUrl() + "/big HTTP/1.1\r\nX: "
                    + "a".repeat(EgressProxy.MAX_HEAD_BYTES) + "\r\n\r\n");

            assertThat(reply).startsWith("HTTP/1.1 431");
        }
        assertThat(servers.allowedRequests).doesNotContain("GET /big");
    }

    @Test
    void connectionsBeyondTheLimit_get503() throws IOException {
        try (EgressProxy p = EgressProxy.builder(EgressRule.of(engine, "cli", Set.of(), Set.of()), f.audit, f.redactor)
                .maxConnections(2).start()) {
            List<SocketChannel> held = new ArrayList<>();
            held.add(connect(p));
            held.add(connect(p));
            // the first two are being served (waiting for their heads); the third has no slot
            try (SocketChannel third = connect(p)) {
                assertThat(readAll(third)).startsWith("HTTP/1.1 503");
            }
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    @Test
    void aClientThatSendsNoHead_isCutOffAfterTheHeadTimeout() throws IOException {
        try (EgressProxy p = EgressProxy.builder(EgressRule.of(engine, "cli", Set.of(), Set.of()), f.audit, f.redactor)
                .timeouts(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(5)).start();
                SocketChannel c = connect(p)) {
            long start = System.nanoTime();
            assertThat(readAll(c)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aClientDribblingItsHead_isCutOffAtTheHeadDeadline_notKeptAliveByEachByte() throws Exception {
        try (EgressProxy p = EgressProxy.builder(EgressRule.of(engine, "cli", Set.of(), Set.of()), f.audit, f.redactor)
                .timeouts(Duration.ofMillis(600), Duration.ofSeconds(30), Duration.ofSeconds(5)).start();
                SocketChannel c = connect(p)) {
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    c.write(ByteBuffer.wrap(new byte[] {'G'}));
                } catch (IOException e) {
                    cut = true;
                }
                Thread.sleep(100);
            }
            assertThat(cut || readAll(c).isEmpty()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void close_removesTheSocketAndItsFolder() {
        EgressProxy p = proxy(Set.of());
        Path dir = p.directory();
        assertThat(p.socket()).exists();
        assertThat(dir.toFile().canRead()).isTrue();

        p.close();

        assertThat(dir).doesNotExist();
    }
}
