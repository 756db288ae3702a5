-- Typed answers (issue 14 §3): an approval may carry a JSON Schema for what
-- the person answers (`ask_human` questions always may), and the answer given.
ALTER TABLE approvals ADD COLUMN response_schema text COLLATE "C";   -- JSON
ALTER TABLE approvals ADD COLUMN answer text COLLATE "C";            -- JSON
