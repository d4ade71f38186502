-- 0013: webhooks (issue 12, part 5). An admin's subscription names a URL, the event types it
-- wants (wire names joined by ',') and its secret, sealed like a profile secret (key_id, nonce,
-- ciphertext: XChaCha20-Poly1305 under DATA/secret.key, bound to the row). A delivery is one
-- event rendered for one subscription, written in the transaction of the change (an outbox) and
-- claimed by the delivery job with a lease (claimed_by, lease_until): several nodes may run the
-- job and each delivery is sent by one of them at a time. The job's query follows what is due
-- (webhook_deliveries_due, on the next-attempt instant, only rows still to send), never the
-- number of tickets or of past deliveries. Plain SQL types and no SQLite-only syntax in the
-- tables, so a PostgreSQL store can keep the same shape.

CREATE TABLE webhooks (
  id                INTEGER PRIMARY KEY,
  url               TEXT    NOT NULL,
  events            TEXT    NOT NULL,            -- 'ticket.created,ticket.message'
  secret_key_id     TEXT    NOT NULL,
  secret_nonce      TEXT    NOT NULL,
  secret_ciphertext TEXT    NOT NULL,
  created_by        INTEGER REFERENCES users(id), -- NULL = the system
  created_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  webhook_id      INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  delivery_id     TEXT    NOT NULL UNIQUE,        -- X-Soporte-Delivery, the same on every retry
  event           TEXT    NOT NULL,
  payload         TEXT    NOT NULL,               -- the JSON body, rendered at the change
  ticket_id       INTEGER REFERENCES tickets(id),
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_by      TEXT    NOT NULL DEFAULT '',    -- the node holding the lease; '' = none
  lease_until     INTEGER,
  last_status     INTEGER NOT NULL DEFAULT 0,     -- the receiver's last HTTP status; 0 = none
  last_error      TEXT    NOT NULL DEFAULT '',
  last_attempt_at INTEGER,
  delivered_at    INTEGER,
  failed_at       INTEGER                         -- given up after the retry limit
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, id)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries(webhook_id, id);
