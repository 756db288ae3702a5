-- Canned replies for takeover chats: an organization's snippets, inserted
-- with `/shortcut` in the chat box (issue 15).
CREATE TABLE snippets (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    shortcut        TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (organization_id, shortcut)
);
