-- 0009: the desk's audit log (issue 16, part 5). Every administrative change that is not a
-- ticket's, a user's or a profile's (organisations, contracts, calendars and their closure days,
-- contact settings, API tokens) and every login attempt: who, when, from which client address
-- ('' = the system, the command line), which field, from what to what. One table keyed by kind,
-- so that the admin list across kinds (newest first, paged) is one indexed query. Append-only,
-- like ticket_events and user_events; it never holds a password or a token.

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,                -- org, contract, calendar, settings, token, login
  subject_id INTEGER NOT NULL DEFAULT 0,      -- the org, contract, calendar or user; 0 = none
  subject    TEXT    NOT NULL,                -- its name as people read it (or the email tried)
  actor_id   INTEGER REFERENCES users(id),    -- NULL = the system or an unknown login
  at         INTEGER NOT NULL,
  source     TEXT    NOT NULL,                -- client address; '' = the system
  field      TEXT    NOT NULL,
  before     TEXT    NOT NULL,
  after      TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_by_kind ON audit_log(kind, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
