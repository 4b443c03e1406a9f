package dev.airlock.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The home is found in the order --home, AIRLOCK_HOME, XDG_DATA_HOME, HOME/.local/share. */
class HomeResolutionTest {
    @TempDir
    Path temp;

    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void locate_prefersTheHomeOptionOverEverything() {
        Map<String, String> env = env("AIRLOCK_HOME", "/e", "XDG_DATA_HOME", "/x", "HOME", "/h");
        assertThat(AirlockHome.locate(Optional.of(Path.of("/opt/a")), env).root()).isEqualTo(Path.of("/opt/a"));
    }

    @Test
    void locate_usesAirlockHomeBeforeXdgDataHome() {
        Map<String, String> env = env("AIRLOCK_HOME", "/e", "XDG_DATA_HOME", "/x", "HOME", "/h");
        assertThat(AirlockHome.locate(Optional.empty(), env).root()).isEqualTo(Path.of("/e"));
    }

    @Test
    void locate_usesXdgDataHomeBeforeHome() {
        Map<String, String> env = env("XDG_DATA_HOME", "/x", "HOME", "/h");
        assertThat(AirlockHome.locate(Optional.empty(), env).root()).isEqualTo(Path.of("/x/airlock"));
    }

    @Test
    void locate_fallsBackToHomeLocalShare() {
        assertThat(AirlockHome.locate(Optional.empty(), env("HOME", "/h")).root()).isEqualTo(Path.of("/h/.local/share/airlock"));
    }

    @Test
    void locate_treatsBlankVariablesAsUnset() {
        Map<String, String> env = env("AIRLOCK_HOME", " ", "XDG_DATA_HOME", "", "HOME", "/h");
        assertThat(AirlockHome.locate(Optional.empty(), env).root()).isEqualTo(Path.of("/h/.local/share/airlock"));
    }

    @Test
    void locate_normalisesTheHomeOption() {
        assertThat(AirlockHome.locate(Optional.of(Path.of("/a/b/../c/.")), Map.of()).root()).isEqualTo(Path.of("/a/c"));
    }

    @Test
    void init_followsTheSameOrderEndToEnd() {
        CliRunner cli = CliRunner.in(temp);
        Path option = temp.resolve("opt");
        Path airlockHome = temp.resolve("env");
        Path xdg = temp.resolve("xdg");
        Path user = temp.resolve("user");
        cli.env("AIRLOCK_HOME", airlockHome.toString()).env("XDG_DATA_HOME", xdg.toString()).env("HOME", user.toString());

        cli.ok("--home", option.toString(), "init");
        assertThat(option.resolve("airlock.home")).isRegularFile();
        assertThat(airlockHome).doesNotExist();

        cli.ok("init");
        assertThat(airlockHome.resolve("airlock.home")).isRegularFile();
        assertThat(xdg).doesNotExist();

        cli.env("AIRLOCK_HOME", null).ok("init");
        assertThat(xdg.resolve("airlock/airlock.home")).isRegularFile();
        assertThat(user.resolve(".local")).doesNotExist();

        cli.env("XDG_DATA_HOME", null).ok("init");
        assertThat(user.resolve(".local/share/airlock/airlock.home")).isRegularFile();
    }

    @Test
    void init_isIdempotentAndKeepsExistingData() {
        CliRunner cli = CliRunner.in(temp);
        var first = cli.ok("init", "--json").json();
        assertThat(first.get("created").asBoolean()).isTrue();
        assertThat(first.get("tenant_created").asBoolean()).isTrue();
        cli.ok("tenant", "create", "acme");
        Map<String, String> before = CliRunner.snapshot(cli.home());
        before.remove("logs/airlock.log");

        var second = cli.ok("init", "--json").json();
        assertThat(second.get("created").asBoolean()).isFalse();
        assertThat(second.get("tenant_created").asBoolean()).isFalse();
        assertThat(second.get("home").asText()).isEqualTo(cli.home().toString());
        Map<String, String> after = CliRunner.snapshot(cli.home());
        after.remove("logs/airlock.log");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void init_refusesANonEmptyForeignFolder_andTouchesNothing() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Files.createDirectories(cli.home());
        Files.writeString(cli.home().resolve("thesis.tex"), "precious");
        Map<String, String> before = CliRunner.snapshot(cli.home());

        var r = cli.run("init");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).contains(cli.home().toString()).contains("not an Airlock home").contains("--home");
        assertThat(CliRunner.snapshot(cli.home())).isEqualTo(before);
    }

    @Test
    void init_acceptsAnEmptyExistingFolder() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Files.createDirectories(cli.home());
        cli.ok("init");
        assertThat(cli.home().resolve("airlock.home")).isRegularFile();
    }

    @Test
    void init_refusesAPathThatIsAFile() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        Files.writeString(cli.home(), "not a folder");

        var r = cli.run("init");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneLineError()).contains(cli.home().toString()).contains("not a folder");
        assertThat(cli.home()).isRegularFile().hasContent("not a folder");
    }

    @Test
    void commandBeforeInit_saysToRunAirlockInit_andCreatesNothing() {
        CliRunner cli = CliRunner.in(temp);
        for (String[] args : new String[][] {{"tenant", "list"}, {"tenant", "create", "acme"}, {"audit", "verify"},
                {"audit", "tail"}, {"audit", "export", "--format", "jsonl"}, {"tenant", "delete", "acme", "--yes"}}) {
            var r = cli.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.oneLineError()).contains("run 'airlock init'").contains(cli.home().toString());
        }
        assertThat(cli.home()).doesNotExist();
    }
}
