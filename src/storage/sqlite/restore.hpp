// What `soporte restore` and `soporte migrate` (and serve's backup before migrating) ask of the
// SQLite files: a backup's integrity and schema version, the migrations pending, and an atomic swap
// that keeps the previous database beside the new one. Only SQLite here; the command
// (main/restore_command.cpp) decides the order and checks the secret key.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace soporte::storage {

// The schema version this binary knows (its newest embedded migration).
int KnownSchemaVersion();

// Opens the database file at `path` read-only, runs PRAGMA integrity_check and reads its schema
// version (the newest row of schema_migrations; 0 when it has none). kNotFound when the file is
// missing; kFailedPrecondition when it is not an SQLite database, fails the integrity check (the
// check's first lines are in the message) or has a schema newer than KnownSchemaVersion().
Result<int> CheckDatabaseFile(const std::string& path);

// A database file's schema against this binary's: its version and the migrations a start would
// apply (file names, in order).
struct SchemaStatus {
  int version = 0;
  std::vector<std::string> pending;
};

// Reads the schema of the database at `path` without changing it (read-only; no table yet:
// version 0, every migration pending). kFailedPrecondition, saying so, when it is newer than this
// binary (a start would refuse); kUnavailable when it cannot be read.
Result<SchemaStatus> ReadSchemaStatus(const std::string& path);

// Replaces the database at `db_path` with the file `new_path` (in the same directory): takes an
// exclusive lock on the current database (kFailedPrecondition "in use" when a server or command
// has it open), checkpoints its WAL into it, renames it to `db_path.before-restore` (…-restore.2,
// .3 when taken), removes its -wal/-shm, renames `new_path` to `db_path` and syncs the directory.
// Returns the name the previous database was kept under ("" when there was none). kUnavailable
// on a file system error (then `db_path` is either the old or the new database, never neither).
Result<std::string> ReplaceDatabase(const std::string& db_path, const std::string& new_path);

}  // namespace soporte::storage
