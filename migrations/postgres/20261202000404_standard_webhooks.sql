-- Standard Webhooks (issue 14 §2). Every delivery carries `webhook-id`,
-- `webhook-timestamp` and `webhook-signature`; `signature_scheme` says whether
-- the legacy `tapin-signature` header is sent as well ('tapin-v1') or not
-- ('standard', the default for new subscriptions). Subscriptions that existed
-- before this release keep receiving the header their receivers verify today:
-- they become 'tapin-v1' until an admin switches them.
ALTER TABLE webhooks ADD COLUMN signature_scheme text COLLATE "C" NOT NULL DEFAULT 'standard';
UPDATE webhooks SET signature_scheme = 'tapin-v1';

-- After a rotation the replaced secret (sealed like `secret`, same label) still
-- signs until `previous_secret_expires_at`, so receivers can switch without
-- losing a delivery. Both NULL outside an overlap.
ALTER TABLE webhooks ADD COLUMN previous_secret text COLLATE "C";
ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at timestamptz;
