-- 0014: the SLA watch (issue 12, part 1). One row per threshold of a ticket's first-response clock
-- (warning at a share of the target, breach at the due), armed in the transaction that opens the
-- ticket or changes its due, removed when the first response arrives, and fired exactly once by
-- the watch job on any node: a node claims due rows with a lease (claimed_by, lease_until) and
-- marks a row fired in the same transaction that writes the history event and the observers' rows.
-- A fired row stays (the ticket's threshold never fires again); an unfired row is re-armed in
-- place when the due changes.
CREATE TABLE sla_thresholds (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
  kind        TEXT    NOT NULL CHECK (kind IN ('warning', 'breach')),
  due         INTEGER NOT NULL,   -- the response due the row measures against
  fire_at     INTEGER NOT NULL,   -- warning: the share's instant; breach: the due
  fired_at    INTEGER,            -- NULL while armed
  claimed_by  TEXT,               -- the node holding the lease
  lease_until INTEGER,
  UNIQUE (ticket_id, kind)
) STRICT;
-- The watch's only read: armed rows by fire_at. Its cost follows what is due, never the number of
-- open tickets (fired rows are not in the index).
CREATE INDEX sla_thresholds_armed ON sla_thresholds(fire_at) WHERE fired_at IS NULL;

-- Tickets whose thresholds must be (re)computed by the watch: the SQL cannot count business time,
-- so this migration queues the tickets still waiting for a first response and the watch arms
-- them at its first rounds (then removes them from here).
CREATE TABLE sla_arm_queue (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id)
) STRICT;
INSERT INTO sla_arm_queue(ticket_id)
  SELECT id FROM tickets
   WHERE first_response_at IS NULL AND status IN ('new', 'open', 'waiting_customer');

-- Staff alerts (issue 12, part 2). Each staff user's choices: which alert on which channel, and
-- quiet hours (a daily window in their zone: alert mail waits until it ends). No row = defaults.
CREATE TABLE alert_preferences (
  user_id          INTEGER PRIMARY KEY REFERENCES users(id),
  warning_mail     INTEGER NOT NULL,
  warning_browser  INTEGER NOT NULL,
  breach_mail      INTEGER NOT NULL,
  breach_browser   INTEGER NOT NULL,
  critical_mail    INTEGER NOT NULL,
  critical_browser INTEGER NOT NULL,
  quiet_start      INTEGER,          -- minutes after local midnight; NULL = no quiet hours
  quiet_end        INTEGER,
  quiet_zone       TEXT,
  updated_at       INTEGER NOT NULL
) STRICT;
-- The alerts raised to each user for the console (browser channel): written in the transaction
-- that raised them, read by the console after a live nudge or when it opens.
CREATE TABLE staff_alerts (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind      TEXT    NOT NULL CHECK (kind IN ('sla_warning', 'sla_breach', 'new_critical')),
  due       INTEGER NOT NULL,
  at        INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_alerts_by_user ON staff_alerts(user_id, id);

-- The resolution clock (issue 12, part 7): a contract may set a resolution target (business
-- seconds on its calendar); no row = no target (the default).
CREATE TABLE contract_resolution_targets (
  contract_id    INTEGER PRIMARY KEY REFERENCES contracts(id),
  target_seconds INTEGER NOT NULL CHECK (target_seconds > 0)
) STRICT;
