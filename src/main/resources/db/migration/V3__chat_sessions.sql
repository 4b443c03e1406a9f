-- Chat sessions (issue #6). Metadata stays readable so lists work without unlocking; every piece of
-- content (what the user, the model and the tools said) is a sealed blob (vault ContentCipher, AAD =
-- table, column and "session_id:seq").
CREATE TABLE chat_session (
    id            TEXT PRIMARY KEY,
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    agent         TEXT NOT NULL,
    model         TEXT NOT NULL,
    workspace     TEXT NOT NULL,
    messages      INTEGER NOT NULL DEFAULT 0,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd      TEXT NOT NULL DEFAULT '0'
) STRICT;

CREATE TABLE chat_message (
    session_id    TEXT NOT NULL REFERENCES chat_session(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    time_ms       INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('user', 'assistant', 'tool_result', 'agent_switch', 'error')),
    agent         TEXT NOT NULL,
    model         TEXT,
    tool          TEXT,
    status        TEXT,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost_usd      TEXT,
    content       BLOB NOT NULL,
    PRIMARY KEY (session_id, seq)
) STRICT;
