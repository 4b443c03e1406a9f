package dev.airlock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxSpecTest {
    @TempDir
    Path dir;

    @Test
    void build_keepsOnlyAllowListedVariablesFromTheParentEnvironment() {
        SandboxSpec spec = SandboxSpec.builder(dir)
                .parentEnvironment(Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C.UTF-8", "TERM", "xterm",
                        "OPENAI_API_KEY", "sk-test", "AIRLOCK_PASSWORD", "hunter2", "FOO", "bar",
                        "LD_PRELOAD", "/tmp/evil.so"))
                .build();

        assertThat(spec.environment()).containsOnlyKeys("PATH", "LC_ALL", "TERM");
    }

    @Test
    void build_dropsRelativePathEntriesSoTheWorkspaceCannotShadowCommands() {
        SandboxSpec spec = SandboxSpec.builder(dir)
                .parentEnvironment(Map.of("PATH", ".:/usr/bin::bin:/bin"))
                .build();

        assertThat(spec.environment()).containsEntry("PATH", "/usr/bin:/bin");
    }

    @Test
    void variable_refusesPathBecauseItDecidesWhichProgramRuns() {
        assertThatThrownBy(() -> SandboxSpec.builder(dir).variable("PATH", "/workspace/bin"))
                .isInstanceOf(SandboxException.class);
    }

    @Test
    void variable_passesAPlainNameThrough() {
        SandboxSpec spec = SandboxSpec.builder(dir).parentEnvironment(Map.of()).variable("RUST_LOG", "debug").build();

        assertThat(spec.environment()).containsExactly(Map.entry("RUST_LOG", "debug"));
    }

    @Test
    void variable_refusalNeverEchoesTheValue() {
        assertThatThrownBy(() -> SandboxSpec.builder(dir).variable("GITHUB_TOKEN", "ghp_verysecretvalue"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("GITHUB_TOKEN")
                .hasMessageNotContaining("ghp_verysecretvalue")
                .satisfies(e -> assertThat(((SandboxException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void build_refusesAMissingWorkspace() {
        assertThatThrownBy(() -> SandboxSpec.builder(dir.resolve("missing")).build())
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void build_refusesAFileAsWorkspace() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");

        assertThatThrownBy(() -> SandboxSpec.builder(file).build()).hasMessageContaining("not a directory");
    }

    @Test
    void build_refusesTheRootDirectoryAsWorkspace() {
        assertThatThrownBy(() -> SandboxSpec.builder(Path.of("/")).build()).hasMessageContaining("root directory");
    }

    @Test
    void build_resolvesASymlinkedWorkspaceToItsRealPath() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertThat(SandboxSpec.builder(link).build().workspace()).isEqualTo(real.toRealPath());
    }

    @Test
    void build_refusesAWorkspaceInsideAHiddenPath() throws IOException {
        Path home = Files.createDirectory(dir.resolve("airlock-home"));
        Path ws = Files.createDirectory(home.resolve("ws"));

        assertThatThrownBy(() -> SandboxSpec.builder(ws).hide(home).build())
                .hasMessageContaining("inside the hidden path");
    }

    @Test
    void build_refusesAReadOnlyBindInsideAHiddenPath() throws IOException {
        Path ssh = Files.createDirectory(dir.resolve(".ssh"));
        Path ws = Files.createDirectory(dir.resolve("ws"));

        assertThatThrownBy(() -> SandboxSpec.builder(ws).hide(ssh).readOnlyBind(ssh).build())
                .hasMessageContaining("inside the hidden path");
    }

    @Test
    void build_refusesHidingTheRoot() {
        assertThatThrownBy(() -> SandboxSpec.builder(dir).hide(Path.of("/")).build()).hasMessageContaining("'/'");
    }

    @Test
    void limits_mustBePositive() {
        SandboxSpec.Builder b = SandboxSpec.builder(dir);

        assertThatThrownBy(() -> b.timeLimit(Duration.ZERO)).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> b.timeLimit(Duration.ofDays(2))).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> b.outputLimit(0)).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> b.killGrace(Duration.ofSeconds(-1))).isInstanceOf(SandboxException.class);
    }

    @Test
    void toString_showsNeitherEnvironmentValuesNorStdin() {
        SandboxSpec spec = SandboxSpec.builder(dir)
                .parentEnvironment(Map.of("HOME", "/home/someone-specific"))
                .stdin("stdin-payload".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();

        assertThat(spec.toString()).contains("HOME").doesNotContain("someone-specific", "stdin-payload");
    }

    @Test
    void stdin_isCopiedInAndOut() {
        byte[] input = {1, 2, 3};
        SandboxSpec spec = SandboxSpec.builder(dir).stdin(input).build();
        input[0] = 9;
        spec.stdin()[1] = 9;

        assertThat(spec.stdin()).containsExactly(1, 2, 3);
    }
}
