-- A session started by a signed link reaches that one handoff only (NULL: a
-- password session, which reaches everything the operator's roles allow).
ALTER TABLE operator_sessions ADD COLUMN handoff_id text COLLATE "C";

-- Changes to where an operator is reached (phone, push devices) and to the
-- organization's Slack hook: who changed what, and how those concerned were told.
CREATE TABLE security_events (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    created_at       timestamptz NOT NULL,
    actor            text NOT NULL,
    action           text NOT NULL,
    operator_id      text COLLATE "C",
    data             text NOT NULL,
    notice           text NOT NULL
);
CREATE INDEX security_events_org ON security_events (organization_id, created_at);
