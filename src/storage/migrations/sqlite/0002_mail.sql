-- 0002: the email channel. The outbox (mail to send, written in the transaction of the change it
-- reports), the Message-IDs that thread mail to tickets, inbound mail kept for agents, the IMAP
-- position per mailbox and the log of automatic answers (per-sender rate limit).

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  created_at      INTEGER NOT NULL,
  kind            TEXT    NOT NULL,
  to_address      TEXT    NOT NULL,
  subject         TEXT    NOT NULL,
  body_text       TEXT    NOT NULL,
  message_id      TEXT    NOT NULL UNIQUE,
  in_reply_to     TEXT    NOT NULL,
  refs            TEXT    NOT NULL,
  auto_submitted  TEXT    NOT NULL,
  lang            TEXT    NOT NULL,
  ticket_id       INTEGER REFERENCES tickets(id),  -- NULL: about no ticket
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,                         -- a delivering node's lease
  sent_at         INTEGER,
  last_error      TEXT    NOT NULL
) STRICT;
-- The delivery job's scan: unsent rows by due time.
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE sent_at IS NULL;
CREATE INDEX outbox_by_ticket ON outbox(ticket_id, id);

CREATE TABLE mail_message_ids (
  message_id TEXT    PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  article_id INTEGER REFERENCES articles(id),
  outbound   INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  seq        INTEGER NOT NULL                      -- insertion order within the ticket
) STRICT;
CREATE INDEX mail_message_ids_by_ticket ON mail_message_ids(ticket_id, seq);

CREATE TABLE inbound_unassigned (
  id           INTEGER PRIMARY KEY,
  received_at  INTEGER NOT NULL,
  from_address TEXT    NOT NULL,
  subject      TEXT    NOT NULL,
  message_id   TEXT    NOT NULL,
  body_text    TEXT    NOT NULL,
  raw_sha256   TEXT    NOT NULL,
  raw_size     INTEGER NOT NULL,
  reason       TEXT    NOT NULL
) STRICT;
CREATE INDEX inbound_unassigned_by_message_id ON inbound_unassigned(message_id);

CREATE TABLE imap_state (
  mailbox     TEXT    PRIMARY KEY,
  uidvalidity INTEGER NOT NULL,
  last_uid    INTEGER NOT NULL
) STRICT;

CREATE TABLE mail_auto_replies (
  id      INTEGER PRIMARY KEY,
  address TEXT    NOT NULL,
  at      INTEGER NOT NULL
) STRICT;
CREATE INDEX mail_auto_replies_by_address ON mail_auto_replies(address, at);
