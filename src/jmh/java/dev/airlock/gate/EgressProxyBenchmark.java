package dev.airlock.gate;

import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.sandbox.Command;
import dev.airlock.sandbox.ExecResult;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.sandbox.SandboxSpec;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the sandbox's egress path adds, against a baseline in the same run:
 *
 * <ul>
 *   <li>{@code httpsDirect}: a new TCP connection, a TLS 1.3 handshake and one HTTPS GET to a loopback
 *       server (self-signed certificate made with keytool at setup);</li>
 *   <li>{@code httpsThroughProxy}: the same request the way a sandboxed {@code curl} makes it: TCP to
 *       the socat bridge, which connects to the {@link EgressProxy}'s Unix socket, {@code CONNECT},
 *       the proxy's per-connection decision with its two durable audit rows (SQLite WAL,
 *       {@code synchronous=FULL}), then TLS end to end through the tunnel;</li>
 *   <li>{@code sandboxNoNetwork} and {@code sandboxWithEgress}: {@code true} under bubblewrap without
 *       network and with the egress bridge started and waited for.</li>
 * </ul>
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *      org.openjdk.jmh.Main EgressProxyBenchmark -f 1 -wi 2 -w 3s -i 4 -r 4s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EgressProxyBenchmark {
    private GateFixture fixture;
    private HttpsServer server;
    private SSLSocketFactory tls;
    private EgressProxy proxy;
    private Process bridge;
    private int bridgePort;
    private int serverPort;
    private Sandbox sandbox;
    private SandboxSpec plainSpec;
    private SandboxSpec egressSpec;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = new GateFixture();
        Path ks = fixture.root.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process kt = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "benchpass", "-keypass", "benchpass")
                .redirectErrorStream(true).start();
        kt.getInputStream().readAllBytes();
        if (kt.waitFor() != 0) {
            throw new IllegalStateException("keytool failed");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "benchpass".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "benchpass".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLSv1.3");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        server.createContext("/", ex -> {
            byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        serverPort = server.getAddress().getPort();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext clientCtx = SSLContext.getInstance("TLSv1.3");
        clientCtx.init(null, tmf.getTrustManagers(), null);
        tls = clientCtx.getSocketFactory();

        PolicyEngine engine = PolicyEngine.create(PolicyConfig.parse("egress: {allowed_domains: ['127.0.0.1']}", "bench"),
                fixture.analyzer);
        proxy = EgressProxy.builder(EgressRule.of(engine, "bench", Set.of(), Set.of()), fixture.audit, fixture.redactor)
                .actor("bench", "bench").start();
        try (ServerSocket free = new ServerSocket(0)) {
            bridgePort = free.getLocalPort();
        }
        bridge = new ProcessBuilder(Sandbox.locateSocat().orElseThrow().toString(), "TCP-LISTEN:" + bridgePort
                + ",bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + proxy.socket()).redirectErrorStream(true).start();
        for (int i = 0; ; i++) {
            try (Socket s = new Socket("127.0.0.1", bridgePort)) {
                break;
            } catch (IOException e) {
                if (i > 200) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }

        sandbox = Sandbox.bubblewrap();
        plainSpec = SandboxSpec.builder(fixture.workspace).build();
        egressSpec = SandboxSpec.builder(fixture.workspace).egressProxy(proxy.directory()).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bridge.destroy();
        proxy.close();
        server.stop(0);
        fixture.close();
    }

    @Benchmark
    public int httpsDirect() throws IOException {
        try (SSLSocket s = (SSLSocket) tls.createSocket("127.0.0.1", serverPort)) {
            return get(s);
        }
    }

    @Benchmark
    public int httpsThroughProxy() throws IOException {
        try (Socket raw = new Socket("127.0.0.1", bridgePort)) {
            OutputStream o = raw.getOutputStream();
            o.write(("CONNECT 127.0.0.1:" + serverPort + " HTTP/1.1\r\nHost: 127.0.0.1:" + serverPort + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = raw.getInputStream();
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the proxy closed the connection");
                }
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            try (SSLSocket s = (SSLSocket) tls.createSocket(raw, "127.0.0.1", serverPort, true)) {
                return get(s);
            }
        }
    }

    @Benchmark
    public int sandboxNoNetwork() {
        ExecResult r = sandbox.run(plainSpec, Command.of("true"));
        return r.exitStatus();
    }

    @Benchmark
    public int sandboxWithEgress() {
        ExecResult r = sandbox.run(egressSpec, Command.of("true"));
        if (r.exitStatus() != 0) {
            throw new IllegalStateException(r.stderrText());
        }
        return r.exitStatus();
    }

    private static int get(SSLSocket s) throws IOException {
        s.startHandshake();
        OutputStream o = s.getOutputStream();
        o.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
        byte[] all = s.getInputStream().readAllBytes();
        if (all.length < 12 || all[9] != '2') {
            throw new IOException("unexpected reply");
        }
        return all.length;
    }
}
