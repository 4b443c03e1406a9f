package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home on a read-only file system. Tests run as root, for whom chmod changes nothing, so the real
 * CLI runs as a child process inside bubblewrap with the home bound read-only.
 */
class ReadOnlyHomeTest {
    @TempDir
    static Path temp;

    static Optional<Path> bwrap = Optional.empty();

    @BeforeAll
    static void findBubblewrap() {
        bwrap = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(d -> Path.of(d, "bwrap")).filter(Files::isExecutable).findFirst();
    }

    record Run(int code, String out, String err) {}

    static Run runReadOnly(CliRunner cli, String... args) throws Exception {
        Path home = cli.home();
        List<String> cmd = new ArrayList<>(List.of(bwrap.orElseThrow().toString(), "--dev-bind", "/", "/",
                "--ro-bind", home.toString(), home.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(cli.env());
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("airlock finished").isTrue();
        // The JVM's own notes (native access, CDS) are not Airlock's output.
        String errText = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("WARNING:") && !l.isBlank()).reduce("", (a, b) -> a + b + "\n");
        return new Run(p.exitValue(), Files.readString(out), errText);
    }

    static final List<List<String>> WRITING_COMMANDS = List.of(
            List.of("tenant", "create", "acme"),
            List.of("audit", "export", "--format", "jsonl"),
            List.of("tenant", "delete", "gone", "--yes"));

    @TestFactory
    Stream<DynamicTest> writingCommand_inAReadOnlyHome_exits1_withOneCannotWriteLine_andChangesNothing() throws Exception {
        assumeTrue(bwrap.isPresent(), "bubblewrap (bwrap) is not on PATH");
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        cli.ok("tenant", "create", "gone");
        Map<String, String> before = CliRunner.snapshot(cli.home());
        return WRITING_COMMANDS.stream().map(command -> DynamicTest.dynamicTest(String.join(" ", command), () -> {
            Run r = runReadOnly(cli, command.toArray(String[]::new));
            assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
            List<String> lines = r.err().lines().toList();
            assertThat(lines).as("stderr: %s", r.err()).hasSize(1);
            assertThat(lines.get(0)).startsWith("airlock: ").containsIgnoringCase("cannot write").contains(cli.home().toString())
                    .doesNotContain("Exception");
            assertThat(r.out()).isEmpty();
            assertThat(CliRunner.snapshot(cli.home())).isEqualTo(before);
        }));
    }

    static final List<List<String>> READING_COMMANDS = List.of(
            List.of("audit", "verify"),
            List.of("tenant", "list", "--json"));

    @TestFactory
    Stream<DynamicTest> readingCommand_inAReadOnlyHome_succeeds_andChangesNothing() throws Exception {
        // Regression: with WAL, SQLite could not create the -shm file, so even 'audit verify' of a backup on
        // read-only media failed with "cannot write the database".
        assumeTrue(bwrap.isPresent(), "bubblewrap (bwrap) is not on PATH");
        CliRunner cli = CliRunner.in(temp.resolve("reading"));
        cli.ok("init");
        Map<String, String> before = CliRunner.snapshot(cli.home());
        return READING_COMMANDS.stream().map(command -> DynamicTest.dynamicTest(String.join(" ", command), () -> {
            Run r = runReadOnly(cli, command.toArray(String[]::new));
            assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
            assertThat(r.out()).isNotBlank();
            assertThat(CliRunner.snapshot(cli.home())).isEqualTo(before);
        }));
    }
}
