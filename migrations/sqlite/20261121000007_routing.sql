-- Routing: escalation chains, on-call rotations, routing policies, the
-- channels each operator wants per urgency, and a record of every send.
-- Portable SQL (JSON kept as TEXT, validated by the service).

CREATE TABLE rotations (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    name             TEXT NOT NULL,
    operators        TEXT NOT NULL,          -- JSON array of operator ids, in turn order
    starts_at        TEXT NOT NULL,          -- first handover; each turn lasts a week
    overrides        TEXT NOT NULL,          -- JSON [{operator_id, starts_at, ends_at}]
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX rotations_by_org ON rotations (organization_id);

CREATE TABLE escalation_chains (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    name             TEXT NOT NULL,
    steps            TEXT NOT NULL,          -- JSON [{targets: [...], wait_seconds}]
    repeat_count     INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX escalation_chains_by_org ON escalation_chains (organization_id);

-- Evaluated in `position` order at creation; the first match wins.
CREATE TABLE policies (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    condition        TEXT NOT NULL,
    actions          TEXT NOT NULL,          -- JSON {route, priority, auto_resolve, expire_after_seconds}
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX policies_by_org ON policies (organization_id, position);

-- The route when no policy matches (NULL: the built-in "everyone who may act").
ALTER TABLE organizations ADD COLUMN default_chain_id TEXT;
ALTER TABLE organizations ADD COLUMN slack_webhook_url TEXT;

ALTER TABLE operators ADD COLUMN phone TEXT;
-- JSON {low|medium|high|urgent: [push|email|slack|sms|voice]}; NULL: the defaults.
ALTER TABLE operators ADD COLUMN channels TEXT;

-- Escalation timers carry their step (JSON).
ALTER TABLE timers ADD COLUMN data TEXT;

CREATE TABLE notifications (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    handoff_id       TEXT NOT NULL REFERENCES handoffs(id),
    operator_id      TEXT,
    channel          TEXT NOT NULL,
    step             INTEGER NOT NULL,
    outcome          TEXT NOT NULL,          -- sent | failed | skipped
    detail           TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX notifications_by_handoff ON notifications (handoff_id, created_at);
