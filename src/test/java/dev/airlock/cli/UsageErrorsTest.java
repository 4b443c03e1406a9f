package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines: exit 2, one line that starts "airlock: ", and where picocli parsed, a --help hint. */
class UsageErrorsTest {
    @TempDir
    Path temp;

    CliRunner cli;

    @BeforeEach
    void init() {
        cli = CliRunner.in(temp);
        cli.ok("init");
    }

    record Case(List<String> args, String says, String hint) {}

    static final List<Case> PARSE_ERRORS = List.of(
            new Case(List.of("--bogus"), "Unknown option: '--bogus'", "airlock"),
            new Case(List.of("tenant", "list", "--bogus"), "Unknown option: '--bogus'", "airlock tenant list"),
            new Case(List.of("audit", "verify", "-x"), "Unknown option: '-x'", "airlock audit verify"),
            new Case(List.of("frobnicate"), "unknown command 'frobnicate' for 'airlock'; commands: init, tenant, audit", "airlock"),
            new Case(List.of("tenant", "frobnicate"), "unknown command 'frobnicate' for 'airlock tenant'; commands: create, list, delete",
                    "airlock tenant"),
            new Case(List.of("--home", "/x", "audit", "frobnicate"), "unknown command 'frobnicate' for 'airlock audit'", "airlock audit"),
            new Case(List.of("tenant", "create"), "Missing required parameter: 'NAME'", "airlock tenant create"),
            new Case(List.of("tenant", "delete"), "Missing required parameter: 'NAME'", "airlock tenant delete"),
            new Case(List.of("audit", "show"), "Missing required parameter: 'SEQ'", "airlock audit show"),
            new Case(List.of("audit", "show", "abc"), "'abc' is not a long", "airlock audit show"),
            new Case(List.of("audit", "export"), "Missing required option: '--format=FORMAT'", "airlock audit export"),
            new Case(List.of("audit", "tail", "-n", "many"), "'many' is not an int", "airlock audit tail"),
            new Case(List.of("--home"), "Missing required parameter for option '--home'", "airlock"),
            new Case(List.of("tenant", "create", "a", "b"), "unexpected argument 'b' for 'airlock tenant create'", "airlock tenant create"),
            new Case(List.of("audit", "verify", "now"), "unexpected argument 'now' for 'airlock audit verify'", "airlock audit verify"));

    @TestFactory
    Stream<DynamicTest> parseErrors_exit2_withOneLineAndAHelpHint() {
        return PARSE_ERRORS.stream().map(c -> DynamicTest.dynamicTest(String.join(" ", c.args()), () -> {
            var r = cli.run(c.args().toArray(String[]::new));
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.usageErrorWithHint()).contains(c.says());
            assertThat(r.err()).contains("Try '" + c.hint() + " --help' for usage.");
            assertThat(r.out()).isEmpty();
            // Regression: the hint named 'airlock tenant create --help', which was itself an unknown option.
            String[] hint = (c.hint().substring("airlock".length()) + " --help").strip().split(" ");
            assertThat(cli.ok(hint).out()).startsWith("Usage: " + c.hint());
        }));
    }

    static final List<Case> COMMAND_ERRORS = List.of(
            new Case(List.of("audit", "show", "999"), "no audit row 999 in tenant 'default'", ""),
            new Case(List.of("audit", "show", "0"), "no audit row 0", ""),
            new Case(List.of("audit", "show", "-1"), "no audit row -1", ""),
            new Case(List.of("audit", "export", "--format", "xml"),
                    "unknown export format 'xml'; valid formats: jsonl, splunk-hec, datadog, sumo, ocsf, cef", ""),
            new Case(List.of("audit", "export", "--format", ""), "valid formats: jsonl, splunk-hec, datadog, sumo, ocsf, cef", ""),
            new Case(List.of("audit", "export", "--format", "jsonl", "--since", "yesterday"), "--since takes a row number", ""),
            new Case(List.of("audit", "export", "--format", "jsonl", "--since", "2026-13-45"), "got '2026-13-45'", ""),
            new Case(List.of("audit", "export", "--format", "jsonl", "--since", "-5"), "--since takes a row number", ""),
            new Case(List.of("audit", "export", "--format", "jsonl", "--since", "99999999999999999999"), "--since", ""),
            new Case(List.of("audit", "tail", "-n", "0"), "-n must be between 1 and 1000000", ""),
            new Case(List.of("--tenant", "ghost", "audit", "verify"), "no tenant 'ghost'", ""),
            new Case(List.of("--tenant", "Bad!", "audit", "verify"), "invalid tenant name", ""),
            new Case(List.of("tenant"), "tenant needs a subcommand", ""),
            new Case(List.of("audit"), "audit needs a subcommand", ""),
            new Case(List.of("config"), "config needs a subcommand", ""),
            new Case(List.of(), "a command is required", ""),
            new Case(List.of("--home", "", "init"), "--home needs a folder", ""));

    @TestFactory
    Stream<DynamicTest> commandErrors_exit2_withOneLine() {
        return COMMAND_ERRORS.stream().map(c -> DynamicTest.dynamicTest(c.args().isEmpty() ? "(no command)" : String.join(" ", c.args()), () -> {
            var r = cli.run(c.args().toArray(String[]::new));
            assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(2);
            assertThat(r.oneLineError()).contains(c.says());
            assertThat(r.out()).isEmpty();
        }));
    }

    @Test
    void help_andVersion_exit0() {
        var help = cli.ok("--help");
        assertThat(help.out()).startsWith("Usage: airlock").contains("init").contains("tenant").contains("audit");
        assertThat(cli.ok("tenant", "--help").out()).contains("create").contains("delete");
        assertThat(cli.ok("audit", "export", "--help").out()).contains("--format");
        assertThat(cli.ok("version").out()).startsWith("airlock ");
        assertThat(cli.ok("--version").out()).startsWith("airlock ");
        assertThat(cli.ok("version", "--json").json().get("version").asText()).isNotBlank();
    }

    @Test
    void help_worksBeforeInit_andCreatesNothing() {
        CliRunner fresh = CliRunner.in(temp.resolve("fresh"));
        fresh.ok("--help");
        fresh.ok("version");
        assertThat(fresh.home()).doesNotExist();
    }

    @Test
    void debug_addsTheStackTrace_otherwiseThereIsNone() {
        var plain = cli.run("audit", "show", "999");
        assertThat(plain.oneLineError()).contains("no audit row 999");
        var debug = cli.run("--debug", "audit", "show", "999");
        assertThat(debug.code()).isEqualTo(2);
        assertThat(debug.err().lines().findFirst().orElseThrow()).isEqualTo(plain.err().strip());
        assertThat(debug.err()).contains("\tat ");
    }
}
