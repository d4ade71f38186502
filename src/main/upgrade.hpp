// Upgrades of a data directory's schema: what a start would migrate, and the copy of the database
// `serve` (and `migrate`) take before migrating it, so that a failed or regretted upgrade is undone
// with `soporte restore --from DATA/soporte.db.schema-15-before-16`.
#pragma once

#include <string>

#include "common/result.hpp"
#include "storage/sqlite/restore.hpp"

namespace soporte::main {

// The schema of DATA/soporte.db (no database yet: version 0, everything pending). Fails as
// storage::ReadSchemaStatus does, e.g. on a schema newer than this binary.
Result<storage::SchemaStatus> SchemaOf(const std::string& data_dir);

// When migrations are pending on DATA/soporte.db, copies it (SQLite's backup API; 0600) to
// DATA/soporte.db.schema-FROM-before-TO (FROM its version, TO this binary's; `.2`, `.3`… when
// taken) and returns that path; "" when nothing is pending or there is no database yet. Fails on
// a schema newer than the binary (nothing is copied) or when the copy cannot be written.
Result<std::string> BackupBeforeMigrate(const std::string& data_dir);

}  // namespace soporte::main
