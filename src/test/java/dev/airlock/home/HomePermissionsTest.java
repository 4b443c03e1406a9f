package dev.airlock.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliRunner;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import dev.airlock.store.Tenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every folder under the home is 0700 and every file 0600, whatever the umask and whoever wrote it. */
class HomePermissionsTest {
    @TempDir
    Path temp;

    static void assertPrivate(Path home) throws IOException {
        assertThat(home).isDirectory();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    assertThat(mode).as("mode of folder %s", p).isEqualTo("rwx------");
                } else {
                    assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as("%s is a regular file", p).isTrue();
                    assertThat(mode).as("mode of file %s", p).isEqualTo("rw-------");
                }
            }
        }
    }

    @Test
    void init_createsPrivateFoldersAndFiles() throws IOException {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        assertThat(cli.home().resolve("airlock.home")).isRegularFile();
        assertThat(cli.tenantDb("default")).isRegularFile();
        assertThat(cli.home().resolve("tenants/default/audit.checkpoints")).isRegularFile();
        assertThat(cli.home().resolve("logs/airlock.log")).isRegularFile();
        assertPrivate(cli.home());
    }

    @Test
    void init_createsMissingParentsOfTheHomePrivate() throws IOException {
        CliRunner cli = CliRunner.in(temp);
        Path deep = temp.resolve("a/b/home");
        cli.ok("--home", deep.toString(), "init");
        assertPrivate(temp.resolve("a"));
    }

    @Test
    void tenantCreate_andAuditExport_keepEverythingPrivate() throws IOException {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        cli.ok("tenant", "create", "acme");
        Path export = cli.home().resolve("export.jsonl");
        cli.ok("--tenant", "acme", "audit", "export", "--format", "jsonl", "--out", export.toString());
        assertThat(export).isRegularFile();
        cli.ok("audit", "export", "--format", "cef");
        assertPrivate(cli.home());
    }

    @Test
    void sqliteWalAndShmFiles_arePrivateWhileTheDatabaseIsOpen() throws Exception {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        AirlockHome home = AirlockHome.locate(Optional.of(cli.home()), Map.of());
        TenantDb db = Tenants.of(home).open(TenantName.DEFAULT);
        try (var h = db.jdbi().open()) {
            h.execute("INSERT INTO meta(key, value) VALUES ('test_key', 'x')");
            Path dir = cli.tenantDb("default").getParent();
            assertThat(dir.resolve("airlock.db-wal")).as("WAL file while a connection is open").exists();
            assertThat(dir.resolve("airlock.db-shm")).as("SHM file while a connection is open").exists();
            assertPrivate(cli.home());
        }
    }

    @Test
    void privateFiles_ignoreAWideUmaskBecauseModesAreSetExplicitly() throws IOException {
        Path dir = PrivateFiles.createDirectories(temp.resolve("x/y"));
        Path file = PrivateFiles.createFile(dir.resolve("f"));
        assertPrivate(temp.resolve("x"));
        assertThat(file).isEmptyFile();
    }

    @Test
    void privateFiles_createFile_keepsAnExistingFilesContent() throws IOException {
        Path file = temp.resolve("keep");
        Files.writeString(file, "data");
        PrivateFiles.createFile(file);
        assertThat(file).hasContent("data");
    }

    @Test
    void listOfFilesAfterInit_isExactlyTheDocumentedLayout() throws IOException {
        CliRunner cli = CliRunner.in(temp);
        cli.ok("init");
        assertThat(CliRunner.snapshot(cli.home()).keySet()).containsExactlyInAnyOrderElementsOf(List.of(
                "/", "airlock.home", "logs/", "logs/airlock.log", "tenants/", "tenants/default/",
                "tenants/default/airlock.db", "tenants/default/audit.checkpoints", "tenants/default/audit.checkpoints.lock"));
    }
}
