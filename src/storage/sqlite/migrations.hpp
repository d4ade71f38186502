// Applies the embedded SQLite migrations (storage/migrations/embedded.hpp) to one connection and
// records each in schema_migrations (version, file name, SHA-256 of its text, when). Internal to
// storage/sqlite; called once by SqliteStore::Open on the write connection.
#pragma once

#include <span>

#include "common/result.hpp"
#include "storage/migrations/embedded.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

// Applies every migration of `migrations` not yet recorded, each in its own BEGIN IMMEDIATE
// transaction, and returns the schema version afterwards. kFailedPrecondition when the file was
// migrated by a newer binary (a version this one does not know) or when an applied migration's
// text differs from the embedded one; kInternal when `migrations` are not numbered 1..N; the
// failing migration's error (named) otherwise. A failed migration leaves nothing behind.
Result<int> ApplyMigrations(Db& db, std::span<const EmbeddedMigration> migrations);

}  // namespace soporte::storage::sqlite_internal
