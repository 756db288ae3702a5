-- Assist handoffs (issue 13): what the browser agent said about its stuck
-- screen, and its captured state. `frame`, `dom_snapshot` and
-- `browser_state` (cookies + storage) are sealed with the organization's data
-- key (`sealed:v1:…`); the housekeeping purges them a configured time after
-- the handoff ends (`purged_at`).
CREATE TABLE assist_handoffs (
    handoff_id        TEXT COLLATE "C" PRIMARY KEY REFERENCES handoffs(id),
    organization_id   TEXT COLLATE "C" NOT NULL,
    agent_id          TEXT NOT NULL,
    interruption_type TEXT NOT NULL,
    domain            TEXT NOT NULL,
    url               TEXT NOT NULL,
    question          TEXT NOT NULL,
    input             TEXT NOT NULL,
    viewport_width    BIGINT,
    viewport_height   BIGINT,
    frame_seq         BIGINT NOT NULL DEFAULT 0,
    frame_type        TEXT,
    frame             TEXT,
    frame_at          timestamptz,
    dom_snapshot      TEXT,
    browser_state     TEXT,
    action_seq        BIGINT NOT NULL DEFAULT 0,
    last_action_at    timestamptz,
    purged_at         timestamptz
);

-- The operator's clicks, text and keys on their way to the agent; sealed, and
-- deleted once the agent acknowledged them (`after=` past their seq).
CREATE TABLE assist_actions (
    handoff_id      TEXT COLLATE "C" NOT NULL REFERENCES handoffs(id),
    seq             BIGINT NOT NULL,
    organization_id TEXT COLLATE "C" NOT NULL,
    action          TEXT NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (handoff_id, seq)
);
