-- Each conversation's messages form their own hash chain (issue 11, item 8):
-- a message's hash links to the previous one's; the conversation keeps the head.
-- Messages written before this migration have no hash and are not covered.
ALTER TABLE messages ADD COLUMN hash TEXT;
ALTER TABLE conversations ADD COLUMN head_hash TEXT;
