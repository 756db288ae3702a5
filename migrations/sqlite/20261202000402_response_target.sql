-- How soon an open handoff should be picked up: the inbox colours waiting
-- times against it (issue 15). Five minutes until an admin sets another.
ALTER TABLE organizations ADD COLUMN response_target_seconds BIGINT NOT NULL DEFAULT 300;
