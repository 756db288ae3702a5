-- Seed 003's leads: the person a conversation is with, created by
-- POST /api/v1/leads. A lead is its conversation (same id), so
-- POST /api/v1/leads/{id}/handoff escalates that conversation.
CREATE TABLE leads (
    id              text COLLATE "C" PRIMARY KEY REFERENCES conversations(id),
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id),
    name            text,
    email           text,
    phone           text,
    source          text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX leads_by_org ON leads (organization_id, created_at);
