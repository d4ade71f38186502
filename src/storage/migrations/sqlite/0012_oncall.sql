-- 0012: the on-call rota and paging (issue 12, parts 3 and 4). A rota is a weekly pattern of
-- shifts in a zone plus one-off overrides; a page is a row written in the transaction of the
-- change that caused it (a new Crítico ticket out of hours, an SLA threshold), escalated by the
-- paging job when unacknowledged at escalate_at; each delivery to the gateway command is a row
-- claimed with a lease. Instants are seconds since the epoch (UTC).

CREATE TABLE oncall_rotas (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  zone       TEXT    NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- A weekly shift: starts on weekday (0 = Monday) at start_s seconds after local midnight and
-- lasts length_s seconds of wall-clock time.
CREATE TABLE oncall_shifts (
  rota_id      INTEGER NOT NULL REFERENCES oncall_rotas(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  start_s      INTEGER NOT NULL CHECK (start_s >= 0 AND start_s < 86400),
  length_s     INTEGER NOT NULL CHECK (length_s > 0 AND length_s <= 604800),
  primary_id   INTEGER NOT NULL REFERENCES users(id),
  secondary_id INTEGER REFERENCES users(id),
  PRIMARY KEY (rota_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE oncall_overrides (
  rota_id  INTEGER NOT NULL REFERENCES oncall_rotas(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  from_at  INTEGER NOT NULL,
  until_at INTEGER NOT NULL CHECK (until_at > from_at),
  level    INTEGER NOT NULL CHECK (level IN (0, 1)),
  user_id  INTEGER NOT NULL REFERENCES users(id),
  note     TEXT    NOT NULL,
  PRIMARY KEY (rota_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE pages (
  id               INTEGER PRIMARY KEY,
  ticket_id        INTEGER NOT NULL REFERENCES tickets(id),
  reason           TEXT    NOT NULL,
  due              INTEGER NOT NULL,
  level            INTEGER NOT NULL,
  rota_id          INTEGER,              -- no reference: a rota may be deleted, its pages stay
  created_at       INTEGER NOT NULL,
  escalate_at      INTEGER,              -- NULL once the chain's last level was paged
  claimed_until    INTEGER,
  acknowledged_at  INTEGER,
  acknowledged_by  INTEGER REFERENCES users(id),
  acknowledged_via TEXT    NOT NULL,
  UNIQUE (ticket_id, reason, due)
) STRICT;
-- The escalation scan: unacknowledged pages by their escalation instant (cost follows what is due).
CREATE INDEX pages_escalate ON pages(escalate_at, id)
  WHERE acknowledged_at IS NULL AND escalate_at IS NOT NULL;
CREATE INDEX pages_open ON pages(id) WHERE acknowledged_at IS NULL;

CREATE TABLE page_deliveries (
  id              INTEGER PRIMARY KEY,
  page_id         INTEGER NOT NULL REFERENCES pages(id),
  level           INTEGER NOT NULL,
  user_id         INTEGER NOT NULL REFERENCES users(id),
  ack_hash        TEXT    NOT NULL UNIQUE,
  pending_token   TEXT    NOT NULL,        -- the link's token until sent; '' once sent or skipped
  ack_expires_at  INTEGER NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  sent_at         INTEGER,
  last_error      TEXT    NOT NULL,
  skipped_at      INTEGER
) STRICT;
-- The delivery scan: pending deliveries by due time.
CREATE INDEX page_deliveries_due ON page_deliveries(next_attempt_at, id)
  WHERE sent_at IS NULL AND skipped_at IS NULL;
CREATE INDEX page_deliveries_by_page ON page_deliveries(page_id, id);

-- The phone line (part 6): a logged call is incoming (the customer called) or outgoing (support
-- called back; allowed on any ticket, 8x5 included). NULL on calls logged before: incoming.
ALTER TABLE articles ADD COLUMN call_direction TEXT CHECK (call_direction IN ('incoming', 'outgoing'));
