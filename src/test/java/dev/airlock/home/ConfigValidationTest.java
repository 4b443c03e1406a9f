package dev.airlock.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliRunner;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config files under {@code src/test/resources/config/}: every file in {@code invalid/} states on its
 * first line the line and key the one-line error must name; every file in {@code valid/} must load.
 */
class ConfigValidationTest {
    private static final Pattern EXPECT = Pattern.compile("# expect: line=(\\d+) key=(.+)");

    @TempDir
    Path temp;

    static List<Path> files(String folder) throws IOException, URISyntaxException {
        Path dir = Path.of(ConfigValidationTest.class.getResource("/config/" + folder).toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> invalidConfig_exits2_namingFileLineAndKey_inOneLine_andCreatesNothing() throws Exception {
        List<Path> files = files("invalid");
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Matcher m = EXPECT.matcher(Files.readAllLines(file).get(0));
            assertThat(m.matches()).as("first line of %s states the expectation", file).isTrue();
            String line = m.group(1);
            String key = m.group(2);
            Path dir = Files.createTempDirectory(temp, "case");
            CliRunner cli = CliRunner.in(dir);
            Files.copy(file, cli.configFile());
            byte[] before = Files.readAllBytes(cli.configFile());

            for (String[] args : new String[][] {{"config", "check"}, {"init"}}) {
                var r = cli.run(args);
                assertThat(r.code()).as("exit of airlock %s; stderr %s", List.of(args), r.err()).isEqualTo(2);
                String error = r.oneLineError();
                assertThat(error).as("names the file and line").contains(cli.configFile() + ":" + line + ": ");
                if (key.equals("top level") || key.equals("second document")) {
                    assertThat(error).contains(key);
                } else {
                    assertThat(error).as("names the key").contains("'" + key + "'");
                }
            }
            assertThat(cli.home()).as("init with a broken config creates nothing").doesNotExist();
            assertThat(Files.readAllBytes(cli.configFile())).isEqualTo(before);
        }));
    }

    @TestFactory
    Stream<DynamicTest> validConfig_loads() throws Exception {
        return files("valid").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Path dir = Files.createTempDirectory(temp, "case");
            CliRunner cli = CliRunner.in(dir);
            Files.copy(file, cli.configFile());
            var r = cli.ok("config", "check");
            assertThat(r.err()).contains("is valid");
            cli.ok("config", "show", "--json").json();
        }));
    }
}
