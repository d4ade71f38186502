-- 0027: the throttle windows (app/ports/throttle_repository.hpp), shared by every node of the
-- store: failed logins per (account, address) pair and per address, password reset requests.
-- One row a failure; each key keeps at most the newest failures its limit needs (the writer
-- trims), and the throttle-prune job removes rows older than every window, oldest first
-- (throttle_failures_by_at). Counting a key's window reads throttle_failures_by_key only.
-- Plain SQL: PostgreSQL keeps the shape (postgres/0007_throttle.sql).

CREATE TABLE throttle_failures (
  id  INTEGER PRIMARY KEY,
  key TEXT    NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX throttle_failures_by_key ON throttle_failures(key, at);
CREATE INDEX throttle_failures_by_at ON throttle_failures(at);
