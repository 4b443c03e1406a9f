package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.sandbox.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Egress from inside the real sandbox (bubblewrap, socat) through the real gate and its proxy, to
 * real loopback servers. The policy allows {@code 127.0.0.1}; a listener on {@code 127.0.0.2} stands
 * for every host it does not allow and must never accept a connection, whatever the line does.
 */
class EgressSandboxTest {
    static final String CANARY = "egress-canary-value-7f3a9c";

    static GateFixture f;
    static EgressServers servers;
    static Gate gate;

    @BeforeAll
    static void open() throws IOException {
        f = new GateFixture();
        servers = new EgressServers(Files.createDirectories(f.root.resolve("git-server")));
        gate = gateFor(f, "egress: {allowed_domains: ['127.0.0.1']}", Sandbox.bubblewrap());
        EgressServers.write(f.workspace.resolve("notes.txt"), CANARY + "\n");
        EgressServers.run(f.workspace, "git", "init", "-q", "-b", "main");
        EgressServers.run(f.workspace, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "notes.txt");
        EgressServers.run(f.workspace, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        servers.bareRepository("origin.git");
    }

    @AfterAll
    static void close() {
        servers.close();
        f.close();
    }

    static Gate gateFor(GateFixture f, String policyYaml, Sandbox sandbox) {
        PolicyEngine engine = PolicyEngine.create(PolicyConfig.parse(policyYaml, "test"), f.analyzer);
        return Gate.builder().engine(engine).sandbox(sandbox, "bubblewrap").audit(f.audit).approver(f.approver())
                .redactor(f.redactor)
                // System programs only: a python3 under a home folder may be masked by the sandbox.
                .parentEnvironment(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin",
                        "HOME", f.userHome.toString()))
                .hidden(List.of(f.airlockHome))
                .build();
    }

    static String fill(String template) {
        return template.replace("{FH}", EgressServers.FORBIDDEN_HOST)
                .replace("{FP}", Integer.toString(servers.forbiddenPort()))
                .replace("{AP}", Integer.toString(servers.allowedPort()))
                .replace("{AU}", servers.allowedUrl());
    }

    record Case(String expect, String template) {}

