-- tapin schema for PostgreSQL (13 or newer): the final state of
-- migrations/sqlite in one migration, with PostgreSQL's own types.
--
--   * ids are text (UUIDv7 strings, as the domain builds them);
--   * seqs, counters, versions, positions are bigint; HTTP status codes integer;
--   * flags are boolean;
--   * every server time is timestamptz (microseconds, like the RFC 3339
--     strings the domain writes; the store formats them back exactly);
--   * JSON is text: the service parses and validates it, no query looks
--     inside it, and some of it must stay byte-exact (see handoff_events.data,
--     outbox.payload, webhook_deliveries.payload). jsonb would re-order keys
--     and re-space the text.
--   * text is COLLATE "C": ordering and cursor comparisons (ORDER BY id,
--     id < cursor, ORDER BY name) are byte order, as in SQLite, whatever the
--     cluster's locale.

CREATE TABLE organizations (
    id                 text COLLATE "C" PRIMARY KEY,
    slug               text COLLATE "C" NOT NULL UNIQUE,
    name               text COLLATE "C" NOT NULL,
    created_at         timestamptz NOT NULL,
    -- Head of the organization's audit hash chain; moved in the same
    -- transaction as every appended event, with this row locked (FOR NO KEY UPDATE)
    -- so writers on several nodes extend the chain one at a time.
    audit_seq          bigint NOT NULL DEFAULT 0,
    audit_head         text COLLATE "C" NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    holding_line       text COLLATE "C" NOT NULL
        DEFAULT 'Let me check that with a specialist. One moment please.',
    waiting_reply      text COLLATE "C" NOT NULL
        DEFAULT 'I''m still waiting for the specialist. Thank you for your patience.',
    -- The route when no policy matches (NULL: the built-in "everyone who may act").
    default_chain_id   text COLLATE "C",
    slack_webhook_url  text COLLATE "C"
);

CREATE TABLE api_keys (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    name             text COLLATE "C" NOT NULL,
    -- First characters of the key, to recognise it in lists; the key itself is never stored.
    prefix           text COLLATE "C" NOT NULL,
    key_hash         text COLLATE "C" NOT NULL UNIQUE,
    scopes           text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    revoked_at       timestamptz
);

CREATE TABLE operators (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    email            text COLLATE "C" NOT NULL,
    name             text COLLATE "C" NOT NULL,
    roles            text COLLATE "C" NOT NULL DEFAULT '',
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL,
    -- argon2id PHC string. NULL: link-only operator.
    password_hash    text COLLATE "C",
    phone            text COLLATE "C",
    -- JSON {low|medium|high|urgent: [push|email|slack|sms|voice]}; NULL: the defaults.
    channels         text COLLATE "C",
    UNIQUE (organization_id, email)
);

