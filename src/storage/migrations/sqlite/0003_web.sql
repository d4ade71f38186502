-- 0003: what the web UI needs beyond the ticket API: password reset links (only the token's hash is
-- stored; one live link per user, replaced by a newer request and removed when used) and the vendor's
-- contact settings edited by admins (key/value; absent keys fall back to `soporte serve` options);
-- the caller and length of phone calls logged on a ticket.

CREATE TABLE password_resets (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id),
  token_hash TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- A phone call logged on a ticket (an article with channel phone): the person on the line and
-- the call's length. NULL for every other article.
ALTER TABLE articles ADD COLUMN call_caller  TEXT;
ALTER TABLE articles ADD COLUMN call_minutes INTEGER;
