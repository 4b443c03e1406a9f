package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer after its performance work (fields prepared on the callers' threads, one head query,
 * no generated-key lookups): same rows, same hashes, same failures.
 */
class BenchWriterTest {
    @TempDir
    Path dir;

    private TenantDb open() throws Exception {
        TenantDb db = TenantDb.open(TenantName.of("bench"), dir.resolve("airlock.db"), true);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
        AuditLogs.createCheckpointFile(dir.resolve("audit.checkpoints"));
        return db;
    }

    private static String independentHash(AuditRecord r) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(HexFormat.of().parseHex(r.prevHash()));
        md.update(AuditChain.canonicalRow(r.seq(), r.time(), r.actor(), r.action(), r.target(), r.outcome(), r.details(),
                r.prevHash()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void concurrentAppends_areChainedFilteredAndVerify() throws Exception {
        TenantDb db = open();
        ConcurrentLinkedQueue<AuditRecord> acked = new ConcurrentLinkedQueue<>();
        AuditOptions options = AuditOptions.builder().checkpointEveryRows(50).signer(AuditFixture.newSigner(db))
                .detailsFilter(t -> t.replace("hunter2", "[REDACTED]")).build();
        try (AuditLog log = AuditLogs.open(db, dir.resolve("audit.checkpoints"), options)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 60; i++) {
                        acked.add(log.append(AuditEvent.builder("tool.exec").target("host-" + id + " pw=hunter2")
                                .detail("n", i).detail("note", "é 😀 \"q\" hunter2").build()));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(acked).hasSize(480);
        for (AuditRecord r : acked) {
            assertThat(r.hash()).isEqualTo(independentHash(r));
            assertThat(r.target()).endsWith("pw=[REDACTED]");
            assertThat(r.details()).isEqualTo("{\"n\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(r.details()).get("n").asInt() + ",\"note\":\"é 😀 \\\"q\\\" [REDACTED]\"}");
        }
        VerifyReport report = AuditVerifier.verify(db, dir.resolve("audit.checkpoints"));
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.rows()).isGreaterThan(480); // plus the checkpoint rows
        assertThat(report.checkpoints()).isGreaterThanOrEqualTo(480 / 50);
    }

    @Test
    void detailsWithoutCanonicalForm_failTheAction_andWriteNothing() throws Exception {
        TenantDb db = open();
        try (AuditLog log = AuditLogs.open(db, dir.resolve("audit.checkpoints"),
                AuditOptions.builder().signer(AuditFixture.newSigner(db)).build())) {
            log.append(AuditEvent.builder("tenant.create").build());
            assertThatThrownBy(() -> log.appendWith(AuditEvent.builder("config.change").detail("bad", new Object()).build(),
                    h -> h.execute("INSERT INTO meta(key, value) VALUES ('changed', 'yes')")))
                    .isInstanceOf(AuditException.class)
                    .hasMessageContaining("could not write the audit log of tenant 'bench'")
                    .hasMessageContaining("the action was not performed");
            assertThat(db.meta("changed")).isEmpty();
            AuditRecord next = log.append(AuditEvent.builder("tenant.create").build());
            assertThat(next.seq()).isEqualTo(2);
        }
        assertThat(AuditVerifier.verify(db, dir.resolve("audit.checkpoints")).intact()).isTrue();
    }

    @Test
    void stateChanges_stillGetGeneratedKeys() throws Exception {
        TenantDb db = open();
        try (AuditLog log = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build())) {
            long rowid = log.appendWith(AuditEvent.builder("config.change").build(),
                    h -> h.createUpdate("INSERT INTO meta(key, value) VALUES ('k', 'v')")
                            .executeAndReturnGeneratedKeys().mapTo(Long.class).one());
            assertThat(rowid).isPositive();
            assertThat(log.append(AuditEvent.builder("tenant.create").build()).seq()).isEqualTo(2);
        }
        assertThat(db.meta("k")).contains("v");
    }
}
