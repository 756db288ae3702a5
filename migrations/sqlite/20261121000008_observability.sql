-- Messages become webhook events (`conversation.message`). A message is not an
-- audit event, so an outbox row (and a delivery) no longer points at one: it
-- says what it is ordered within (`ordering_key`: the handoff for lifecycle
-- events, the conversation for messages) and where (`seq`: the audit seq, or
-- the message seq). SQLite cannot drop NOT NULL or REFERENCES from a column,
-- so both tables are rebuilt with their rows.

CREATE TABLE outbox_rebuilt (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    event_id         TEXT NOT NULL,          -- handoff_events.id, or a message event's own id
    handoff_id       TEXT,                   -- null: a message while no handoff is open
    conversation_id  TEXT,                   -- set for conversation.message
    ordering_key     TEXT NOT NULL,          -- handoff id, or conversation id for messages
    seq              BIGINT NOT NULL,        -- audit seq, or message seq: order within ordering_key
    topic            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    available_at     TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    delivered_at     TEXT
);
INSERT INTO outbox_rebuilt (id, organization_id, event_id, handoff_id, conversation_id,
    ordering_key, seq, topic, payload, created_at, available_at, attempts, delivered_at)
SELECT o.id, o.organization_id, o.event_id, o.handoff_id, NULL, o.handoff_id, e.seq, o.topic,
    o.payload, o.created_at, o.available_at, o.attempts, o.delivered_at
FROM outbox o JOIN handoff_events e ON e.id = o.event_id;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (delivered_at, available_at);

CREATE TABLE webhook_deliveries_rebuilt (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    ordering_key     TEXT NOT NULL,          -- as in the outbox: deliveries wait for older ones of the same key
    seq              INTEGER NOT NULL,
    handoff_id       TEXT,
    conversation_id  TEXT,
    topic            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending',   -- pending | delivered | dead
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_status      INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT,
    UNIQUE (webhook_id, event_id)
);
INSERT INTO webhook_deliveries_rebuilt (id, webhook_id, organization_id, event_id, ordering_key,
    seq, handoff_id, conversation_id, topic, payload, status, attempts, next_attempt_at,
    last_status, last_error, created_at, delivered_at)
SELECT id, webhook_id, organization_id, event_id, handoff_id, seq, handoff_id, NULL, topic,
    payload, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at
FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_rebuilt RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (webhook_id, ordering_key, status, seq);

-- Each appended message looks up its conversation's open handoff (for the
-- webhook payload); without this it would scan the organization's open handoffs.
CREATE INDEX handoffs_conversation ON handoffs (conversation_id, state);
