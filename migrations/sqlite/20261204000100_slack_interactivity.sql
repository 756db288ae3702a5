-- Slack interactivity (issue 14 §3): the organization's Slack app signing
-- secret (sealed with the organization's data key, label
-- `slack_signing_secret:<org id>`), and which Slack user is which operator.
-- An operator has at most one Slack user; a Slack user is one operator of an
-- organization.
CREATE TABLE slack_settings (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(id),
    signing_secret  TEXT,
    updated_at      TEXT NOT NULL
);

CREATE TABLE slack_users (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    slack_user_id   TEXT NOT NULL,
    operator_id     TEXT NOT NULL UNIQUE REFERENCES operators(id),
    PRIMARY KEY (organization_id, slack_user_id)
);
