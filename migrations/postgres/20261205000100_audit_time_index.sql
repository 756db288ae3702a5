-- An audit export of a time window starts at the window's first event
-- (`first_seq_since`) instead of reading the chain from its beginning.
CREATE INDEX handoff_events_org_time ON handoff_events (organization_id, created_at);
