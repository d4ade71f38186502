-- 0001 (PostgreSQL): the vendor's contact settings edited by admins (key/value; absent keys fall
-- back to `soporte serve` options). The same rows as SQLite's settings (0003_web.sql).
-- Conventions of the PostgreSQL schema: instants are BIGINT seconds since the epoch, UTC (as in
-- SQLite, so a copy between the stores is value for value); ids are BIGINT identities.

CREATE TABLE settings (
  key        TEXT   PRIMARY KEY,
  value      TEXT   NOT NULL,
  updated_at BIGINT NOT NULL
);
