-- Four-eyes and quorum approvals (issue 14 §3). `requested_by` is the operator
-- on whose behalf the agent asked; with `four_eyes` that operator (and the
-- requesting key) cannot decide. `required_approvals` approvals decide it
-- (from that many different roles with `distinct_roles`); each approve before
-- then is a vote, one row per voter (an actor label: `operator:<id>`, `api_key:<id>`).
ALTER TABLE approvals ADD COLUMN requested_by TEXT;
ALTER TABLE approvals ADD COLUMN four_eyes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE approvals ADD COLUMN required_approvals INTEGER NOT NULL DEFAULT 1;
ALTER TABLE approvals ADD COLUMN distinct_roles INTEGER NOT NULL DEFAULT 0;

CREATE TABLE approval_votes (
    handoff_id TEXT NOT NULL REFERENCES handoffs(id),
    voter      TEXT NOT NULL,
    roles      TEXT NOT NULL, -- JSON array: the voter's roles when they voted
    voted_at   TEXT NOT NULL,
    PRIMARY KEY (handoff_id, voter)
);
