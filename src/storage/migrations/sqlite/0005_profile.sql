-- 0005: what support must know about each customer (issue 6). Profile entries (environments and
-- what hangs from them, components and patches, contacts, remote access) are rows of one table,
-- typed by `kind` with the field list of domain/profile/profile_schema; their non-secret fields
-- are rows of profile_fields. Secret fields live only in secret_values, sealed by the key in
-- DATA/secret.key (XChaCha20-Poly1305; key_id names the key so a rotation can resume). Every
-- reveal of a secret and every change of a profile is kept in an append-only log.

-- A customer user who administers its organisation's profile in the portal.
ALTER TABLE users ADD COLUMN org_admin INTEGER NOT NULL DEFAULT 0;

CREATE TABLE profile_entries (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  kind       TEXT    NOT NULL,
  parent_id  INTEGER REFERENCES profile_entries(id),  -- NULL for top-level kinds
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX profile_entries_by_org ON profile_entries(org_id, id);

CREATE TABLE profile_fields (
  entry_id INTEGER NOT NULL REFERENCES profile_entries(id),
  name     TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  PRIMARY KEY (entry_id, name)
) STRICT;

CREATE TABLE secret_values (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  entry_id   INTEGER NOT NULL REFERENCES profile_entries(id),
  field      TEXT    NOT NULL,
  key_id     TEXT    NOT NULL,   -- which key sealed it (a hash of the key, never the key)
  nonce      TEXT    NOT NULL,   -- base64
  ciphertext TEXT    NOT NULL,   -- base64, with the Poly1305 tag
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),  -- NULL = the system
  UNIQUE (entry_id, field)
) STRICT;
CREATE INDEX secret_values_by_org ON secret_values(org_id, id);

-- Who saw which secret, when and why. Append-only; keeps no value.
CREATE TABLE secret_reveals (
  id        INTEGER PRIMARY KEY,
  org_id    INTEGER NOT NULL REFERENCES orgs(id),
  secret_id INTEGER NOT NULL,   -- no foreign key: the log outlives a deleted secret
  entry_id  INTEGER NOT NULL,
  field     TEXT    NOT NULL,
  actor_id  INTEGER NOT NULL REFERENCES users(id),
  at        INTEGER NOT NULL,
  reason    TEXT    NOT NULL
) STRICT;
CREATE INDEX secret_reveals_by_org ON secret_reveals(org_id, id);
CREATE TRIGGER secret_reveals_no_update BEFORE UPDATE ON secret_reveals
BEGIN SELECT RAISE(ABORT, 'secret_reveals is append-only'); END;
CREATE TRIGGER secret_reveals_no_delete BEFORE DELETE ON secret_reveals
BEGIN SELECT RAISE(ABORT, 'secret_reveals is append-only'); END;

-- The profile's history. Append-only; names changed secret fields, never their values.
CREATE TABLE profile_events (
  id       INTEGER PRIMARY KEY,
  org_id   INTEGER NOT NULL REFERENCES orgs(id),
  actor_id INTEGER REFERENCES users(id),   -- NULL = the system
  at       INTEGER NOT NULL,
  entry_id INTEGER NOT NULL,
  kind     TEXT    NOT NULL,
  action   TEXT    NOT NULL,                -- created, updated, deleted, revealed, rotated
  detail   TEXT    NOT NULL
) STRICT;
CREATE INDEX profile_events_by_org ON profile_events(org_id, id);
CREATE TRIGGER profile_events_no_update BEFORE UPDATE ON profile_events
BEGIN SELECT RAISE(ABORT, 'profile_events is append-only'); END;
CREATE TRIGGER profile_events_no_delete BEFORE DELETE ON profile_events
BEGIN SELECT RAISE(ABORT, 'profile_events is append-only'); END;

-- The intake answers a ticket was opened with (the protocol's recommended items: steps,
-- modifications, versions…), one row per item; the checklist is computed from them.
CREATE TABLE ticket_intake (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  item      TEXT    NOT NULL,
  text      TEXT    NOT NULL,
  PRIMARY KEY (ticket_id, item)
) STRICT;
