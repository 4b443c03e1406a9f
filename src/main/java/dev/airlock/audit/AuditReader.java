package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.mapper.RowMapper;

/** Read access to a tenant's audit rows for tail, show and export. Reads never block the writer. */
public final class AuditReader {
    private static final String COLUMNS = "seq, time, actor, action, target, outcome, details, prev_hash, hash";
    private static final RowMapper<AuditRecord> ROW = (rs, ctx) -> new AuditRecord(rs.getLong(1), rs.getLong(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9));

    private final TenantDb db;

    private AuditReader(TenantDb db) {
        this.db = db;
    }

    public static AuditReader of(TenantDb db) {
        return new AuditReader(db);
    }

    /** The last {@code n} rows, oldest first. */
    public List<AuditRecord> tail(int n) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM (SELECT " + COLUMNS
                + " FROM audit ORDER BY seq DESC LIMIT :n) ORDER BY seq").bind("n", n).map(ROW).list());
    }

    public Optional<AuditRecord> show(long seq) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM audit WHERE seq = :s")
                .bind("s", seq).map(ROW).findOne());
    }

    /** Streams rows with {@code seq >= fromSeq} and {@code time >= fromTime}, in order. */
    public void forEach(long fromSeq, long fromTime, Consumer<AuditRecord> sink) {
        db.jdbi().useHandle(h -> {
            try (var it = h.createQuery("SELECT " + COLUMNS + " FROM audit WHERE seq >= :s AND time >= :t ORDER BY seq")
                    .bind("s", fromSeq).bind("t", fromTime).setFetchSize(4096).map(ROW).iterator()) {
                it.forEachRemaining(sink);
            }
        });
    }

    /** Something that consumes an ordered iterator of rows. */
    @FunctionalInterface
    public interface RowsFunction<R> {
        R apply(java.util.Iterator<AuditRecord> rows) throws java.io.IOException;
    }

    /** Gives {@code f} the rows with {@code seq >= fromSeq} and {@code time >= fromTime}, in order, streamed. */
    public <R> R withRows(long fromSeq, long fromTime, RowsFunction<R> f) throws java.io.IOException {
        try (var h = db.jdbi().open();
                var it = h.createQuery("SELECT " + COLUMNS + " FROM audit WHERE seq >= :s AND time >= :t ORDER BY seq")
                        .bind("s", fromSeq).bind("t", fromTime).setFetchSize(4096).map(ROW).iterator()) {
            return f.apply(it);
        }
    }

    /** The id of this log (the genesis input). */
    public String logId() {
        return db.meta("log_id").orElse("");
    }

    public long count() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit").mapTo(Long.class).one());
    }
}
