-- tapin schema v1. Portable SQL (SQLite now, PostgreSQL later): TEXT ids (UUIDv7),
-- RFC 3339 UTC timestamps as TEXT (they sort lexicographically), JSON as TEXT.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- Head of the organization's audit hash chain; moved in the same
    -- transaction as every appended event.
    audit_seq   BIGINT NOT NULL DEFAULT 0,
    audit_head  TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);

CREATE TABLE api_keys (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    name             TEXT NOT NULL,
    -- First characters of the key, to recognise it in lists; the key itself is never stored.
    prefix           TEXT NOT NULL,
    key_hash         TEXT NOT NULL UNIQUE,
    scopes           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    revoked_at       TEXT
);

CREATE TABLE operators (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    email            TEXT NOT NULL,
    name             TEXT NOT NULL,
    roles            TEXT NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    UNIQUE (organization_id, email)
);

CREATE TABLE conversations (
    id                  TEXT PRIMARY KEY,
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    external_ref        TEXT,
    status              TEXT NOT NULL,
    termination_reason  TEXT,
    last_seq            BIGINT NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX conversations_org ON conversations (organization_id, id);

CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    seq              BIGINT NOT NULL,
    author           TEXT NOT NULL,
    content          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (conversation_id, seq)
);

CREATE TABLE handoffs (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL,
    version          BIGINT NOT NULL,
    conversation_id  TEXT REFERENCES conversations(id),
    source           TEXT NOT NULL,
    packet           TEXT NOT NULL,
    transcript_ptr   TEXT,
    assignee         TEXT REFERENCES operators(id),
    decision         TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    resolved_at      TEXT
);
CREATE INDEX handoffs_org_state ON handoffs (organization_id, state, id);
CREATE INDEX handoffs_org_id ON handoffs (organization_id, id);

-- Append-only audit log, hash-chained per organization.
CREATE TABLE handoff_events (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    seq              BIGINT NOT NULL,
    handoff_id       TEXT NOT NULL REFERENCES handoffs(id),
    event            TEXT NOT NULL,
    from_state       TEXT,
    to_state         TEXT NOT NULL,
    actor            TEXT NOT NULL,
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL,
    UNIQUE (organization_id, seq)
);
CREATE INDEX handoff_events_handoff ON handoff_events (handoff_id, seq);

-- Work for webhooks / push / live streams, written with the fact, delivered after commit.
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    event_id         TEXT NOT NULL REFERENCES handoff_events(id),
    handoff_id       TEXT NOT NULL,
    topic            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    available_at     TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    delivered_at     TEXT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, available_at);

-- Consumed signed-link nonces: a second use hits the primary key.
CREATE TABLE link_nonces (
    nonce        TEXT PRIMARY KEY,
    handoff_id   TEXT NOT NULL REFERENCES handoffs(id),
    operator_id  TEXT NOT NULL REFERENCES operators(id),
    consumed_at  TEXT NOT NULL
);

CREATE TABLE operator_sessions (
    token_hash       TEXT PRIMARY KEY,
    operator_id      TEXT NOT NULL REFERENCES operators(id),
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL
);

-- Server secrets generated on first start (link signing key, …); never in the repo.
CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
