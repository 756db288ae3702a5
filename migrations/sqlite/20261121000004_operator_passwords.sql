-- Password sign-in for operators (argon2id PHC strings). NULL: link-only operator.
ALTER TABLE operators ADD COLUMN password_hash TEXT;
