package dev.airlock.audit;

/**
 * One row of the hash-chained audit log, exactly as stored and hashed.
 *
 * <p>{@code details} is the RFC 8785 canonical JSON text of the details object, already redacted
 * when the row was written. {@code prevHash} and {@code hash} are lowercase hex SHA-256 values; the
 * exact hashing rule is in {@code docs/audit-format.md}.
 *
 * @param seq      position in the log: 1, 2, 3… without gaps
 * @param time     UTC milliseconds since the epoch
 * @param actor    who acted: {@code user:NAME}, {@code agent:NAME}, {@code system}…
 * @param action   what was done, dotted lowercase, e.g. {@code tenant.create}
 * @param target   what it was done to, e.g. {@code tenant:ops}
 * @param outcome  {@code success}, {@code failure}, {@code denied}…
 * @param details  canonical JSON object text
 * @param prevHash hash of the previous row, or the genesis value for row 1
 * @param hash     SHA-256 over {@code prevHash} and the canonical row
 */
public record AuditRecord(
        long seq,
        long time,
        String actor,
        String action,
        String target,
        String outcome,
        String details,
        String prevHash,
        String hash) {}
