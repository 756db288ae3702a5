-- A client-generated reference per message: an operator's phone that retries a
-- send after a lost response gets the first message back instead of a duplicate.
ALTER TABLE messages ADD COLUMN client_ref TEXT;
CREATE UNIQUE INDEX messages_client_ref ON messages (conversation_id, client_ref);
