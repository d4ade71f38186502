-- 0017: live chat (issue 13). A chat is one conversation between a visitor (name + email, a chat
-- token whose SHA-256 is kept here) or a portal customer (user_id) and the agents; its state
-- moves waiting → taken (taken_by) → closed, the take being a conditional UPDATE (WHERE state =
-- 'waiting') so that one agent on one node wins. Messages are rows numbered 1, 2, 3… per chat
-- (chats.last_seq, raised in the transaction that adds one): a reconnecting client asks for the
-- rows after the last seq it holds. A client-chosen id is unique per chat so a resend after a
-- drop is recognised. The wait alert is a due instant on the chat claimed with a lease
-- (claimed_by, lease_until) by the chat-wait job: the job follows chats_wait_alert_due, only
-- alerts not done. Plain SQL types, no SQLite-only syntax, so PostgreSQL keeps the same shape.

CREATE TABLE chats (
  id               INTEGER PRIMARY KEY,
  visitor_name     TEXT    NOT NULL,
  visitor_email    TEXT    NOT NULL,
  user_id          INTEGER REFERENCES users(id),     -- the portal customer; NULL = a visitor
  org_id           INTEGER REFERENCES orgs(id),      -- when known
  origin           TEXT    NOT NULL DEFAULT '',
  lang             TEXT    NOT NULL DEFAULT 'es',
  state            TEXT    NOT NULL DEFAULT 'waiting', -- waiting | taken | closed
  created_at       INTEGER NOT NULL,
  first_message_at INTEGER,                          -- the visitor's first message
  taken_by         INTEGER REFERENCES users(id),
  taken_at         INTEGER,
  closed_at        INTEGER,
  token_hash       TEXT,                             -- hex SHA-256 of the chat token; NULL = none
  last_seq         INTEGER NOT NULL DEFAULT 0,
  visitor_read     INTEGER NOT NULL DEFAULT 0,
  agent_read       INTEGER NOT NULL DEFAULT 0,
  ticket_id        INTEGER REFERENCES tickets(id),
  wait_alert_due   INTEGER,                          -- NULL = never alerts
  wait_alert_done  INTEGER,                          -- when the job dealt with it
  claimed_by       TEXT    NOT NULL DEFAULT '',
  lease_until      INTEGER
) STRICT;
CREATE UNIQUE INDEX chats_token ON chats(token_hash) WHERE token_hash IS NOT NULL;
CREATE INDEX chats_open ON chats(created_at, id) WHERE state <> 'closed';
CREATE INDEX chats_of_user ON chats(user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX chats_wait_alert_due ON chats(wait_alert_due, id)
  WHERE wait_alert_due IS NOT NULL AND wait_alert_done IS NULL;

CREATE TABLE chat_messages (
  chat_id     INTEGER NOT NULL REFERENCES chats(id),
  seq         INTEGER NOT NULL,
  client_id   TEXT    NOT NULL DEFAULT '',           -- '' = none (the desk's own messages)
  author      TEXT    NOT NULL,                      -- visitor | agent | system
  author_id   INTEGER REFERENCES users(id),
  body        TEXT    NOT NULL,
  attachments TEXT    NOT NULL DEFAULT '',           -- attachment ids joined by ','
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (chat_id, seq)
) STRICT;
CREATE UNIQUE INDEX chat_messages_client ON chat_messages(chat_id, client_id) WHERE client_id <> '';

CREATE TABLE chat_handoffs (
  id        INTEGER PRIMARY KEY,
  chat_id   INTEGER NOT NULL REFERENCES chats(id),
  from_user INTEGER NOT NULL REFERENCES users(id),
  to_user   INTEGER NOT NULL REFERENCES users(id),
  at        INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_handoffs_by_chat ON chat_handoffs(chat_id, id);
