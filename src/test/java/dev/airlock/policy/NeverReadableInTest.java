package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PathScope#neverReadableIn} agrees with {@link PathScope#checkRead}: every file a tool may not
 * read is masked (or lies in a masked folder), and nothing a tool may read is masked, except inside
 * ignored build output, which stays visible on purpose.
 */
class NeverReadableInTest {
    @TempDir
    Path dir;

    private Path ws;
    private PathScope scope;

    private void tree(String... files) throws IOException {
        ws = Files.createDirectories(dir.resolve("ws")).toRealPath();
        for (String f : files) {
            Path p = ws.resolve(f);
            Files.createDirectories(p.getParent());
            if (!Files.exists(p)) {
                Files.writeString(p, "x\n");
            }
        }
        scope = PathScope.create(PathContext.create(ws, dir.resolve("home"), dir.resolve("airlock-home")));
    }

    private static boolean covered(Path p, List<Path> masks) {
        return masks.stream().anyMatch(p::startsWith);
    }

    private void assertAgreesWithCheckRead(List<Path> masks) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ws)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !ws.relativize(p).startsWith(".git")).toList();
        }
        List<String> disagreements = new ArrayList<>();
        for (Path f : files) {
            boolean denied = scope.checkRead(f) instanceof Decision.Deny;
            boolean masked = covered(f, masks);
            boolean inBuildOutput = ws.relativize(f).startsWith("build") || ws.relativize(f).startsWith("node_modules");
            if (denied && !masked && !inBuildOutput) {
                disagreements.add("readable in the sandbox but denied to tools: " + ws.relativize(f));
            }
            if (masked && !denied) {
                disagreements.add("masked but readable by tools: " + ws.relativize(f));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void neverReadableIn_masksExactlyWhatToolsMayNotRead() throws IOException {
        tree(".gitignore", "sub/.gitignore", ".dockerignore", "README.md", "src/Main.java", ".env", ".env.local",
                "a/b/c/.env.test", "id_ed25519", "deploy/id_rsa", "keys/server.pem", "tls/x.key", "store.kdbx",
                "secret.txt", "a/secret.txt", "private/notes.md", "private/deeper/more.md", "sub/x.log",
                "sub/keep.log", "sub/y.txt", "docker-only.txt", "build/out.txt", "build/classes/.env",
                "node_modules/pkg/index.js", "logs/app.log", "logs/keep.txt", "weird name [1].txt", "star*.txt");
        Files.writeString(ws.resolve(".gitignore"), "secret.txt\nprivate/\n*.log\nbuild/\nnode_modules/\nlogs/*\n"
                + "!logs/keep.txt\nweird name \\[1\\].txt\n");
        Files.writeString(ws.resolve("sub/.gitignore"), "!keep.log\ny.txt\n");
        Files.writeString(ws.resolve(".dockerignore"), "docker-only.txt\n");
        scope = PathScope.create(PathContext.create(ws, dir.resolve("home"), dir.resolve("airlock-home")));

        PathScope.SandboxView view = scope.neverReadableIn(ws);

        assertAgreesWithCheckRead(view.hidden());
        assertThat(view.hidden()).contains(ws.resolve("private"), ws.resolve("build/classes/.env"))
                .doesNotContain(ws.resolve("build"), ws.resolve("node_modules"), ws.resolve("sub/keep.log"));
        assertThat(view.readOnly()).contains(ws.resolve(".gitignore"), ws.resolve("sub/.gitignore"),
                ws.resolve(".dockerignore"));
    }

    @Test
    void neverReadableIn_reportsNestedRepositoriesAndSubmoduleLinks() throws IOException {
        tree("README.md", "vendored/.git/config", "modules/lib/.git");
        Files.writeString(ws.resolve("modules/lib/.git"), "gitdir: ../../.git/modules/lib\n");
        Files.createDirectories(ws.resolve(".git/hooks"));

        PathScope.SandboxView view = scope.neverReadableIn(ws);

        assertThat(view.repositories()).containsExactlyInAnyOrder(ws.resolve("vendored/.git"), ws.resolve("modules/lib/.git"));
    }

    @Test
    void neverReadableIn_masksTheTargetOfALinkToASecretOutside_butNotALinkIntoTheWorkspace() throws IOException {
        tree("README.md", "real/.env");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("creds.pem"), "x");
        Files.createSymbolicLink(ws.resolve("link.pem"), outside.resolve("creds.pem"));
        Files.createSymbolicLink(ws.resolve("self.key"), ws);
        Files.createSymbolicLink(ws.resolve("dangling.key"), dir.resolve("nothing"));

        List<Path> hidden = scope.neverReadableIn(ws).hidden();

        assertThat(hidden).contains(ws.resolve("link.pem"), ws.resolve("real/.env"))
                .doesNotContain(ws.resolve("self.key"), ws.resolve("dangling.key"));
    }

    @Test
    void neverReadableIn_masksAFolderTooDeepToSearchWhole() throws IOException {
        String deep = "d/".repeat(SecretWalk.MAX_DEPTH + 2) + ".env";
        tree("README.md", deep);

        List<Path> hidden = scope.neverReadableIn(ws).hidden();

        assertThat(hidden).anyMatch(m -> ws.resolve(deep).startsWith(m) && !m.equals(ws));
    }

    @Test
    void neverReadableIn_mergesMasksIntoFoldersRatherThanExceedTheLimit() {
        Path root = Path.of("/w");
        List<Path> many = new ArrayList<>();
        for (int d = 0; d < 50; d++) {
            for (int i = 0; i < 100; i++) {
                many.add(root.resolve("d" + d).resolve("f" + i + ".pem"));
            }
        }

        List<Path> fitted = SecretWalk.fit(root, many);

        assertThat(fitted).hasSizeLessThanOrEqualTo(SecretWalk.MAX_MASKS);
        assertThat(many).allMatch(p -> covered(p, fitted));
    }
}
