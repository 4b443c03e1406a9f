package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the real {@code airlock} entry point against a temporary home. The environment is built
 * from scratch, so the real user's home, config and {@code AIRLOCK_HOME} are never read.
 */
public final class CliRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    private CliRunner(Path temp) {
        this.home = temp.resolve("home");
        env.put("HOME", temp.resolve("user").toString());
        env.put("AIRLOCK_HOME", home.toString());
        env.put("AIRLOCK_CONFIG", temp.resolve("config.yaml").toString());
        // Every tenant gets a vault; tests unlock it non-interactively with a throwaway password.
        env.put("AIRLOCK_PASSWORD", "test-vault-password");
    }

    /** A runner whose home is {@code temp/home} and whose config is {@code temp/config.yaml} (absent until written). */
    public static CliRunner in(Path temp) {
        return new CliRunner(temp);
    }

    public Path home() {
        return home;
    }

    public Path configFile() {
        return Path.of(env.get("AIRLOCK_CONFIG"));
    }

    public Map<String, String> env() {
        return env;
    }

    public CliRunner env(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    public Path tenantDb(String tenant) {
        return home.resolve("tenants").resolve(tenant).resolve("airlock.db");
    }

    /** Runs {@code airlock args...} and captures both streams. */
    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), Map.copyOf(env),
                new ByteArrayInputStream(new byte[0]), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs {@code airlock args...} with {@code stdin} as its standard input. */
    public Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), Map.copyOf(env),
                new ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a command that must succeed. */
    public Result ok(String... args) {
        Result r = run(args);
        assertThat(r.code()).as("exit code of airlock %s; stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    /** The outcome of one invocation. */
    public record Result(int code, String out, String err) {
        /** The one error line, after asserting the contract's shape: one line, "airlock: " prefix, no stack trace. */
        public String oneLineError() {
            List<String> lines = err.lines().toList();
            assertThat(lines).as("stderr of a failed command: %s", err).hasSize(1);
            String line = lines.get(0);
            assertThat(line).startsWith("airlock: ");
            assertThat(err).doesNotContain("\tat ").doesNotContain("Exception");
            return line;
        }

        /** The error line followed by picocli's "Try 'airlock … --help'" hint. */
        public String usageErrorWithHint() {
            List<String> lines = err.lines().toList();
            assertThat(lines).as("stderr: %s", err).hasSize(2);
            assertThat(lines.get(0)).startsWith("airlock: ");
            assertThat(lines.get(1)).matches("Try 'airlock( [a-z]+)* --help' for usage\\.");
            assertThat(err).doesNotContain("\tat ");
            return lines.get(0);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out, e);
            }
        }

        /** stdout as JSON Lines, each line parsed. */
        public List<JsonNode> jsonLines() {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.lines().toList()) {
                try {
                    nodes.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
            return nodes;
        }
    }

    /** SHA-256 of every regular file under {@code root} and the set of paths, for "left as it was" checks. */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> snap = new TreeMap<>();
        if (!Files.exists(root)) {
            return snap;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String rel = root.relativize(p).toString();
                snap.put(rel + (Files.isDirectory(p) ? "/" : ""), Files.isRegularFile(p) ? sha256(p) : "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snap;
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
