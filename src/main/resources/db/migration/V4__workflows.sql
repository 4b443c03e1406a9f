-- Workflow runs, their nodes and approvals (issue 7). Format: docs/workflows.md.
-- Ids, states, times, costs and the commands shown to approvers are readable metadata, so lists
-- work without unlocking; the workflow text, inputs, node outputs and gate messages are sealed with
-- the tenant's content key (ContentCipher; AAD = table, column, row id).

CREATE TABLE workflow_run (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    state         TEXT    NOT NULL,           -- running | parked | succeeded | failed
    reason        TEXT,                       -- node_failed | approval_required | approval_denied | approval_timeout | cost_cap_exceeded | ...
    exit_code     INTEGER,                    -- what 'airlock run' returned (or would have)
    mode          TEXT    NOT NULL,           -- interactive | yes | non_interactive
    workspace     TEXT    NOT NULL,
    definition    BLOB    NOT NULL,           -- sealed: the workflow as JSON
    inputs        BLOB    NOT NULL,           -- sealed: the inputs as JSON
    cost_cap_usd  TEXT,                       -- decimal string, NULL for no cap
    cost_usd      TEXT    NOT NULL DEFAULT '0',
    owner_pid     INTEGER,                    -- the process running it, NULL when none
    created       INTEGER NOT NULL,           -- UTC ms
    updated       INTEGER NOT NULL,
    finished      INTEGER
);

CREATE TABLE workflow_node (
    run_id        TEXT    NOT NULL REFERENCES workflow_run(id),
    node_id       TEXT    NOT NULL,
    ordinal       INTEGER NOT NULL,           -- position in the file
    type          TEXT    NOT NULL,           -- shell | llm | approval_gate
    state         TEXT    NOT NULL,           -- pending | running | waiting | succeeded | failed | skipped
    attempts      INTEGER NOT NULL DEFAULT 0,
    exit_status   INTEGER,
    error         TEXT,                       -- one redacted line
    output        BLOB,                       -- sealed, redacted output
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost_usd      TEXT,
    started       INTEGER,
    finished      INTEGER,
    PRIMARY KEY (run_id, node_id)
);

CREATE TABLE workflow_approval (
    run_id        TEXT    NOT NULL REFERENCES workflow_run(id),
    gate_id       TEXT    NOT NULL,
    message       BLOB    NOT NULL,           -- sealed: the rendered gate message
    commands      TEXT    NOT NULL,           -- JSON [{node, line, destructive}], lines redacted, for display
    exact         BLOB    NOT NULL,           -- sealed: JSON {node: line} exactly as approved
    requested     INTEGER NOT NULL,
    deadline      INTEGER NOT NULL,
    decision      TEXT,                       -- granted | denied | timed_out; NULL while pending
    approver      TEXT,                       -- who: user:NAME, --yes, timeout
    reason        TEXT,
    decided       INTEGER,
    PRIMARY KEY (run_id, gate_id)
);

CREATE INDEX workflow_run_created ON workflow_run(created);

-- Scheduled runs: a cron expression (5 fields, as crontab) and a workflow file that is read and
-- validated again at every start. Missed times are not caught up; see docs/workflows.md.
CREATE TABLE workflow_schedule (
    id            TEXT    PRIMARY KEY,
    cron          TEXT    NOT NULL,
    file          TEXT    NOT NULL,           -- absolute path of the workflow file
    workspace     TEXT    NOT NULL,
    inputs        TEXT    NOT NULL,           -- JSON {name: value}; put secrets in the vault, not here
    created       INTEGER NOT NULL,
    last_fired    INTEGER,                    -- the scheduled time (UTC ms) last started
    last_run_id   TEXT
);
