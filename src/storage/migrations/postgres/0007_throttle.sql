-- 0007 (PostgreSQL): the throttle windows, as SQLite's 0027_throttle.sql: one row a failed login
-- or password reset request per key, shared by every node on this database, so N nodes do not
-- give N times the allowance. Each key keeps at most the newest failures its limit needs (the
-- writer trims); the throttle-prune job removes rows older than every window, oldest first.

CREATE TABLE throttle_failures (
  id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key TEXT   NOT NULL,
  at  BIGINT NOT NULL
);
CREATE INDEX throttle_failures_by_key ON throttle_failures(key, at);
CREATE INDEX throttle_failures_by_at ON throttle_failures(at);
