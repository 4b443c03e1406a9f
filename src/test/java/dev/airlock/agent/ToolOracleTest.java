package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.llm.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The oracle: a taken-over model guessing at a protected file's content through the file tools
 * (edit_file's "old_text does not occur", read_file offsets, search patterns aimed at it, writes over
 * it) learns nothing. For every guess in {@code agent/oracle-guesses.txt} against every protected
 * target, with {@code --yes} (everything askable approved), the answer is byte-identical with the
 * file present and absent, identical across guesses when refused, never holds the secret (raw,
 * reversed, base64, hex, halves), and is one {@code gate.action} audit row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ToolOracleTest {
    private AgentFixture f;
    private Tools tools;
    private final Agent coder = AgentFixture.agent("coder", false, Map.of(), null, false);
    private final List<Target> targets = new ArrayList<>();
    private int calls;
    private int guessed;

    /**
     * A protected target: {@code arg} is what the model names; {@code file} the file that holds the
     * secret (deleted for the absent case; null when it cannot be, as for /proc); {@code writable}
     * whether the policy lets a write over it go ahead under --yes (a git-ignored file: never read,
     * but writable, so the write's answer must not depend on the old content).
     */
    private record Target(String name, String arg, @Nullable Path file, String secret, boolean writable) {
        void present() {
            if (file != null) {
                try {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, "# settings\n" + secret + "\nOTHER=1\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        void absent() {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        /** The value after "=", the part worth stealing. */
        String value() {
            return secret.substring(secret.indexOf('=') + 1);
        }
    }

    private record Guess(String tool, String template) {
    }

    @BeforeAll
    void setUp() throws IOException {
        f = new AgentFixture();
        tools = f.tools(ApprovalMode.YES);
        f.write(".gitignore", "ignored.txt\nsecrets/\n*.local.json\n");
        f.write("src/App.java", "class App {}\n");
        Files.createDirectories(f.workspace.resolve("secrets"));
        Path ws = f.workspace;
        targets.add(new Target("dot-env", ".env", ws.resolve(".env"), "API_TOKEN=tok_9f8e7d6c5b4a3210fedc", false));
        targets.add(new Target("nested-env-local", "config/../config/.env.local", ws.resolve("config/.env.local"),
                "DATABASE_URL=postgres://app:Sw0rdf1sh-2024@db/app", false));
        targets.add(new Target("git-ignored-file", "ignored.txt", ws.resolve("ignored.txt"), "db_password=hunter2-correct-horse-battery", true));
        targets.add(new Target("git-ignored-folder", "./secrets/prod.yaml", ws.resolve("secrets/prod.yaml"),
                "signing_key=sk_live_51HxQpZ2eZvKYlo2C0a1b2c3", true));
        targets.add(new Target("git-ignored-glob", "settings.local.json", ws.resolve("settings.local.json"),
                "client_secret=GOCSPX-abcdefghijklmnop1234", true));
        targets.add(new Target("key-in-workspace", "deploy/id_rsa", ws.resolve("deploy/id_rsa"), "KEY=b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", false));
        targets.add(new Target("ssh-key", f.userHome.resolve(".ssh/id_ed25519").toString(), f.userHome.resolve(".ssh/id_ed25519"),
                "PRIVATE=AAAAC3NzaC1lZDI1NTE5AAAAIOq7", false));
        targets.add(new Target("aws-credentials", f.userHome.resolve(".aws/credentials").toString(), f.userHome.resolve(".aws/credentials"),
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false));
        targets.add(new Target("airlock-home", f.airlockHome.resolve("tenants/default/vault.key").toString(),
                f.airlockHome.resolve("tenants/default/vault.key"), "VAULT_PASSWORD=correct-horse-staple-42", false));
        // a link the agent could have planted: decided on what it points to, present or not
        Files.createSymbolicLink(ws.resolve("notes.txt"), Path.of(".env"));
        targets.add(new Target("link-to-dot-env", "notes.txt", ws.resolve(".env"), "API_TOKEN=tok_9f8e7d6c5b4a3210fedc", false));
        Files.createSymbolicLink(ws.resolve("cache"), Path.of("secrets"));
        targets.add(new Target("link-into-ignored-folder", "cache/prod.yaml", ws.resolve("secrets/prod.yaml"),
                "signing_key=sk_live_51HxQpZ2eZvKYlo2C0a1b2c3", true));
        // file tools run in the Airlock process: its own environment holds what the vault is unlocked with
        targets.add(new Target("proc-self-environ", "/proc/self/environ", null, "PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin"), false));
        targets.add(new Target("proc-self-cwd-env", "/proc/self/cwd/../../../../../proc/self/environ", null,
                "PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin"), false));
    }

    @AfterAll
    void tearDown() {
        f.close();
    }

    private static List<Guess> guessLines() throws IOException {
        List<Guess> out = new ArrayList<>();
        try (var in = ToolOracleTest.class.getResourceAsStream("/agent/oracle-guesses.txt")) {
            for (String line : new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 2);
                out.add(new Guess(parts[0], parts[1]));
            }
        }
        return out;
    }

    /** What an attacker tries: the whole line, the value, a half, reversed, prefix steps, a miss, two lines. */
    private static List<String> guesses(Target t) {
        String v = t.value();
        String key = t.secret().substring(0, t.secret().indexOf('=') + 1);
        Set<String> g = new LinkedHashSet<>();
        g.add(t.secret());
        g.add(v);
        g.add(v.substring(0, v.length() / 2));
        g.add(new StringBuilder(v).reverse().toString());
        g.add(key + v.charAt(0));
        g.add(key + "z");
        g.add("# settings\n" + t.secret());
        return List.copyOf(g);
    }

    /** The template with each placeholder replaced by its JSON-escaped value. */
    private static String args(String template, String path, String guess, int n) {
        return template.replace("{path}", inner(path)).replace("{guess}", inner(guess)).replace("{n}", Integer.toString(n));
    }

    private static String inner(String s) {
        String j = json(s);
        return j.substring(1, j.length() - 1);
    }

    private static String json(String s) {
        try {
            return AgentFixture.JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyGuess_answersTheSameWhetherOrNotTheFileExists_andIsAnAuditRow() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Target t : targets) {
            for (Guess line : guessLines()) {
                tests.add(DynamicTest.dynamicTest(t.name() + ": " + line.tool() + " " + line.template(), () -> run(t, line)));
            }
        }
        return tests.stream();
    }

    private void run(Target t, Guess line) {
        boolean aroundIt = line.template().contains("\"path\":\".\"");
        boolean varies = line.template().contains("{guess}") || line.template().contains("{n}");
        List<String> gs = varies ? guesses(t) : List.of("");
        Set<String> refusals = new LinkedHashSet<>();
        int n = 0;
        for (String guess : gs) {
            n++;
            guessed++;
            String json = args(line.template(), t.arg(), guess, n);
            t.present();
            Tools.Result present = call(line.tool(), json);
            t.absent();
            Tools.Result absent = call(line.tool(), json);
            t.present();
            String what = t.name() + " " + line.tool() + " " + json;
            assertThat(absent).as(what).isEqualTo(present);
            assertLeaksNothing(t, present.text(), what);
            if (!aroundIt) {
                // a git-ignored file is never read but may be written: the write goes ahead (or its missing
                // content is reported), with words that do not depend on the old content
                boolean writable = t.writable() && line.tool().equals(Tools.WRITE_FILE);
                if (writable) {
                    assertThat(present.status()).as(what).isIn("done", "invalid");
                } else {
                    assertThat(present.status()).as(what).isEqualTo("denied");
                    refusals.add(present.text());
                }
            }
        }
        // one answer for every guess: the refusal says nothing about the guess either
        assertThat(refusals).as(t.name() + " " + line.tool()).hasSizeLessThanOrEqualTo(1);
    }

    private Tools.Result call(String tool, String json) {
        long before = actionRows();
        Tools.Result r = tools.call(coder, new ToolCall("c" + (++calls), tool, json));
        if (!r.status().equals("invalid")) {
            assertThat(actionRows()).as("one audit row for " + tool + " " + json).isEqualTo(before + 1);
        }
        return r;
    }

    private long actionRows() {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit WHERE action = 'gate.action'").mapTo(Long.class).one());
    }

    private static void assertLeaksNothing(Target t, String text, String what) {
        String v = t.value();
        List<String> forms = List.of(v, new StringBuilder(v).reverse().toString(),
                Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)),
                HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8)),
                v.substring(0, v.length() / 2), v.substring(v.length() / 2));
        for (String form : forms) {
            if (form.length() >= 8) {
                assertThat(text).as(what).doesNotContain(form);
            }
        }
    }

    @Test
    @Order(2)
    void aThousandGuesses_wereMade_andTheAuditLogHoldsNoSecret() throws IOException {
        // runs after the factory when the class runs as a whole; on its own it makes the guesses itself
        if (guessed == 0) {
            for (DynamicTest d : everyGuess_answersTheSameWhetherOrNotTheFileExists_andIsAnAuditRow().toList()) {
                try {
                    d.getExecutable().execute();
                } catch (Throwable e) {
                    throw new AssertionError(d.getDisplayName(), e);
                }
            }
        }
        assertThat(guessed).isGreaterThanOrEqualTo(1000);
        String log = f.rows().toString();
        for (Target t : targets) {
            if (t.file() != null) {
                assertThat(log).doesNotContain(t.value());
            }
        }
    }
}