CREATE TABLE conversations (
    id                  text COLLATE "C" PRIMARY KEY,
    organization_id     text COLLATE "C" NOT NULL REFERENCES organizations(id),
    external_ref        text COLLATE "C",
    status              text COLLATE "C" NOT NULL,
    termination_reason  text COLLATE "C",
    -- Why an active conversation is active again (`handed_back`).
    status_reason       text COLLATE "C",
    last_seq            bigint NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX conversations_org ON conversations (organization_id, id);

CREATE TABLE messages (
    id               text COLLATE "C" PRIMARY KEY,
    conversation_id  text COLLATE "C" NOT NULL REFERENCES conversations(id),
    seq              bigint NOT NULL,
    author           text COLLATE "C" NOT NULL,
    content          text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    -- A client-generated reference: a retried send gets the first message back.
    client_ref       text COLLATE "C",
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX messages_client_ref ON messages (conversation_id, client_ref);

CREATE TABLE handoffs (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    kind             text COLLATE "C" NOT NULL,
    state            text COLLATE "C" NOT NULL,
    version          bigint NOT NULL,
    conversation_id  text COLLATE "C" REFERENCES conversations(id),
    source           text COLLATE "C" NOT NULL,
    packet           text COLLATE "C" NOT NULL,          -- JSON
    transcript_ptr   text COLLATE "C",
    assignee         text COLLATE "C" REFERENCES operators(id),
    decision         text COLLATE "C",
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    resolved_at      timestamptz,
    priority         text COLLATE "C" NOT NULL DEFAULT 'medium'
);
CREATE INDEX handoffs_org_state ON handoffs (organization_id, state, id);
CREATE INDEX handoffs_org_id ON handoffs (organization_id, id);
CREATE INDEX handoffs_conversation ON handoffs (conversation_id, state);

-- Append-only audit log, hash-chained per organization.
CREATE TABLE handoff_events (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    seq              bigint NOT NULL,
    handoff_id       text COLLATE "C" NOT NULL REFERENCES handoffs(id),
    event            text COLLATE "C" NOT NULL,
    from_state       text COLLATE "C",
    to_state         text COLLATE "C" NOT NULL,
    actor            text COLLATE "C" NOT NULL,
    -- JSON, but text on purpose: `hash` covers these exact bytes; jsonb would
    -- re-order and re-space them and every verification would fail.
    data             text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    prev_hash        text COLLATE "C" NOT NULL,
    hash             text COLLATE "C" NOT NULL,
    UNIQUE (organization_id, seq)
);
CREATE INDEX handoff_events_handoff ON handoff_events (handoff_id, seq);

-- Work for webhooks / push / live streams, written with the fact, delivered
-- after commit. A message event is no audit event: `ordering_key` says what a
-- row is ordered within (the handoff, or the conversation for messages) and
-- `seq` where (the audit seq, or the message seq).
CREATE TABLE outbox (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    event_id         text COLLATE "C" NOT NULL,
    handoff_id       text COLLATE "C",
    conversation_id  text COLLATE "C",
    ordering_key     text COLLATE "C" NOT NULL,
    seq              bigint NOT NULL,
    topic            text COLLATE "C" NOT NULL,
    -- JSON, text on purpose: webhook deliveries sign these exact bytes.
    payload          text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    available_at     timestamptz NOT NULL,
    attempts         bigint NOT NULL DEFAULT 0,
    delivered_at     timestamptz
);
CREATE INDEX outbox_pending ON outbox (delivered_at, available_at);

-- Consumed signed-link nonces: a second use hits the primary key.
CREATE TABLE link_nonces (
    nonce        text COLLATE "C" PRIMARY KEY,
    handoff_id   text COLLATE "C" NOT NULL REFERENCES handoffs(id),
    operator_id  text COLLATE "C" NOT NULL REFERENCES operators(id),
    consumed_at  timestamptz NOT NULL
);

CREATE TABLE operator_sessions (
    token_hash       text COLLATE "C" PRIMARY KEY,
    operator_id      text COLLATE "C" NOT NULL REFERENCES operators(id),
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL
);

-- Server secrets generated on first start (link signing key, …); never in the repo.
CREATE TABLE server_secrets (
    name        text COLLATE "C" PRIMARY KEY,
    value       text COLLATE "C" NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE approvals (
    handoff_id       text COLLATE "C" PRIMARY KEY REFERENCES handoffs(id),
    subject_kind     text COLLATE "C" NOT NULL,
    subject_ref      text COLLATE "C" NOT NULL,
    payload          text COLLATE "C" NOT NULL,          -- JSON object
    approver_role    text COLLATE "C",
    suspend_message  text COLLATE "C",
    timeout_at       timestamptz,
    workflow_id      text COLLATE "C",
    node_id          text COLLATE "C",
    on_approve       text COLLATE "C",
    on_deny          text COLLATE "C",
    decision_note    text COLLATE "C",
    decided_by       text COLLATE "C",
    decided_at       timestamptz,
    decided_payload  text COLLATE "C"                    -- JSON object
);

-- Deadlines as rows: they survive restarts and fire once.
CREATE TABLE timers (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    handoff_id       text COLLATE "C" NOT NULL REFERENCES handoffs(id),
    kind             text COLLATE "C" NOT NULL,
    due_at           timestamptz NOT NULL,
    fired_at         timestamptz,
    -- Escalation timers carry their step (JSON).
    data             text COLLATE "C"
);
CREATE INDEX timers_due ON timers (fired_at, due_at);

CREATE TABLE workflow_nodes (
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    workflow_id      text COLLATE "C" NOT NULL,
    node_id          text COLLATE "C" NOT NULL,
    definition       text COLLATE "C" NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, workflow_id, node_id)
);

CREATE TABLE agent_handoffs (
    handoff_id    text COLLATE "C" PRIMARY KEY REFERENCES handoffs(id),
    from_agent    text COLLATE "C" NOT NULL,
    to_agent      text COLLATE "C" NOT NULL,
    -- The calling agent's own RFC 3339 string (any offset), kept as sent: it
    -- is the agent's data, echoed back unchanged, not a server time.
    handoff_time  text COLLATE "C",
    context       text COLLATE "C" NOT NULL                  -- JSON
);

-- Retries of creating POSTs with an Idempotency-Key return the first response.
-- scope = SHA-256 of the API key, so keys never collide across callers.
CREATE TABLE idempotency_keys (
    scope         text COLLATE "C" NOT NULL,
    idem_key      text COLLATE "C" NOT NULL,
    request_hash  text COLLATE "C" NOT NULL,
    status        integer,
    response      text COLLATE "C",
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_created ON idempotency_keys (created_at);

-- Web Push subscriptions: one row per browser (endpoint), owned by the operator
-- who enabled notifications there.
CREATE TABLE push_subscriptions (
    endpoint         text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    operator_id      text COLLATE "C" NOT NULL REFERENCES operators(id),
    p256dh           text COLLATE "C" NOT NULL,
    auth             text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX push_subscriptions_by_operator ON push_subscriptions (operator_id);

CREATE TABLE webhooks (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    url              text COLLATE "C" NOT NULL,
    events           text COLLATE "C" NOT NULL,          -- JSON array of event names, or ["*"]
    secret           text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX webhooks_by_org ON webhooks (organization_id);

CREATE TABLE webhook_deliveries (
    id               text COLLATE "C" PRIMARY KEY,
    webhook_id       text COLLATE "C" NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    organization_id  text COLLATE "C" NOT NULL,
    event_id         text COLLATE "C" NOT NULL,
    ordering_key     text COLLATE "C" NOT NULL,          -- deliveries wait for older ones of the same key
    seq              bigint NOT NULL,
    handoff_id       text COLLATE "C",
    conversation_id  text COLLATE "C",
    topic            text COLLATE "C" NOT NULL,
    -- JSON, text on purpose: the `tapin-signature` HMAC covers these exact bytes.
    payload          text COLLATE "C" NOT NULL,
    status           text COLLATE "C" NOT NULL DEFAULT 'pending',   -- pending | delivered | dead
    attempts         bigint NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_status      integer,
    last_error       text COLLATE "C",
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (webhook_id, ordering_key, status, seq);

CREATE TABLE rotations (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    name             text COLLATE "C" NOT NULL,
    operators        text COLLATE "C" NOT NULL,          -- JSON array of operator ids, in turn order
    starts_at        timestamptz NOT NULL,               -- first handover; each turn lasts a week
    overrides        text COLLATE "C" NOT NULL,          -- JSON [{operator_id, starts_at, ends_at}]
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX rotations_by_org ON rotations (organization_id);

CREATE TABLE escalation_chains (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    name             text COLLATE "C" NOT NULL,
    steps            text COLLATE "C" NOT NULL,          -- JSON [{targets: [...], wait_seconds}]
    repeat_count     bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX escalation_chains_by_org ON escalation_chains (organization_id);

-- Evaluated in `position` order at creation; the first match wins.
CREATE TABLE policies (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    position         bigint NOT NULL,
    name             text COLLATE "C" NOT NULL,
    condition        text COLLATE "C" NOT NULL,
    actions          text COLLATE "C" NOT NULL,          -- JSON {route, priority, auto_resolve, expire_after_seconds}
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX policies_by_org ON policies (organization_id, position);

CREATE TABLE notifications (
    id               text COLLATE "C" PRIMARY KEY,
    organization_id  text COLLATE "C" NOT NULL REFERENCES organizations(id),
    handoff_id       text COLLATE "C" NOT NULL REFERENCES handoffs(id),
    operator_id      text COLLATE "C",
    channel          text COLLATE "C" NOT NULL,
    step             bigint NOT NULL,
    outcome          text COLLATE "C" NOT NULL,          -- sent | failed | skipped
    detail           text COLLATE "C",
    created_at       timestamptz NOT NULL
);
CREATE INDEX notifications_by_handoff ON notifications (handoff_id, created_at);
