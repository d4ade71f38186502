-- 0007: the history of a user account (issue 6). Who changed a user's name, mail language,
-- organisation-administrator flag, role or active state, when, from what to what. Append-only,
-- like ticket_events and profile_events; it never holds a password.

CREATE TABLE user_events (
  id       INTEGER PRIMARY KEY,
  user_id  INTEGER NOT NULL REFERENCES users(id),
  actor_id INTEGER REFERENCES users(id),   -- NULL = the system (the command line)
  at       INTEGER NOT NULL,
  field    TEXT    NOT NULL,                -- created, name, lang, org_admin, role, active
  before   TEXT    NOT NULL,
  after    TEXT    NOT NULL
) STRICT;
CREATE INDEX user_events_by_user ON user_events(user_id, id);
CREATE TRIGGER user_events_no_update BEFORE UPDATE ON user_events
BEGIN SELECT RAISE(ABORT, 'user_events is append-only'); END;
CREATE TRIGGER user_events_no_delete BEFORE DELETE ON user_events
BEGIN SELECT RAISE(ABORT, 'user_events is append-only'); END;
