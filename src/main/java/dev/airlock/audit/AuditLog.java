package dev.airlock.audit;

import org.jdbi.v3.core.Handle;

/**
 * The tenant's append-only, hash-chained audit log.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A call returns only after its row's transaction is durable on disk (SQLite WAL,
 *       {@code synchronous=FULL}). Concurrent callers share commits (group commit).</li>
 *   <li>{@link #appendWith} runs the state change and inserts the audit row in the same
 *       transaction: both commit or neither does. If the row cannot be written the change is rolled
 *       back and the call throws (fail-closed).</li>
 *   <li>Rows are numbered 1, 2, 3… without gaps, each chained to the previous by SHA-256, even when
 *       several processes append to the same tenant.</li>
 * </ul>
 */
public interface AuditLog extends AutoCloseable {

    /** A state change that must commit together with its audit row. Runs on the writer's thread. */
    @FunctionalInterface
    interface StateChange<T> {
        T apply(Handle handle) throws Exception;
    }

    /** Appends {@code event} and returns the durable row. */
    AuditRecord append(AuditEvent event);

    /**
     * Runs {@code change} and appends {@code event} in one transaction. If {@code change} throws,
     * nothing is written and the exception propagates (unchecked exceptions as they are, checked ones
     * wrapped in an {@link AuditException}).
     */
    <T> T appendWith(AuditEvent event, StateChange<T> change);

    /**
     * Writes a checkpoint over every row so far, now (signed when the key is available in this
     * process). Logs that keep no checkpoints of their own (test doubles, views) do nothing.
     */
    default void checkpoint() {}

    /** Writes a checkpoint if rows were appended since the last one, then stops the writer. */
    @Override
    void close();
}
