-- Four-eyes and quorum approvals (issue 14 §3). `requested_by` is the operator
-- on whose behalf the agent asked; with `four_eyes` that operator (and the
-- requesting key) cannot decide. `required_approvals` approvals decide it
-- (from that many different roles with `distinct_roles`); each approve before
-- then is a vote, one row per voter (an actor label: `operator:<id>`, `api_key:<id>`).
ALTER TABLE approvals ADD COLUMN requested_by text COLLATE "C";
ALTER TABLE approvals ADD COLUMN four_eyes boolean NOT NULL DEFAULT false;
ALTER TABLE approvals ADD COLUMN required_approvals bigint NOT NULL DEFAULT 1;
ALTER TABLE approvals ADD COLUMN distinct_roles boolean NOT NULL DEFAULT false;

CREATE TABLE approval_votes (
    handoff_id text COLLATE "C" NOT NULL REFERENCES handoffs(id),
    voter      text COLLATE "C" NOT NULL,
    roles      text COLLATE "C" NOT NULL, -- JSON array: the voter's roles when they voted
    voted_at   timestamptz NOT NULL,
    PRIMARY KEY (handoff_id, voter)
);
