-- Agent API: approvals, timers, workflow approval nodes, agent-to-agent handoffs,
-- idempotency keys, approval messages. Portable SQL.

ALTER TABLE organizations ADD COLUMN holding_line TEXT NOT NULL
    DEFAULT 'Let me check that with a specialist. One moment please.';
ALTER TABLE organizations ADD COLUMN waiting_reply TEXT NOT NULL
    DEFAULT 'I''m still waiting for the specialist. Thank you for your patience.';

-- Why an active conversation is active again (`handed_back`), beside termination_reason.
ALTER TABLE conversations ADD COLUMN status_reason TEXT;

ALTER TABLE handoffs ADD COLUMN priority TEXT NOT NULL DEFAULT 'medium';

CREATE TABLE approvals (
    handoff_id       TEXT PRIMARY KEY REFERENCES handoffs(id),
    subject_kind     TEXT NOT NULL,
    subject_ref      TEXT NOT NULL,
    payload          TEXT NOT NULL,
    approver_role    TEXT,
    suspend_message  TEXT,
    timeout_at       TEXT,
    workflow_id      TEXT,
    node_id          TEXT,
    on_approve       TEXT,
    on_deny          TEXT,
    decision_note    TEXT,
    decided_by       TEXT,
    decided_at       TEXT,
    decided_payload  TEXT
);

-- Deadlines as rows: they survive restarts and fire once.
CREATE TABLE timers (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    handoff_id       TEXT NOT NULL REFERENCES handoffs(id),
    kind             TEXT NOT NULL,
    due_at           TEXT NOT NULL,
    fired_at         TEXT
);
CREATE INDEX timers_due ON timers (fired_at, due_at);

CREATE TABLE workflow_nodes (
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    workflow_id      TEXT NOT NULL,
    node_id          TEXT NOT NULL,
    definition       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (organization_id, workflow_id, node_id)
);

CREATE TABLE agent_handoffs (
    handoff_id    TEXT PRIMARY KEY REFERENCES handoffs(id),
    from_agent    TEXT NOT NULL,
    to_agent      TEXT NOT NULL,
    handoff_time  TEXT,
    context       TEXT NOT NULL
);

-- Retries of creating POSTs with an Idempotency-Key return the first response.
-- scope = SHA-256 of the API key, so keys never collide across callers.
CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER,
    response      TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_created ON idempotency_keys (created_at);
