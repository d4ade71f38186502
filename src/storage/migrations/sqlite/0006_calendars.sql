-- 0006: business calendars that supervisors define (weekly opening intervals in a zone, whether the
-- Colombian public holidays close them, extra closure days with a reason and who added them) and
-- the calendar an 8x5 contract counts its response times on (NULL: the built-in 8x5 calendar).
-- `version` grows by one on every change of a calendar, its hours or its closure days: the SLA
-- engine caches built calendars by (id, version).

CREATE TABLE calendars (
  id                 INTEGER PRIMARY KEY,
  name               TEXT    NOT NULL UNIQUE,
  zone               TEXT    NOT NULL,
  colombian_holidays INTEGER NOT NULL CHECK (colombian_holidays IN (0, 1)),
  version            INTEGER NOT NULL CHECK (version >= 1),
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT;

-- Opening intervals [begin_s, end_s) in seconds since local midnight; weekday 0 = Monday.
CREATE TABLE calendar_hours (
  calendar_id INTEGER NOT NULL REFERENCES calendars(id),
  weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  begin_s     INTEGER NOT NULL,
  end_s       INTEGER NOT NULL,
  CHECK (0 <= begin_s AND begin_s < end_s AND end_s <= 86400),
  PRIMARY KEY (calendar_id, weekday, begin_s)
) STRICT, WITHOUT ROWID;

-- Extra closure days: a local date (days since 1970-01-01 in the calendar's zone) and its reason.
CREATE TABLE calendar_closures (
  calendar_id INTEGER NOT NULL REFERENCES calendars(id),
  day         INTEGER NOT NULL,
  reason      TEXT    NOT NULL,
  created_by  INTEGER REFERENCES users(id),   -- NULL when added from the command line
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (calendar_id, day)
) STRICT, WITHOUT ROWID;

ALTER TABLE contracts ADD COLUMN calendar_id INTEGER REFERENCES calendars(id);
