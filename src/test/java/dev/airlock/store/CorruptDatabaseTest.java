package dev.airlock.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant database that is not a healthy SQLite file is an integrity failure (exit 3) reported in
 * one line, and the file is never modified: it may be the only copy of someone's audit log.
 */
class CorruptDatabaseTest {
    @TempDir
    Path temp;

    record Damage(String name, UnaryOperator<byte[]> apply, String says) {}

    static final List<Damage> DAMAGES = List.of(
            new Damage("garbage bytes", b -> {
                byte[] g = new byte[8192];
                new Random(42).nextBytes(g);
                return g;
            }, "is not a SQLite database"),
            new Damage("an empty file", b -> new byte[0], "is empty"),
            new Damage("a text file", b -> "hello, I am not a database\n".getBytes(), "is not a SQLite database"),
            new Damage("only the SQLite magic", b -> Arrays.copyOf(b, 16), "corrupt"),
            new Damage("truncated inside the first page", b -> Arrays.copyOf(b, 3000), "corrupt"),
            new Damage("truncated to the first page", b -> Arrays.copyOf(b, 4096), "corrupt"),
            new Damage("truncated to two pages", b -> Arrays.copyOf(b, 8192), "corrupt"),
            new Damage("truncated mid-page", b -> Arrays.copyOf(b, b.length - 5000), "corrupt"));

    static final List<List<String>> COMMANDS = List.of(
            List.of("audit", "verify"), List.of("audit", "tail"), List.of("audit", "show", "1"),
            List.of("audit", "export", "--format", "jsonl"), List.of("tenant", "delete", "acme", "--yes"));

    @TestFactory
    Stream<DynamicTest> damagedDatabase_exits3_inOneLine_andTheFileIsUnchanged() throws Exception {
        CliRunner template = CliRunner.in(temp.resolve("template"));
        template.ok("init");
        template.ok("tenant", "create", "acme");
        for (int i = 0; i < 3; i++) {
            template.ok("--tenant", "acme", "audit", "export", "--format", "jsonl");
        }
        byte[] healthy = Files.readAllBytes(template.tenantDb("acme"));
        assertThat(healthy.length).isGreaterThan(8192 + 5000);

        return DAMAGES.stream().map(d -> DynamicTest.dynamicTest(d.name(), () -> {
            CliRunner cli = CliRunner.in(Files.createTempDirectory(temp, "case"));
            cli.ok("init");
            cli.ok("tenant", "create", "acme");
            Path db = cli.tenantDb("acme");
            Files.write(db, d.apply().apply(healthy.clone()));
            String sha = CliRunner.sha256(db);
            Map<String, String> before = CliRunner.snapshot(cli.home().resolve("tenants"));

            for (List<String> command : COMMANDS) {
                String[] args = Stream.concat(Stream.of("--tenant", "acme"), command.stream()).toArray(String[]::new);
                var r = cli.run(args);
                assertThat(r.code()).as("exit of %s; stderr %s", command, r.err()).isEqualTo(3);
                assertThat(r.oneLineError()).contains("tenant 'acme'").contains(db.toString()).contains(d.says())
                        .contains("restore it from a backup");
                assertThat(CliRunner.sha256(db)).as("bytes of the database after %s", command).isEqualTo(sha);
            }
            assertThat(CliRunner.snapshot(cli.home().resolve("tenants"))).as("no -wal/-shm or other file appeared").isEqualTo(before);
            // the other tenants are untouched and still work
            cli.ok("audit", "verify");
            // Regression: one damaged tenant made 'tenant list' fail without listing any tenant.
            var list = cli.run("tenant", "list", "--json");
            assertThat(list.code()).isEqualTo(3);
            assertThat(list.oneLineError()).contains("tenant 'acme'");
            assertThat(list.json().findValuesAsText("name")).containsExactly("acme", "default");
            assertThat(list.json().get(0).get("error").asText()).contains(d.says());
            assertThat(CliRunner.sha256(db)).isEqualTo(sha);
        }));
    }
}
