package dev.airlock.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordSourceTest {
    @TempDir
    Path dir;

    private static ExitCode exitOf(Throwable t) {
        return ((VaultException) t).exitCode();
    }

    private static PasswordPrompt answering(String... answers) {
        Deque<String> queue = new ArrayDeque<>(java.util.List.of(answers));
        return prompt -> queue.removeFirst().toCharArray();
    }

    @Test
    void passwordFile_isReadUpToTheFirstLineBreak() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from file ü\nsecond line\n", StandardCharsets.UTF_8);
        assertThat(PasswordSource.read(Map.of("AIRLOCK_PASSWORD_FILE", file.toString()), PasswordPrompt.none()))
                .isEqualTo("from file ü".toCharArray());
    }

    @Test
    void passwordFile_winsOverTheVariableAndThePrompt() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "file-pw\r\n");
        Map<String, String> env = Map.of("AIRLOCK_PASSWORD_FILE", file.toString(), "AIRLOCK_PASSWORD", "env-pw");
        assertThat(PasswordSource.read(env, answering("prompt-pw"))).isEqualTo("file-pw".toCharArray());
        assertThat(PasswordSource.describe(env)).isEqualTo("AIRLOCK_PASSWORD_FILE");
    }

    @Test
    void passwordCommand_suppliesTheFirstLineOfItsOutput() {
        assertThat(PasswordSource.read(Map.of("AIRLOCK_PASSWORD_COMMAND", "printf 'cmd-pw\\nrest'", "AIRLOCK_PASSWORD", "env"),
                PasswordPrompt.none())).isEqualTo("cmd-pw".toCharArray());
    }

    @Test
    void aFailingPasswordCommand_keepsTheVaultLockedWithExit7() {
        assertThatThrownBy(() -> PasswordSource.read(Map.of("AIRLOCK_PASSWORD_COMMAND", "exit 3"), PasswordPrompt.none()))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH)).hasMessageContaining("status 3");
    }

    @Test
    void fileAndCommandTogether_areRefusedAsAmbiguous() {
        assertThatThrownBy(() -> PasswordSource.read(Map.of("AIRLOCK_PASSWORD_FILE", "/x", "AIRLOCK_PASSWORD_COMMAND", "true"),
                PasswordPrompt.none())).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void aMissingPasswordFile_isAUsageErrorNamingThePath() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> PasswordSource.read(Map.of("AIRLOCK_PASSWORD_FILE", missing.toString()), PasswordPrompt.none()))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE)).hasMessageContaining(missing.toString());
    }

    @Test
    void thePasswordVariable_isUsedWhenNoFileOrCommandIsSet() {
        assertThat(PasswordSource.read(Map.of("AIRLOCK_PASSWORD", "env-pw", "AIRLOCK_PASSWORD_FILE", ""), PasswordPrompt.none()))
                .isEqualTo("env-pw".toCharArray());
    }

    @Test
    void withoutAnySource_thePromptIsAsked() {
        assertThat(PasswordSource.read(Map.of(), answering("typed"))).isEqualTo("typed".toCharArray());
    }

    @Test
    void withoutAnySourceAndWithoutATerminal_theVaultStaysLockedWithExit7AndAClearMessage() {
        assertThatThrownBy(() -> PasswordSource.read(Map.of(), PasswordPrompt.none()))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                .hasMessageContaining("AIRLOCK_PASSWORD_FILE").hasMessageContaining("no terminal");
    }

    @Test
    void theConsolePrompt_withoutATerminal_failsWithExit7InsteadOfWaitingOnStdin() {
        // The forked test JVM reads stdin from a pipe and has no terminal.
        assertThatThrownBy(() -> PasswordSource.read(Map.of(), PasswordPrompt.console()))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH)).hasMessageContaining("no terminal");
    }

    @Test
    void aNewPasswordFromThePrompt_mustBeTypedTheSameTwice() {
        assertThat(PasswordSource.readNew(Map.of(), answering("same", "same"))).isEqualTo("same".toCharArray());
        assertThatThrownBy(() -> PasswordSource.readNew(Map.of(), answering("one", "two")))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE)).hasMessageNotContaining("one");
        assertThatThrownBy(() -> PasswordSource.readNew(Map.of(), answering("", "")))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
    }
}
