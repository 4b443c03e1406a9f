package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Airlock home, user config and workspace for CLI tests, below {@code target/} rather than
 * /tmp: the sandbox replaces /tmp, so a write it let through outside the workspace would not land
 * on the host and a test could not see it.
 */
final class ExecCliFixture {
    static final String PASSWORD = "correct horse battery staple 42";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path home;
    final Path userHome;
    final Path config;
    final Path workspace;
    final Path outside;
    final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    ExecCliFixture(String configExtra) {
        try {
            Path base = Files.createDirectories(Path.of("target", "gate-it").toAbsolutePath());
            root = Files.createTempDirectory(base, "cli").toRealPath();
            home = root.resolve("home");
            userHome = Files.createDirectories(root.resolve("user"));
            workspace = Files.createDirectories(root.resolve("workspace"));
            outside = Files.createDirectories(root.resolve("outside"));
            config = root.resolve("config").resolve("config.yaml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\n" + configExtra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("AIRLOCK_CONFIG", config.toString());
        env.put("AIRLOCK_PASSWORD", PASSWORD);
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", userHome.toString());
    }

    ExecCliFixture init() {
        Result r = run("init");
        assertThat(r.code()).as("init: %s", r.err()).isZero();
        return this;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        return runWith(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    Result runWith(InputStream in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), env, in, all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code airlock exec --workspace WS [flags] -- line}. */
    Result exec(String stdin, List<String> flags, String line) {
        List<String> a = new ArrayList<>(List.of("exec", "--workspace", workspace.toString()));
        a.addAll(flags);
        a.add("--");
        a.add(line);
        return runWithInput(stdin, a.toArray(String[]::new));
    }

    Result policyCheck(boolean json, String line) {
        List<String> a = new ArrayList<>();
        if (json) {
            a.add("--json");
        }
        a.addAll(List.of("policy", "check", "--workspace", workspace.toString(), "--", line));
        return run(a.toArray(String[]::new));
    }

    /** The audit rows of the default tenant, oldest first: action, outcome, details (parsed). */
    List<Row> auditRows() {
        Path db = home.resolve("tenants").resolve("default").resolve("airlock.db");
        try (TenantDb t = TenantDb.open(TenantName.of("default"), db, false)) {
            return t.jdbi().withHandle(h -> h.createQuery("SELECT action, outcome, details FROM audit ORDER BY seq")
                    .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), parse(rs.getString(3))))
                    .list());
        }
    }

    List<Row> auditRows(String action) {
        return auditRows().stream().filter(r -> r.action().equals(action)).toList();
    }

    record Row(String action, String outcome, JsonNode details) {}

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every byte of every file under {@code dir}, as text (for "no secret anywhere" checks). */
    static String allFileText(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }
}
