-- 0004: the desk's side of the email channel. Staff decide on inbound mail kept for them
-- (assigned to a new ticket, attached to one, spam or discarded — recorded, never deleted), the
-- files of such mail are listed, and outbox rows that cannot be delivered are marked failed
-- instead of being retried forever; each user has the language of the mail sent to them.

ALTER TABLE inbound_unassigned ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound_unassigned ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE inbound_unassigned ADD COLUMN resolved_at INTEGER;
ALTER TABLE inbound_unassigned ADD COLUMN resolved_by INTEGER REFERENCES users(id);
ALTER TABLE inbound_unassigned ADD COLUMN resolution_note TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound_unassigned ADD COLUMN ticket_id INTEGER REFERENCES tickets(id);

CREATE TABLE inbound_unassigned_files (
  id            INTEGER PRIMARY KEY,
  unassigned_id INTEGER NOT NULL REFERENCES inbound_unassigned(id),
  sha256        TEXT    NOT NULL,
  filename      TEXT    NOT NULL,
  content_type  TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  is_inline     INTEGER NOT NULL
) STRICT;
CREATE INDEX inbound_unassigned_files_by_message ON inbound_unassigned_files(unassigned_id, id);

-- The language of the mail we send each user ('' = not known yet: the desk's default).
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '' CHECK (lang IN ('', 'es', 'en'));

-- IMAP messages committed above a mailbox's high-water mark (imap_state.last_uid): the poller's
-- workers commit out of UID order; the mark only moves over a gap-free run, and these rows keep
-- a restart from storing a message twice. Rows at or below the mark are deleted as it moves.
CREATE TABLE imap_done (
  mailbox     TEXT    NOT NULL,
  uidvalidity INTEGER NOT NULL,
  uid         INTEGER NOT NULL,
  PRIMARY KEY (mailbox, uidvalidity, uid)
) STRICT, WITHOUT ROWID;

ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN retried_at INTEGER;  -- staff's last "try again": a new give-up window
CREATE INDEX outbox_failed ON outbox(failed_at, id) WHERE failed_at IS NOT NULL;
