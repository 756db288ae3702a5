-- Web Push subscriptions: one row per browser (endpoint), owned by the operator
-- who enabled notifications there. Re-subscribing moves the row; a push service
-- answering 404/410 deletes it.
CREATE TABLE push_subscriptions (
    endpoint         TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    operator_id      TEXT NOT NULL REFERENCES operators(id),
    p256dh           TEXT NOT NULL,
    auth             TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX push_subscriptions_by_operator ON push_subscriptions (operator_id);
