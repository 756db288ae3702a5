-- Canned replies for takeover chats: an organization's snippets, inserted
-- with `/shortcut` in the chat box (issue 15).
CREATE TABLE snippets (
    id              text COLLATE "C" PRIMARY KEY,
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id),
    shortcut        text COLLATE "C" NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (organization_id, shortcut)
);
