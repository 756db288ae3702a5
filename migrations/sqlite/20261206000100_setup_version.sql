-- An organization's routing set-up (policies, chains, rotations, operators
-- with their contacts, push devices, time zone, default chain, Slack hook)
-- has a version that every change to it bumps in the same transaction.
-- A node keeps the set-up it read in memory and reads it again only when
-- the version moved (`service::setup`): one small read per creation instead
-- of eight, and a change on any node is seen by the next request on every
-- node. Triggers, so that no write path can forget.
ALTER TABLE organizations ADD COLUMN setup_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER organizations_setup AFTER UPDATE OF time_zone, default_chain_id, slack_webhook_url ON organizations
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = NEW.id; END;

CREATE TRIGGER policies_setup_insert AFTER INSERT ON policies
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = NEW.organization_id; END;
CREATE TRIGGER policies_setup_update AFTER UPDATE ON policies
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id IN (OLD.organization_id, NEW.organization_id); END;
CREATE TRIGGER policies_setup_delete AFTER DELETE ON policies
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = OLD.organization_id; END;

CREATE TRIGGER escalation_chains_setup_insert AFTER INSERT ON escalation_chains
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = NEW.organization_id; END;
CREATE TRIGGER escalation_chains_setup_update AFTER UPDATE ON escalation_chains
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id IN (OLD.organization_id, NEW.organization_id); END;
CREATE TRIGGER escalation_chains_setup_delete AFTER DELETE ON escalation_chains
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = OLD.organization_id; END;

CREATE TRIGGER rotations_setup_insert AFTER INSERT ON rotations
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = NEW.organization_id; END;
CREATE TRIGGER rotations_setup_update AFTER UPDATE ON rotations
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id IN (OLD.organization_id, NEW.organization_id); END;
CREATE TRIGGER rotations_setup_delete AFTER DELETE ON rotations
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = OLD.organization_id; END;

CREATE TRIGGER operators_setup_insert AFTER INSERT ON operators
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = NEW.organization_id; END;
-- A password change does not route anything.
CREATE TRIGGER operators_setup_update AFTER UPDATE OF organization_id, email, name, roles, active, phone, channels ON operators
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id IN (OLD.organization_id, NEW.organization_id); END;
CREATE TRIGGER operators_setup_delete AFTER DELETE ON operators
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = OLD.organization_id; END;

CREATE TRIGGER push_subscriptions_setup_insert AFTER INSERT ON push_subscriptions
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = NEW.organization_id; END;
CREATE TRIGGER push_subscriptions_setup_update AFTER UPDATE ON push_subscriptions
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id IN (OLD.organization_id, NEW.organization_id); END;
CREATE TRIGGER push_subscriptions_setup_delete AFTER DELETE ON push_subscriptions
BEGIN UPDATE organizations SET setup_version = setup_version + 1 WHERE id = OLD.organization_id; END;
