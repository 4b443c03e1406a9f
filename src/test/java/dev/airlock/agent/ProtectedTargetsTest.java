package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.llm.ToolCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every way of naming a protected target in {@code agent/protected-targets.txt}: with {@code --yes},
 * read_file, list_files, search_files and edit_file are denied before anything is read, write_file
 * is denied (or, over a git-ignored file, goes ahead without showing the old content), the secret
 * never appears in an answer, and each call is one audit row.
 */
class ProtectedTargetsTest {
    private static final String SECRET = "sk_live_protected_9f8e7d6c5b4a";
    private AgentFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private void layout() throws IOException {
        f = new AgentFixture();
        Path ws = f.workspace;
        f.write("README.md", "Project\n");
        f.write(".gitignore", "ignored.txt\nsecrets/\n*.local.json\n");
        for (String name : List.of(".env", ".env.local", ".env.production", "config/.env.development.local", "id_rsa", "deploy/id_ed25519",
                "deploy/id_ecdsa", "server.pem", "certs/tls.key", "release.keystore", "store.jks", "client.p12", ".netrc",
                ".git-credentials", ".pypirc", ".pgpass", "vault.kdbx", "ignored.txt", "secrets/prod.yaml", "build.local.json")) {
            f.write(name, "TOKEN=" + SECRET + "\n");
        }
        for (String name : List.of(".ssh/id_ed25519", ".ssh/config", ".ssh/id_rsa", ".aws/credentials", ".kube/config", ".docker/config.json",
                ".gnupg/private-keys-v1.d/x.key", ".config/gcloud/credentials.db", ".config/gh/hosts.yml")) {
            Path p = f.userHome.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "TOKEN=" + SECRET + "\n");
        }
        Path db = f.airlockHome.resolve("tenants/default/airlock.db");
        Files.createDirectories(db.getParent());
        Files.writeString(db, "TOKEN=" + SECRET + "\n");
        Files.writeString(f.airlockHome.resolve("config.yaml"), "TOKEN=" + SECRET + "\n");
        Files.createSymbolicLink(ws.resolve("envlink"), Path.of(".env"));
        Files.createSymbolicLink(ws.resolve("here"), Path.of("."));
        Files.createSymbolicLink(ws.resolve("sshlink"), f.userHome.resolve(".ssh"));
        Files.createSymbolicLink(ws.resolve("dangling"), Path.of(".env.missing"));
        Files.createSymbolicLink(ws.resolve("ignoredlink"), Path.of("secrets"));
    }

    private record Case(String path, String write) {
    }

    private static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (var in = ProtectedTargetsTest.class.getResourceAsStream("/agent/protected-targets.txt")) {
            for (String line : new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] p = line.split("\t");
                    out.add(new Case(p[0], p[1]));
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> protectedTarget_isDeniedToEveryFileTool_evenWithYes() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.path() + " (write: " + c.write() + ")", () -> {
            layout();
            String path = c.path().replace("{ws}", f.workspace.toString()).replace("{home}", f.userHome.toString())
                    .replace("{airlock}", f.airlockHome.toString());
            String p = AgentFixture.JSON.writeValueAsString(path);
            Tools tools = f.tools(ApprovalMode.YES);
            Agent coder = AgentFixture.agent("coder", false, Map.of(), null, false);
            List<String[]> calls = List.of(
                    new String[] {"read_file", "{\"path\":" + p + "}"},
                    new String[] {"read_file", "{\"path\":" + p + ",\"offset\":-3}"},
                    new String[] {"list_files", "{\"path\":" + p + ",\"recursive\":true}"},
                    new String[] {"search_files", "{\"path\":" + p + ",\"pattern\":\"TOKEN\"}"},
                    new String[] {"search_files", "{\"path\":" + p + ",\"pattern\":\"(\"}"},
                    new String[] {"edit_file", "{\"path\":" + p + ",\"old_text\":\"TOKEN=sk_live\",\"new_text\":\"x\"}"},
                    new String[] {"edit_file", "{\"path\":" + p + ",\"old_text\":\"\",\"new_text\":\"x\"}"},
                    new String[] {"write_file", "{\"path\":" + p + ",\"content\":\"replaced\\n\"}"});
            for (String[] call : calls) {
                int before = f.rows("gate.action").size();
                Tools.Result r = tools.call(coder, new ToolCall("c", call[0], call[1]));
                String expected = call[0].equals("write_file") ? c.write() : "denied";
                assertThat(r.status()).as(call[0] + " " + call[1] + ": " + r.text()).isEqualTo(expected);
                assertThat(r.text()).doesNotContain(SECRET).doesNotContain("sk_live_protected");
                assertThat(f.rows("gate.action")).as("one audit row for " + call[0]).hasSize(before + 1);
                if (r.status().equals("denied")) {
                    assertThat(r.text()).as("a refusal names what decided it").contains("denied by policy:");
                }
            }
            assertThat(f.shown).as("what an approver would have seen").noneMatch(s -> s.contains(SECRET));
            assertThat(f.rows().toString()).doesNotContain(SECRET);
        }));
    }
}
