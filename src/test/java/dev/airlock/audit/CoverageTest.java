package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows must not stay uncovered by a signed checkpoint past the cadence, whatever left them so (a
 * locked vault, a crash, an attacker who removed the checkpoints); a process holding the key covers
 * them again; the writer appends every checkpoint line to its witnesses.
 */
class CoverageTest {
    @TempDir
    Path dir;

    private static VerifyOptions at(Instant now, int everyRows) {
        return VerifyOptions.builder().settings(new AuditSettings(everyRows, 10, null))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private static String kind(VerifyReport r) {
        return r.firstBreak().map(b -> b.kind() + " " + b.seq()).orElse("intact");
    }

    @Test
    void lockedProcessRows_areIntactWhileYoung_andUncoveredOnceOlderThanTheIntervalAndItsGrace() throws Exception {
        AuditFixture f = AuditFixture.created(dir); // rows 1-2, signed checkpoint at 2
        try (AuditLog locked = f.openLocked(1000)) {
            locked.append(AuditFixture.event(1));
            locked.append(AuditFixture.event(2));
        }
        Instant now = Instant.now();
        assertThat(kind(f.verify(at(now, 1000)))).isEqualTo("intact");
        assertThat(kind(f.verify(at(now.plus(Duration.ofMinutes(10)), 1000)))).as("within the grace").isEqualTo("intact");
        assertThat(kind(f.verify(at(now.plus(Duration.ofMinutes(12)), 1000)))).isEqualTo("rows-uncovered 3");
        assertThat(kind(f.verify(at(now, 2)))).as("as many rows as the cadence").isEqualTo("rows-uncovered 3");
        // A process holding the key covers them when it closes.
        try (AuditLog keyed = f.open(1000)) {
            keyed.checkpoint();
        }
        assertThat(kind(f.verify(at(now.plus(Duration.ofDays(30)), 2)))).isEqualTo("intact");
    }

    @Test
    void everyCheckpointDeleted_isAFailure_evenWithAnEmptyFileAndTable() throws Exception {
        AuditFixture f = AuditFixture.created(dir);
        try (AuditLog log = f.open(3)) {
            for (int i = 1; i <= 7; i++) {
                log.append(AuditFixture.event(i));
            }
        }
        TamperSql.run(f, "DELETE FROM audit_checkpoint");
        Files.write(f.checkpoints, new byte[0]);
        assertThat(kind(f.verify(at(Instant.now(), 3)))).isEqualTo("rows-uncovered 1");
        assertThat(kind(f.verify(at(Instant.now().plus(Duration.ofHours(1)), 1000)))).isEqualTo("rows-uncovered 1");
    }

    @Test
    void forgedDatabaseOnlyNewestCheckpoint_isSignatureChecked() throws Exception {
        AuditFixture f = AuditFixture.created(dir);
        try (AuditLog log = f.open(1000)) {
            log.append(AuditFixture.event(1));
        }
        // Drop the file's last line: the newest checkpoint now lives only in the database (a crash trace).
        var lines = Files.readAllLines(f.checkpoints);
        Files.write(f.checkpoints, lines.subList(0, lines.size() - 1));
        assertThat(kind(f.verify())).isEqualTo("intact");
        TamperSql.run(f, "UPDATE audit_checkpoint SET signature = '" + "A".repeat(86) + "==' WHERE seq = (SELECT max(seq) FROM audit_checkpoint)");
        assertThat(f.verify().firstBreak().orElseThrow().kind()).isEqualTo("checkpoint-signature-invalid");
    }

    @Test
    void tornLastLine_ofThePendingCheckpoint_isAccepted_andRepairedByTheNextWriter() throws Exception {
        AuditFixture f = AuditFixture.created(dir);
        try (AuditLog log = f.open(1000)) {
            log.append(AuditFixture.event(1));
        }
        byte[] whole = Files.readAllBytes(f.checkpoints);
        Files.write(f.checkpoints, Arrays.copyOf(whole, whole.length - 25));
        VerifyReport r = f.verify();
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.notes()).anyMatch(n -> n.contains("has not reached"));
        f.open(1000).close();
        assertThat(Files.readAllBytes(f.checkpoints)).isEqualTo(whole);
        assertThat(f.verify().notes()).noneMatch(n -> n.contains("has not reached"));
    }

    @Test
    void tornLastLine_thatIsNotThePendingCheckpoint_isAFileEdit() throws Exception {
        AuditFixture f = AuditFixture.created(dir);
        Files.writeString(f.checkpoints, "{\"hash\":\"0", java.nio.file.StandardOpenOption.APPEND);
        assertThat(kind(f.verify())).isEqualTo("checkpoint-file-edited 0");
    }

    @Test
    void checkpointNow_onALogWithNothingUncovered_writesNothing() throws Exception {
        AuditFixture f = AuditFixture.created(dir);
        long before = Files.readAllLines(f.checkpoints).size();
        try (AuditLog log = f.open(1000)) {
            log.checkpoint();
        }
        assertThat(Files.readAllLines(f.checkpoints)).hasSize((int) before);
    }

    @Test
    void writer_appendsEveryCheckpointLineToItsWitness_andAnUnwritableWitnessFailsNothing() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        Path witness = dir.resolve("elsewhere").resolve("witness");
        Files.createDirectories(witness.getParent());
        Path unwritable = Files.createDirectories(dir.resolve("a-folder"));
        AuditOptions options = AuditOptions.builder().checkpointEveryRows(2).signer(f.signer())
                .witness(witness.toString()).witness(unwritable.toString()).build();
        try (AuditLog log = AuditLogs.open(f.db, f.checkpoints, options)) {
            for (int i = 1; i <= 5; i++) {
                log.append(AuditFixture.event(i));
            }
        }
        assertThat(Files.readString(witness)).isEqualTo(Files.readString(f.checkpoints)).isNotEmpty();
        assertThat(Files.getPosixFilePermissions(witness)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        VerifyReport r = f.verify(VerifyOptions.builder().witness(witness).build());
        assertThat(r.intact()).as(r.toString()).isTrue();
    }

    /** SQL as someone holding the database file runs it: the append-only triggers dropped first. */
    static final class TamperSql {
        static void run(AuditFixture f, String statement) throws Exception {
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.dbFile); var st = c.createStatement()) {
                for (String t : java.util.List.of("audit_append_only_update", "audit_append_only_delete",
                        "audit_checkpoint_append_only_update", "audit_checkpoint_append_only_delete")) {
                    st.execute("DROP TRIGGER IF EXISTS " + t);
                }
                st.execute(statement);
            }
        }
    }
}
