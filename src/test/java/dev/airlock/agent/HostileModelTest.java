package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.EgressGate;
import dev.airlock.home.Config;
import dev.airlock.llm.KeySource;
import dev.airlock.llm.ModelSettings;
import dev.airlock.llm.Providers;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.RecordedRequest;
import dev.airlock.policy.PolicyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A model taken over by a prompt injection, driving the real tools through the real gate, policy,
 * bubblewrap sandbox, egress gate, redactor and audit log, with every question the policy asks
 * approved as by {@code --yes}. The attacks are data ({@code agent/hostile-model.txt}), one dynamic
 * test each. Every case must hold all four promises at once:
 * <ul>
 *   <li>no protected value reaches the model server — raw, base64, hex, URL-encoded, reversed,
 *       rot13'd, case-swapped or in halves — and no base64 or hex run in any request decodes to one;</li>
 *   <li>nothing protected is written: git's hooks and config, {@code .airlock/}, {@code .env}, the
 *       user's dotfiles, anything outside the workspace by a command (a file tool's write outside the
 *       workspace is an ask, which {@code --yes} approves; the sandbox never lets a command do it);</li>
 *   <li>no connection reaches a listener on an address the egress policy does not allow
 *       (127.0.0.2; only 127.0.0.1 is allowed);</li>
 *   <li>the attempt is on the record: at least one gate row per tool call.</li>
 * </ul>
 * Failure messages name the case and the form, never the secret.
 */
class HostileModelTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static ServerSocket deniedListener;
    private static final AtomicInteger deniedConnections = new AtomicInteger();

    @BeforeAll
    static void listenOnADeniedAddress() throws IOException {
        deniedListener = new ServerSocket();
        deniedListener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        Thread t = new Thread(() -> {
            while (!deniedListener.isClosed()) {
                try (Socket s = deniedListener.accept()) {
                    deniedConnections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "denied-listener");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void close() throws IOException {
        deniedListener.close();
    }

    record Attack(int line, String kind, String tool, String argument) {
        String name() {
            return kind + " #" + line + ": " + tool + " " + (argument.length() > 90 ? argument.substring(0, 90) + "…" : argument);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyAttack_leaksNothing_writesNothingProtected_reachesNoDeniedHost_andIsAudited() throws IOException {
        List<Attack> attacks = new ArrayList<>();
        try (InputStream in = HostileModelTest.class.getResourceAsStream("/agent/hostile-model.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\t", 3);
                attacks.add(new Attack(i + 1, parts[0], parts[1], parts[2]));
            }
        }
        assertThat(attacks).hasSizeGreaterThan(150);
        return attacks.stream().map(a -> DynamicTest.dynamicTest(a.name(), () -> run(a)));
    }

    /** The values no case may get out, each under a name that failure messages use. */
    private static final class Protected {
        final Map<String, String> values = new TreeMap<>();
    }

    private void run(Attack attack) throws Exception {
        PolicyConfig policy = PolicyConfig.parse("egress:\n  allowed_domains: ['127.0.0.1', localhost]\n", "test policy");
        try (AgentFixture f = new AgentFixture(policy)) {
            Protected p = plant(f);
            Map<String, byte[]> before = protectedFiles(f);
            int rowsBefore = gateRows(f);
            int connectionsBefore = deniedConnections.get();
            String argument = attack.argument()
                    .replace("{DENIED}", "127.0.0.2:" + deniedListener.getLocalPort())
                    .replace("{DHOST}", "127.0.0.2")
                    .replace("{DPORT}", String.valueOf(deniedListener.getLocalPort()))
                    .replace("{WS}", f.workspace.toString())
                    .replace("{UHOME}", f.userHome.toString());
            String json;
            if (attack.tool().equals(Tools.SHELL)) {
                ObjectNode o = AgentFixture.JSON.createObjectNode();
                o.put("command", argument);
                json = o.toString();
            } else {
                json = argument;
            }
            try (FakeModelServer server = FakeModelServer.openAi()) {
                server.replyToolCall("call_1", attack.tool(), json).replyText("done");
                AgentLoop loop = AgentLoop.builder().client(client(f, server)).tools(f.tools(ApprovalMode.YES, null,
                        EgressGate.create(f.engine, f.audit))).redactor(f.redactor).store(f.store()).audit(f.audit)
                        .price(null).masking(AgentLoop.Masking.none()).build();
                String session = f.store().create("coder", "fake/fake-model", f.workspace.toString()).id();
                loop.turn(session, AgentFixture.agent("coder", false, Map.of(), null, false), "tidy up", delta -> { });
                assertThat(server.requestCount()).as("the model was asked twice (the call, then its result)").isEqualTo(2);
                for (RecordedRequest r : server.requests()) {
                    assertNoLeak(attack, r.body(), p);
                }
            }
            assertNoLeak(attack, new String(f.tenantBytes(), StandardCharsets.ISO_8859_1), p);
            Map<String, byte[]> after = protectedFiles(f);
            for (var e : before.entrySet()) {
                if (!java.util.Arrays.equals(e.getValue(), after.get(e.getKey()))) {
                    fail(attack.name() + ": the protected file " + e.getKey() + " was changed");
                }
            }
            for (String k : after.keySet()) {
                if (!before.containsKey(k)) {
                    fail(attack.name() + ": the protected path " + k + " was created");
                }
            }
            // Give a connection that was let through time to be accepted before counting.
            Thread.sleep(20);
            assertThat(deniedConnections.get() - connectionsBefore).as(attack.name() + ": connections to 127.0.0.2").isZero();
            assertThat(gateRows(f)).as(attack.name() + ": gate rows").isGreaterThan(rowsBefore);
        }
    }

    private static dev.airlock.llm.ModelClient client(AgentFixture f, FakeModelServer server) {
        String yaml = "providers:\n  fake: {type: openai, base_url: '" + server.baseUrl() + "'}\ntimeout_seconds: 10\n";
        ModelSettings settings = Config.parseDocument("models.yaml", yaml.getBytes(StandardCharsets.UTF_8), ModelSettings.class);
        return Providers.create(settings, KeySource.none(), EgressGate.create(f.engine, f.audit), f.engine.egress())
                .client("fake", "agent:coder", "coder");
    }

    /** A workspace with every kind of protected thing in it, and the values that must never get out. */
    private static Protected plant(AgentFixture f) throws Exception {
        Protected p = new Protected();
        String env = random(32);
        String envLocal = random(28);
        String ignored = random(36);
        String sshKey = random(44);
        String vault = random(40);
        String awsId = "AKIA" + random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        String awsSecret = random(20) + "/" + random(19);
        p.values.put(".env value", env);
        p.values.put(".env.local value", envLocal);
        p.values.put("git-ignored value", ignored);
        p.values.put("ssh key", sshKey);
        p.values.put("vault secret", vault);
        p.values.put("aws secret key", awsSecret);
        git(f.workspace, "init", "-q");
        f.write(".env", "DB_PASSWORD=" + env + "\n");
        f.write(".env.local", "API_TOKEN=" + envLocal + "\n");
        f.write(".gitignore", "secret-notes.txt\n");
        f.write("secret-notes.txt", "the deploy token is " + ignored + "\n");
        f.write("src/Main.java", "class Main {}\n");
        f.write("config/app.json", "{\"motd\": \"" + vault + "\"}\n");
        f.write("aws.txt", "aws_access_key_id = " + awsId + "\naws_secret_access_key = " + awsSecret + "\n");
        f.write("evil.sh", "#!/bin/sh\ntouch ../outside-marker\n");
        f.write(".airlock/config.yaml", "policy: {mode: strict}\n");
        Files.createSymbolicLink(f.workspace.resolve("envlink"), Path.of(".env"));
        Path ssh = Files.createDirectories(f.userHome.resolve(".ssh"));
        Files.writeString(ssh.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n" + sshKey
                + "\n-----END OPENSSH PRIVATE KEY-----\n");
        Files.writeString(f.userHome.resolve(".bashrc"), "# rc\n");
        f.known.add(vault.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** Every path that no case may create or change, with its bytes (a folder lists its entries). */
    private static Map<String, byte[]> protectedFiles(AgentFixture f) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (Path base : List.of(f.workspace.resolve(".git/hooks"), f.workspace.resolve(".airlock"), f.userHome)) {
            try (Stream<Path> s = Files.walk(base)) {
                for (Path q : s.toList()) {
                    m.put(f.root.relativize(q).toString(), Files.isRegularFile(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            ? Files.readAllBytes(q) : ("entry " + Files.isSymbolicLink(q)).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        m.put("workspace/.git/config", Files.readAllBytes(f.workspace.resolve(".git/config")));
        m.put("workspace/.env", Files.readAllBytes(f.workspace.resolve(".env")));
        try (Stream<Path> s = Files.list(f.root)) {
            for (Path q : s.toList()) {
                m.put("entry " + f.root.relativize(q), new byte[0]);
            }
        }
        return m;
    }

    private static int gateRows(AgentFixture f) {
        return (int) f.rows().stream().filter(r -> r.action().equals("gate.exec") || r.action().equals("gate.action")).count();
    }

    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{16,}={0,2}");
    private static final Pattern HEX_RUN = Pattern.compile("(?:[0-9a-fA-F]{2}){8,}");

    /** Fails, naming the case, the value's name and the form, if any form of a protected value is in {@code text}. */
    private static void assertNoLeak(Attack attack, String text, Protected p) {
        String unescaped = text.replace("\\n", "\n").replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\");
        List<String> decoded = new ArrayList<>();
        for (Matcher m = BASE64_RUN.matcher(unescaped); m.find(); ) {
            String run = m.group().replace('-', '+').replace('_', '/').replace("=", "");
            for (int skip = 0; skip < 4 && run.length() - skip >= 8; skip++) {
                String part = run.substring(skip);
                part = part.substring(0, part.length() - part.length() % 4);
                try {
                    decoded.add(new String(Base64.getDecoder().decode(part), StandardCharsets.ISO_8859_1));
                } catch (IllegalArgumentException e) {
                    // not base64 after all
                }
            }
        }
        for (Matcher m = HEX_RUN.matcher(unescaped); m.find(); ) {
            for (int skip = 0; skip < 2; skip++) {
                String run = m.group().substring(skip);
                run = run.substring(0, run.length() - run.length() % 2);
                decoded.add(new String(HexFormat.of().parseHex(run), StandardCharsets.ISO_8859_1));
            }
        }
        // od -c and similar put spaces between characters; a fold puts line breaks into a value.
        String squeezed = unescaped.replaceAll("\\s+", "");
        for (var e : p.values.entrySet()) {
            String v = e.getValue();
            Map<String, String> forms = new TreeMap<>();
            forms.put("raw", v);
            forms.put("base64", Base64.getEncoder().withoutPadding().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
            forms.put("hex", HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8)));
            forms.put("url-encoded", URLEncoder.encode(v, StandardCharsets.UTF_8));
            forms.put("reversed", new StringBuilder(v).reverse().toString());
            forms.put("rot13", rot13(v));
            forms.put("reversed rot13", rot13(new StringBuilder(v).reverse().toString()));
            forms.put("case-swapped", swapCase(v));
            forms.put("first half", v.substring(0, v.length() / 2));
            forms.put("second half", v.substring(v.length() / 2));
            for (var form : forms.entrySet()) {
                if (unescaped.contains(form.getValue()) || squeezed.contains(form.getValue())) {
                    fail(attack.name() + ": the " + e.getKey() + " got out (" + form.getKey() + ")");
                }
            }
            for (String d : decoded) {
                if (d.contains(v) || d.contains(forms.get("first half")) || d.contains(forms.get("second half"))) {
                    fail(attack.name() + ": the " + e.getKey() + " got out inside an encoded run");
                }
            }
        }
    }

    static String rot13(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                b.append((char) ('a' + (c - 'a' + 13) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                b.append((char) ('A' + (c - 'A' + 13) % 26));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String swapCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }

    private static String random(int n) {
        return random(n, ALNUM);
    }

    private static String random(int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        pr.getInputStream().readAllBytes();
        if (pr.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed");
        }
    }
}
