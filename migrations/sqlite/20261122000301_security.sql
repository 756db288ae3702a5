-- A session started by a signed link reaches that one handoff only (NULL: a
-- password session, which reaches everything the operator's roles allow).
ALTER TABLE operator_sessions ADD COLUMN handoff_id TEXT;

-- Changes to where an operator is reached (phone, push devices) and to the
-- organization's Slack hook: who changed what, and how those concerned were told.
CREATE TABLE security_events (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    created_at       TEXT NOT NULL,
    actor            TEXT NOT NULL,
    action           TEXT NOT NULL,
    operator_id      TEXT,
    data             TEXT NOT NULL,
    notice           TEXT NOT NULL
);
CREATE INDEX security_events_org ON security_events (organization_id, created_at);
