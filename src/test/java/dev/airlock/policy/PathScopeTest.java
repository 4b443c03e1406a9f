package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathScopeTest {
    @TempDir
    Path tmp;

    PolicyFixture fx;
    PathScope scope;

    @BeforeEach
    void setUp() throws IOException {
        fx = new PolicyFixture(tmp);
        scope = PathScope.create(fx.ctx);
    }

    @Test
    void checkRead_allowsWorkspaceFilesAndDeniesSecrets() {
        assertThat(scope.checkRead(Path.of("README.md"))).isInstanceOf(Decision.Allow.class);
        assertThat(scope.checkRead(Path.of(".env"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of(".env.local"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("config/server.key"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(fx.home.resolve(".aws/credentials"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(fx.home.resolve(".ssh"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(fx.airlockHome.resolve("tenants/default/airlock.db")))
                .isInstanceOf(Decision.Deny.class);
    }

    @Test
    void checkRead_followsSymlinksAndDotDot() {
        assertThat(scope.checkRead(Path.of("innocent.txt"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("sshlink/config"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("src/../../home/.ssh/id_rsa"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("src/../README.md"))).isInstanceOf(Decision.Allow.class);
        assertThat(scope.checkRead(Path.of("../home/notes.txt"))).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void checkRead_deniesWhatGitignoreExcludes_honouringNegationAndNestedFiles() throws IOException {
        assertThat(scope.checkRead(Path.of("target/classes/App.class"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("app.log"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("keep.log"))).isInstanceOf(Decision.Allow.class);
        Files.writeString(fx.workspace.resolve("src/.gitignore"), "generated.java\n");
        Files.writeString(fx.workspace.resolve("src/generated.java"), "x");
        assertThat(scope.checkRead(Path.of("src/generated.java"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkRead(Path.of("src/Main.java"))).isInstanceOf(Decision.Allow.class);
        Files.createDirectories(fx.workspace.resolve("node_modules/x"));
        assertThat(scope.checkRead(Path.of("node_modules/x/index.js")))
                .isInstanceOf(Decision.Deny.class)
                .satisfies(d -> assertThat(d.reasons().get(0)).contains(".dockerignore"));
    }

    @Test
    void checkRead_canBeToldToIgnoreIgnoreFiles() {
        PathScope relaxed = PathScope.create(fx.ctx, new PathRules(null, null, null, null, false));
        assertThat(relaxed.checkRead(Path.of("app.log"))).isInstanceOf(Decision.Allow.class);
        assertThat(relaxed.checkRead(Path.of(".env"))).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void checkWrite_deniesStartupFilesHooksAndSsh_butAllowsIgnoredBuildOutput() {
        assertThat(scope.checkWrite(Path.of("out.txt"))).isInstanceOf(Decision.Allow.class);
        assertThat(scope.checkWrite(Path.of("target/new.class"))).isInstanceOf(Decision.Allow.class);
        assertThat(scope.checkWrite(Path.of(".git/hooks/pre-commit"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkWrite(Path.of(".airlock/config.yaml"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkWrite(Path.of("rclink"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkWrite(fx.home.resolve(".zshrc"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkWrite(fx.home.resolve(".ssh/authorized_keys"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkWrite(Path.of(".env"))).isInstanceOf(Decision.Deny.class);
        assertThat(scope.checkWrite(Path.of("/tmp/x"))).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void extraRoots_widenReadAndWriteScopes() throws IOException {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        PathScope wider = PathScope.create(fx.ctx, new PathRules(List.of(shared.toString()),
                List.of("~/out"), List.of("*.secret"), null, null));
        assertThat(wider.checkRead(shared.resolve("a.txt"))).isInstanceOf(Decision.Allow.class);
        assertThat(wider.checkWrite(shared.resolve("a.txt"))).isInstanceOf(Decision.Ask.class);
        assertThat(wider.checkWrite(fx.home.resolve("out/x"))).isInstanceOf(Decision.Allow.class);
        assertThat(wider.checkRead(Path.of("db.secret"))).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void readTree_findsSecretsBelowADirectory() {
        assertThat(scope.readTree(fx.workspace).verdict()).isEqualTo(Verdict.DENY);
        assertThat(scope.readTree(fx.workspace.resolve("src")).verdict()).isEqualTo(Verdict.ALLOW);
    }
}
