package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/** A real tenant database and checkpoint file in a temporary folder. */
final class AuditFixture {
    final Path dir;
    final Path dbFile;
    final Path checkpoints;
    final TenantDb db;

    AuditFixture(Path dir) throws IOException {
        this.dir = dir;
        this.dbFile = dir.resolve("airlock.db");
        this.checkpoints = dir.resolve("audit.checkpoints");
        this.db = TenantDb.open(TenantName.of("t"), dbFile, true);
        if (db.meta("log_id").isEmpty()) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
        }
        AuditLogs.createCheckpointFile(checkpoints);
    }

    /** Reopens an existing fixture folder (another "process"). */
    static AuditFixture reopen(Path dir) throws IOException {
        return new AuditFixture(dir);
    }

    AuditLog open(int checkpointEveryRows) {
        return AuditLogs.open(db, checkpoints, AuditOptions.builder().checkpointEveryRows(checkpointEveryRows).build());
    }

    VerifyReport verify() {
        return AuditVerifier.verify(db, checkpoints);
    }

    static AuditEvent event(int i) {
        return AuditEvent.builder("test.event").target("item:" + i).detail("i", i).detail("note", "row number " + i).build();
    }
}
