package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditWriterTest {
    private static int count(AuditFixture f) {
        Integer n = f.db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM thing").mapTo(Integer.class).one());
        return n;
    }

    @TempDir
    Path dir;

    @Test
    void append_numbersRowsWithoutGapsAndChainsThem() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        try (AuditLog log = f.open(1000)) {
            AuditRecord a = log.append(AuditFixture.event(1));
            AuditRecord b = log.append(AuditFixture.event(2));
            assertThat(a.seq()).isEqualTo(1);
            assertThat(b.seq()).isEqualTo(2);
            assertThat(a.prevHash()).isEqualTo(AuditChain.genesis(f.db.meta("log_id").orElseThrow()));
            assertThat(b.prevHash()).isEqualTo(a.hash());
        }
        VerifyReport r = f.verify();
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.rows()).isEqualTo(3); // two rows and the closing checkpoint
    }

    @Test
    void append_storesDetailsAsCanonicalJson() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        try (AuditLog log = f.open(1000)) {
            AuditRecord r = log.append(AuditEvent.builder("x.y").detail("zeta", 1.0).detail("alpha", "é\n\"")
                    .detail("list", List.of(3, "a")).build());
            assertThat(r.details()).isEqualTo("{\"alpha\":\"é\\n\\\"\",\"list\":[3,\"a\"],\"zeta\":1}");
        }
    }

    @Test
    void appendWith_commitsStateChangeAndRowTogether() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        f.db.jdbi().useHandle(h -> h.execute("CREATE TABLE thing (v TEXT)"));
        try (AuditLog log = f.open(1000)) {
            String out = log.appendWith(AuditFixture.event(1), h -> {
                h.execute("INSERT INTO thing VALUES ('kept')");
                return "done";
            });
            assertThat(out).isEqualTo("done");
        }
        assertThat(count(f)).isEqualTo(1);
    }

    @Test
    void appendWith_failingChangeWritesNoRowAndKeepsNeighbours() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        f.db.jdbi().useHandle(h -> h.execute("CREATE TABLE thing (v TEXT)"));
        try (AuditLog log = f.open(1000)) {
            log.append(AuditFixture.event(1));
            assertThatThrownBy(() -> log.appendWith(AuditFixture.event(2), h -> {
                h.execute("INSERT INTO thing VALUES ('rolled back')");
                throw new IllegalStateException("change refused");
            })).isInstanceOf(IllegalStateException.class).hasMessage("change refused");
            AuditRecord after = log.append(AuditFixture.event(3));
            assertThat(after.seq()).isEqualTo(2);
        }
        assertThat(count(f)).isZero();
        assertThat(f.verify().intact()).isTrue();
    }

    @Test
    void append_fromManyThreadsLosesNothingAndStaysGapless() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (AuditLog log = f.open(100)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int base = t * 1000;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        seqs.add(log.append(AuditFixture.event(base + i)).seq());
                    }
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(seqs).hasSize(1600).doesNotHaveDuplicates();
        VerifyReport r = f.verify();
        assertThat(r.intact()).as(r.toString()).isTrue();
        // A checkpoint follows at most every 100 rows plus one group-commit batch.
        assertThat(r.checkpoints()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void append_twoWritersOnOneDatabaseInterleaveIntoOneChain() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        AuditFixture g = AuditFixture.reopen(dir);
        try (AuditLog a = f.open(1000); AuditLog b = g.open(1000)) {
            for (int i = 0; i < 50; i++) {
                a.append(AuditFixture.event(i));
                b.append(AuditFixture.event(1000 + i));
            }
        }
        VerifyReport r = f.verify();
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.rows()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void close_writesCheckpointCoveringTheTail() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        try (AuditLog log = f.open(1000)) {
            log.append(AuditFixture.event(1));
        }
        VerifyReport r = f.verify();
        assertThat(r.checkpoints()).isEqualTo(1);
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void append_appliesDetailsFilterToEveryString() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        AuditOptions opts = AuditOptions.builder().detailsFilter(s -> s.replace("hunter2", "[REDACTED:test]")).build();
        try (AuditLog log = AuditLogs.open(f.db, f.checkpoints, opts)) {
            AuditRecord r = log.append(AuditEvent.builder("x.y").target("db:hunter2")
                    .detail("cmd", "login hunter2").detail("nested", List.of("hunter2")).build());
            assertThat(r.details()).doesNotContain("hunter2").contains("[REDACTED:test]");
            assertThat(r.target()).isEqualTo("db:[REDACTED:test]");
        }
    }

    @Test
    void append_afterCloseIsRefused() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        AuditLog log = f.open(1000);
        log.close();
        assertThatThrownBy(() -> log.append(AuditFixture.event(1))).isInstanceOf(AuditException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void append_failsClosedWhenTheDatabaseRefusesTheRow() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        f.db.jdbi().useHandle(h -> h.execute("CREATE TABLE thing (v TEXT)"));
        // Something outside Airlock breaks the table: no row can be written, so no action may happen.
        f.db.jdbi().useHandle(h -> h.execute(
                "CREATE TRIGGER block BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk says no'); END"));
        try (AuditLog log = f.open(1000)) {
            assertThatThrownBy(() -> log.appendWith(AuditFixture.event(1), h -> h.execute("INSERT INTO thing VALUES ('x')")))
                    .isInstanceOf(AuditException.class).hasMessageContaining("the action was not performed");
        }
        assertThat(count(f)).isZero();
    }
}
