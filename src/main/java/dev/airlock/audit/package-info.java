/**
 * The tenant's tamper-evident audit log: an append-only table of rows, each hash-chained to the
 * previous one (SHA-256 over RFC 8785 canonical JSON), with checkpoints kept both in the database and
 * in an external file, signed with the tenant's key once it has one. The format is specified in
 * {@code docs/audit-format.md}.
 *
 * <p>Guarantees: an append returns only once its row is durable; a state change recorded with
 * {@link dev.airlock.audit.AuditLog#appendWith} commits in the same transaction as its row or not at
 * all; the verifier detects edited, deleted, inserted and reordered rows, a truncated tail, a
 * restored older copy, a recomputed chain (with signed checkpoints) and a deleted or edited checkpoint
 * file, and names the first break.
 */
@NullMarked
package dev.airlock.audit;

import org.jspecify.annotations.NullMarked;
