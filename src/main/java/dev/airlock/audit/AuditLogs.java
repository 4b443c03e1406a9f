package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import java.io.IOException;
import java.nio.file.Path;

/** Opens audit logs. */
public final class AuditLogs {
    private AuditLogs() {}

    /** Opens the writer for a tenant's log, with {@code checkpointFile} as its external witness. */
    public static AuditLog open(TenantDb db, Path checkpointFile, AuditOptions options) {
        return new AuditWriter(db, checkpointFile, options);
    }

    /** Creates the empty checkpoint file of a new tenant. */
    public static void createCheckpointFile(Path checkpointFile) throws IOException {
        CheckpointFile.create(checkpointFile);
    }
}
