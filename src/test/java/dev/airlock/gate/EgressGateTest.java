package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.audit.AuditReader;
import dev.airlock.audit.AuditRecord;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress gate against a real HTTP server on loopback. The server also acts as the configured
 * proxy, so it sees every request the gate lets out for a non-loopback host: what it never sees was
 * never sent.
 */
class EgressGateTest {
    @TempDir
    Path dir;

    HttpServer server;
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    TenantDb db;
    AuditLog audit;
    CommandAnalyzer analyzer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            // As a proxy the server receives the absolute URI; as an origin, the path.
            seen.add(ex.getRequestURI().toString());
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/bounce")) {
                ex.getResponseHeaders().add("Location", "http://blocked.example/after-redirect");
                ex.sendResponseHeaders(302, -1);
            } else {
                byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        db = TenantDb.open(TenantName.of("t"), dir.resolve("airlock.db"), true);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
        AuditLogs.createCheckpointFile(dir.resolve("audit.checkpoints"));
        audit = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build());
        analyzer = CommandAnalyzer.create();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        audit.close();
        analyzer.close();
    }

    private EgressGate gate(String egressYaml) {
        PolicyConfig config = PolicyConfig.parse("egress:\n" + egressYaml, "test");
        return EgressGate.create(PolicyEngine.create(config, analyzer), audit);
    }

    private String proxy() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).GET().build();
    }

    private List<AuditRecord> rows() {
        return AuditReader.of(db).tail(100);
    }

    @Test
    void send_reachesLoopbackAndRecordsRequestAndResponse() throws Exception {
        EgressGate g = gate("  allowed_domains: []\n");
        HttpResponse<String> r = g.send("user", "cli", get("http://127.0.0.1:" + server.getAddress().getPort() + "/x"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("hello");
        assertThat(rows()).extracting(AuditRecord::action).containsExactly("egress.request", "egress.response");
        assertThat(rows().get(0).details()).contains("\"path\":\"/x\"").doesNotContain("hello");
    }

    @Test
    void send_refusesAHostOutsideTheAllowListWithoutSendingAnything() {
        EgressGate g = gate("  allowed_domains: [api.allowed.example]\n  proxy: " + proxy() + "\n");
        assertThatThrownBy(() -> g.send("agent:a", "a", get("http://evil.example/steal"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(EgressGate.EgressRefused.class)
                .satisfies(e -> assertThat(((EgressGate.EgressRefused) e).exitCode()).isEqualTo(ExitCode.DENIED));
        assertThat(seen).isEmpty();
        assertThat(rows()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("egress.request");
            assertThat(r.outcome()).isEqualTo("denied");
        });
    }

    @Test
    void send_routesAllowedHostsThroughTheProxy() throws Exception {
        EgressGate g = gate("  allowed_domains: ['*.allowed.example']\n  proxy: " + proxy() + "\n");
        HttpResponse<String> r = g.send("user", "cli", get("http://api.allowed.example/v1/models"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly("http://api.allowed.example/v1/models");
    }

    @Test
    void offlineMode_refusesRemoteHostsBeforeAnyConnection() {
        EgressGate g = gate("  allowed_domains: [api.allowed.example]\n  offline_mode: true\n  proxy: " + proxy() + "\n");
        assertThatThrownBy(() -> g.send("user", "cli", get("http://api.allowed.example/v1"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(EgressGate.EgressRefused.class).hasMessageContaining("offline");
        assertThat(seen).isEmpty();
    }

    @Test
    void redirect_toABlockedHostIsRefusedAtTheHop() {
        EgressGate g = gate("  allowed_domains: []\n");
        assertThatThrownBy(() -> g.send("user", "cli", get("http://127.0.0.1:" + server.getAddress().getPort() + "/bounce"),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(EgressGate.EgressRefused.class)
                .hasMessageContaining("blocked.example");
        assertThat(seen).containsExactly("/bounce");
        assertThat(rows()).extracting(AuditRecord::outcome).containsExactly("approved", "success", "denied");
    }

    @Test
    void requests_withOtherSchemesNeverLeave() {
        EgressGate g = gate("  allowed_domains: []\n");
        assertThatThrownBy(() -> g.send("user", "cli", get("ftp://127.0.0.1/x"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(Exception.class);
        assertThat(seen).isEmpty();
    }
}
