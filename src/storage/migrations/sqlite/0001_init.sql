-- 0001: the first schema. Instants are INTEGER unix seconds (UTC); days are INTEGER days since
-- 1970-01-01; enums are their stable text names. Applied once by storage/sqlite/migrations.cpp
-- inside a transaction and recorded in schema_migrations. Never edit a shipped migration: add
-- the next numbered file instead.

CREATE TABLE orgs (
  id         INTEGER PRIMARY KEY,
  slug       TEXT    NOT NULL UNIQUE,
  name       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE contracts (
  id                 INTEGER PRIMARY KEY,
  org_id             INTEGER NOT NULL REFERENCES orgs(id),
  modality           TEXT    NOT NULL,
  zone               TEXT    NOT NULL,
  valid_from_day     INTEGER NOT NULL,
  valid_to_day       INTEGER,            -- inclusive; NULL = open-ended
  channels           INTEGER NOT NULL,   -- bitmask of 1 << Channel
  target_critical_s  INTEGER NOT NULL,
  target_important_s INTEGER NOT NULL,
  target_normal_s    INTEGER NOT NULL,
  created_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX contracts_by_org ON contracts(org_id, id);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT    NOT NULL UNIQUE CHECK (email = lower(email)),
  name          TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  org_id        INTEGER REFERENCES orgs(id),
  password_hash TEXT    NOT NULL,
  active        INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX users_by_org ON users(org_id, id);

-- Ticket numbers come from this counter. It is bumped inside the writing transaction, so a
-- rolled-back write gives its number back and a committed number is never handed out again.
CREATE TABLE counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
INSERT INTO counters(name, value) VALUES ('ticket_number', 1001);

CREATE TABLE tickets (
  id                INTEGER PRIMARY KEY,
  number            INTEGER NOT NULL UNIQUE,
  org_id            INTEGER NOT NULL REFERENCES orgs(id),
  contract_id       INTEGER NOT NULL REFERENCES contracts(id),
  requester_id      INTEGER NOT NULL REFERENCES users(id),
  type              TEXT    NOT NULL,
  criticality       TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  channel           TEXT    NOT NULL,
  environment       TEXT    NOT NULL,
  subject           TEXT    NOT NULL,
  description       TEXT    NOT NULL,
  assignee_id       INTEGER REFERENCES users(id),   -- NULL = unassigned
  tags              TEXT    NOT NULL,               -- tags joined by U+001F (unit separator)
  received_at       INTEGER NOT NULL,
  clock_start       INTEGER NOT NULL,
  response_due      INTEGER NOT NULL,
  first_response_at INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_by_due ON tickets(response_due, number);
CREATE INDEX tickets_by_org ON tickets(org_id, response_due, number);
CREATE INDEX tickets_by_status ON tickets(status, response_due, number);
CREATE INDEX tickets_by_assignee ON tickets(assignee_id, response_due, number);

CREATE TABLE articles (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  author_id  INTEGER NOT NULL REFERENCES users(id),
  body       TEXT    NOT NULL,
  internal   INTEGER NOT NULL,
  channel    TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX articles_by_ticket ON articles(ticket_id, id);

CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
  article_id   INTEGER REFERENCES articles(id),
  sha256       TEXT    NOT NULL,
  filename     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  uploaded_by  INTEGER NOT NULL REFERENCES users(id),
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_by_ticket ON attachments(ticket_id, id);

CREATE TABLE ticket_events (
  id        INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  actor_id  INTEGER REFERENCES users(id),           -- NULL = the system
  at        INTEGER NOT NULL,
  field     TEXT    NOT NULL,
  before    TEXT    NOT NULL,
  after     TEXT    NOT NULL
) STRICT;
CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id, id);
-- The history is append-only: no row is ever rewritten or removed.
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

CREATE TABLE sessions (
  token_hash TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT    NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  name       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
