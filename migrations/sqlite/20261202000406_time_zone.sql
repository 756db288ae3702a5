-- The organization's IANA time zone (issue 15): policy conditions read the
-- hour and weekday in it, rotations hand over at its wall-clock time and the
-- pages show times in it. UTC until an admin sets another.
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
