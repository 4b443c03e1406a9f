/**
 * The tenant's tamper-evident audit log: an append-only table of rows, each hash-chained to the
 * previous one (SHA-256 over RFC 8785 canonical JSON), with checkpoints kept both in the database and
 * in an external file, signed with the tenant's key once it has one. The format is specified in
 * {@code docs/audit-format.md}.
 *
 * <p>Guarantees: an append returns only once its row is durable; a state change recorded with
 * {@link dev.airlock.audit.AuditLog#appendWith} commits in the same transaction as its row or not at
 * all; every checkpoint line also goes to the witnesses the user names ({@code audit.witness}). The
 * verifier reads the tenant's public key itself, checks every signature wherever a checkpoint lives
 * (file, table, the pending database-only one, witnesses), detects edited, deleted, inserted and
 * reordered rows, a truncated tail, a restored older copy, a recomputed chain, a deleted, edited or
 * torn checkpoint file, a missing or swapped key (with a pinned fingerprint or a witness), and rows
 * left without a signed checkpoint past the cadence, and names the first break in the order
 * {@code docs/audit-format.md} specifies.
 */
@NullMarked
package dev.airlock.audit;

import org.jspecify.annotations.NullMarked;
