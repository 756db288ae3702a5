-- Work a node has claimed: outbox rows being fanned out, webhook deliveries
-- being posted, timers being fired. `claimed_by` is the node, `lease_until`
-- when another node may take the work over (a node that died mid-way).
-- Claims are taken with FOR UPDATE SKIP LOCKED.
ALTER TABLE outbox ADD COLUMN claimed_by text COLLATE "C";
ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by text COLLATE "C";
ALTER TABLE webhook_deliveries ADD COLUMN lease_until timestamptz;
ALTER TABLE timers ADD COLUMN claimed_by text COLLATE "C";
ALTER TABLE timers ADD COLUMN lease_until timestamptz;

-- A delivery waits until every older outbox row of its key is fanned out.
CREATE INDEX outbox_unsent_by_key ON outbox (ordering_key, seq) WHERE delivered_at IS NULL;
-- Deliveries in flight per organization (the fairness cap).
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (organization_id, lease_until)
    WHERE status = 'pending' AND lease_until IS NOT NULL;

-- Each API key's request budget, shared by every node (GCRA: the key's
-- theoretical arrival time, in microseconds since the epoch). Unlogged: a
-- budget needs no crash safety, and skipping the WAL keeps the per-request
-- upsert cheap.
CREATE UNLOGGED TABLE rate_limits (
    key     text COLLATE "C" PRIMARY KEY,
    tat_us  bigint NOT NULL
);