    static List<Case> cases() throws IOException {
        try (InputStream in = EgressSandboxTest.class.getResourceAsStream("/gate/egress-attacks.txt")) {
            List<Case> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                int bar = l.indexOf(" | ");
                out.add(new Case(l.substring(0, bar).strip(), l.substring(bar + 3)));
            }
            return out;
        }
    }

    static List<GateFixture.Row> connectRows(String outcome) {
        return f.rows().stream().filter(r -> r.action().equals("egress.connect") && r.outcome().equals(outcome)).toList();
    }

    @TestFactory
    Stream<DynamicTest> attack_neverReachesAHostThePolicyDoesNotAllow() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(dynamicTest(c.expect() + " :: " + c.template(), () -> {
                String line = fill(c.template());
                int denied = connectRows("denied").size();
                long execRows = f.rows().stream().filter(r -> r.action().equals("gate.exec")).count();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                ExecOutcome o = f.exec(gate, line, ApprovalMode.YES, out, err);

                assertThat(servers.forbiddenAccepted.get()).as("connections the forbidden host accepted, after: %s\n%s",
                        line, err).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("forbidden-reached");
                assertThat(f.rows().stream().filter(r -> r.action().equals("gate.exec")).count())
                        .as("the line is on the record").isGreaterThan(execRows);
                if (c.expect().equals("refused")) {
                    boolean gateRefused = o instanceof ExecOutcome.Refused;
                    assertThat(gateRefused || connectRows("denied").size() > denied)
                            .as("an egress.connect row denied the attempt of %s (stderr: %s)", line, err).isTrue();
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void curl_reachesAnAllowedLoopbackServer_throughTheProxy_andEachConnectionIsARow() {
        int approved = connectRows("approved").size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ExecOutcome o = f.exec(gate, "curl -s -m 5 " + servers.allowedUrl() + "/hello", ApprovalMode.YES, out, err);

        assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
        assertThat(o.exitCode()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello-allowed\n");
        assertThat(servers.allowedRequests).contains("GET /hello");
        List<GateFixture.Row> rows = connectRows("approved");
        assertThat(rows).hasSize(approved + 1);
        JsonNode d = rows.get(rows.size() - 1).details();
        assertThat(d.path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(d.path("port").asInt()).isEqualTo(servers.allowedPort());
        assertThat(d.path("method").asText()).isEqualTo("GET");
        assertThat(d.toString()).doesNotContain("/hello");
        GateFixture.Row finish = f.rows().stream().filter(r -> r.action().equals("egress.connect.finish"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(finish.details().path("bytes_received").asLong()).isPositive();
        assertThat(finish.details().path("bytes_sent").asLong()).isPositive();
    }

    @Test
    void interpreters_reachAnAllowedServer_throughTheProxyVariables() {
        String url = servers.allowedUrl() + "/py";
        ExecOutcome o = f.exec(gate, "curl -s -m 5 " + servers.allowedUrl() + "/first >/dev/null; python3 -c \"import urllib.request;"
                + " print(urllib.request.urlopen('" + url + "', timeout=5).read().decode().strip())\"", ApprovalMode.YES);

        assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
        assertThat(((ExecOutcome.Ran) o).stdout()).as(((ExecOutcome.Ran) o).stderr()).isEqualTo("hello-allowed\n");
    }

    @Test
    void git_pushesToAnAllowedLoopbackGitServer_overSmartHttp_throughTheProxy() {
        int before = servers.allowedRequests.size();
        ExecOutcome push = f.exec(gate, "git push -q " + servers.allowedUrl() + "/git/origin.git HEAD:refs/heads/main",
                ApprovalMode.YES);
        ExecOutcome lsRemote = f.exec(gate, "git ls-remote " + servers.allowedUrl() + "/git/origin.git", ApprovalMode.YES);

        assertThat(push.exitCode()).as(push.toString()).isZero();
        String head = EgressServers.run(f.workspace, "git", "rev-parse", "HEAD").strip();
        assertThat(EgressServers.run(servers.gitRoot.resolve("origin.git"), "git", "rev-parse", "refs/heads/main").strip())
                .isEqualTo(head);
        assertThat(((ExecOutcome.Ran) lsRemote).stdout()).contains(head + "\trefs/heads/main");
        assertThat(servers.allowedRequests.subList(before, servers.allowedRequests.size()))
                .anyMatch(r -> r.startsWith("POST /git/origin.git/git-receive-pack"));
    }

    @Test
    void gitOverSsh_toAnAllowedHost_goesThroughConnect_andReachesIt() throws Exception {
        try (java.net.ServerSocket sshd = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            java.util.concurrent.CompletableFuture<String> banner = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = sshd.accept()) {
                    s.getOutputStream().write("SSH-2.0-AirlockTest\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] b = new byte[64];
                    int n = s.getInputStream().read(b);
                    banner.complete(new String(b, 0, Math.max(n, 0), StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    banner.completeExceptionally(e);
                }
            });
            int approved = connectRows("approved").size();

            f.exec(gate, "git ls-remote ssh://git@127.0.0.1:" + sshd.getLocalPort() + "/repo.git", ApprovalMode.YES);

            assertThat(banner.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("SSH-2.0-");
            List<GateFixture.Row> rows = connectRows("approved");
            assertThat(rows).hasSizeGreaterThan(approved);
            JsonNode d = rows.get(rows.size() - 1).details();
            assertThat(d.path("method").asText()).isEqualTo("CONNECT");
            assertThat(d.path("port").asInt()).isEqualTo(sshd.getLocalPort());
        }
    }

    @Test
    void withoutSocat_aNetworkLineIsRefused_neverGivenTheHostNetwork() {
        Path bwrap = Sandbox.locateBubblewrap().orElseThrow();
        Gate noBridge = gateFor(f, "egress: {allowed_domains: ['127.0.0.1']}", Sandbox.bubblewrap(bwrap, Ticker.system(),
                Optional.empty()));
        int before = servers.allowedRequests.size();

        ExecOutcome o = f.exec(noBridge, "touch ran-without-bridge; curl -s -m 5 " + servers.allowedUrl() + "/nobridge",
                ApprovalMode.YES);
        ExecOutcome plain = f.exec(noBridge, "echo still-runs", ApprovalMode.YES);

        assertThat(o).isInstanceOf(ExecOutcome.Refused.class);
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(((ExecOutcome.Refused) o).why()).contains("socat").contains("install").doesNotContain("\n");
        assertThat(f.workspace.resolve("ran-without-bridge")).doesNotExist();
        assertThat(servers.allowedRequests).hasSize(before);
        assertThat(((ExecOutcome.Ran) plain).stdout()).isEqualTo("still-runs\n");
    }

    @Test
    void offlineMode_refusesEvenAnUnlistedLoopbackServer() {
        Gate offline = gateFor(f, "egress: {offline_mode: true}", Sandbox.bubblewrap());
        int before = servers.allowedRequests.size();

        ExecOutcome o = f.exec(offline, "curl -s -m 5 " + servers.allowedUrl() + "/offline", ApprovalMode.YES);

        assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
        assertThat(servers.allowedRequests).hasSize(before);
        assertThat(connectRows("denied").get(connectRows("denied").size() - 1).details().path("rule").asText())
                .isEqualTo("egress.sandbox_loopback");
    }

    @Test
    void allowedPorts_refuseAnAllowedHostOnAnotherPort() {
        Gate ports = gateFor(f, "egress: {allowed_domains: ['127.0.0.1'], allowed_ports: [443]}", Sandbox.bubblewrap());
        int before = servers.allowedRequests.size();

        ExecOutcome o = f.exec(ports, "curl -s -m 5 " + servers.allowedUrl() + "/port", ApprovalMode.YES);

        assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
        assertThat(((ExecOutcome.Ran) o).stdout()).contains("egress.allowed_ports");
        assertThat(servers.allowedRequests).hasSize(before);
    }

    @Test
    void withoutAnAllowList_theApprovedLinesOwnHostWorks_andItsNeighboursReachNothingElse() {
        Gate open = gateFor(f, "egress: {}", Sandbox.bubblewrap());
        int denied = connectRows("denied").size();
        String line = "curl -s -m 5 " + servers.allowedUrl() + "/named; python3 -c \"import urllib.request;"
                + " urllib.request.urlopen('http://" + EgressServers.FORBIDDEN_HOST + ":" + servers.forbiddenPort()
                + "/x', timeout=5)\"";

        ExecOutcome o = f.exec(open, line, ApprovalMode.YES);

        assertThat(((ExecOutcome.Ran) o).stdout()).isEqualTo("hello-allowed\n");
        assertThat(servers.allowedRequests).contains("GET /named");
        assertThat(servers.forbiddenAccepted.get()).isZero();
        assertThat(connectRows("denied")).hasSizeGreaterThan(denied);
        assertThat(connectRows("denied").get(connectRows("denied").size() - 1).details().path("host").asText())
                .isEqualTo(EgressServers.FORBIDDEN_HOST);
    }

    @Test
    void aLineWithoutANetworkCommand_hasNoNetworkAndNoProxy() {
        int before = servers.allowedRequests.size();
        ExecOutcome o = f.exec(gate, "python3 -c \"import urllib.request; urllib.request.urlopen('" + servers.allowedUrl()
                + "/nonet', timeout=5)\"", ApprovalMode.YES);

        assertThat(o.exitCode()).isNotZero();
        assertThat(servers.allowedRequests).hasSize(before);
    }
}
