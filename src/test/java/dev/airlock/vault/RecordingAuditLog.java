package dev.airlock.vault;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditException;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditRecord;
import dev.airlock.home.ExitCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * A minimal stand-in for the real audit log until it lands on main: it runs the state change and
 * writes its row to {@code test_audit} in one SQLite transaction, as the contract requires, and
 * keeps the committed events for assertions. No hash chain: that is the audit package's job.
 */
final class RecordingAuditLog implements AuditLog {
    private final Jdbi jdbi;
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicBoolean failWrites = new AtomicBoolean();

    RecordingAuditLog(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS test_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                + "actor TEXT, action TEXT, target TEXT, outcome TEXT, details TEXT)"));
    }

    /** From now on every write fails after the state change ran, as a full disk would. */
    void failWrites(boolean fail) {
        failWrites.set(fail);
    }

    List<AuditEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        appendWith(event, h -> null);
        return record(event);
    }

    @Override
    public <T> T appendWith(AuditEvent event, StateChange<T> change) {
        T result;
        try {
            result = jdbi.inTransaction(h -> {
                T r = change.apply(h);
                if (failWrites.get()) {
                    throw new AuditException(ExitCode.RUNTIME, "audit row could not be written (simulated)");
                }
                h.createUpdate("INSERT INTO test_audit (actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?)")
                        .bind(0, event.actor()).bind(1, event.action()).bind(2, event.target()).bind(3, event.outcome())
                        .bind(4, event.details().toString()).execute();
                return r;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AuditException(ExitCode.RUNTIME, "state change failed", e);
        }
        events.add(event);
        return result;
    }

    private AuditRecord record(AuditEvent e) {
        return new AuditRecord(seq.incrementAndGet(), 0, e.actor(), e.action(), e.target(), e.outcome(),
                e.details().toString(), "", "");
    }

    @Override
    public void close() {}
}
