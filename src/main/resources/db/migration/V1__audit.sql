-- Foundation schema: tenant metadata and the hash-chained audit log (docs/audit-format.md).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,   -- 1, 2, 3... without gaps
    time      INTEGER NOT NULL,      -- UTC milliseconds since the epoch
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    details   TEXT    NOT NULL,      -- RFC 8785 canonical JSON, already redacted
    prev_hash TEXT    NOT NULL,      -- lowercase hex SHA-256
    hash      TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_time ON audit(time);

-- Checkpoints: a signed (once the tenant has an identity) statement of the chain head at seq.
-- The same records are appended to tenants/NAME/audit.checkpoints outside the database.
CREATE TABLE audit_checkpoint (
    seq       INTEGER PRIMARY KEY REFERENCES audit(seq),
    time      INTEGER NOT NULL,
    hash      TEXT    NOT NULL,
    key_id    TEXT,
    signature TEXT
) STRICT;

-- Defence in depth: the application never updates or deletes audit rows. An attacker with the file
-- can drop these triggers; the hash chain and the external checkpoints are what detect that.
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_checkpoint_append_only_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoint_append_only_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
