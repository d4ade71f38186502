// Applies the embedded PostgreSQL migrations (storage/migrations/embedded.hpp,
// src/storage/migrations/postgres/NNNN_*.sql) and records each in schema_migrations (version,
// file name, SHA-256 of its text, when): the same rules as SQLite's
// (storage/sqlite/migrations.hpp). Several nodes may start at once: each migration runs in its own
// transaction under an advisory lock, so exactly one node applies it. Internal to storage/postgres;
// called by PostgresStore::Open.
#pragma once

#include <span>

#include "common/result.hpp"
#include "storage/migrations/embedded.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

// Takes the advisory lock every node holds, inside a transaction, while it reads or changes the
// schema (any constant the desk does not use elsewhere: the bytes of "soporte").
inline constexpr const char* kSchemaLockSql = "SELECT pg_advisory_xact_lock(32492151018517605)";

// Applies every migration of `migrations` not yet recorded and returns the schema version
// afterwards. kFailedPrecondition when the database was migrated by a newer binary (a version
// this one does not know) or when an applied migration's text differs from the embedded one;
// kInternal when `migrations` are not numbered 1..N; kPermissionDenied or kFailedPrecondition,
// saying so, when the user may not create tables in the schema (or none is selected); the failing
// migration's error (named) otherwise. A refusal changes nothing; a failed migration leaves
// nothing behind.
Result<int> ApplyMigrations(PgConn& conn, std::span<const EmbeddedMigration> migrations);

}  // namespace soporte::storage::pg_internal
