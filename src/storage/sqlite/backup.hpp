// A consistent copy of a live SQLite database with SQLite's online backup API (the source may be
// in use by a running server: the copy is one snapshot). Secrets are in it only sealed; the key
// file is never part of a backup.
#pragma once

#include <string>

#include "common/result.hpp"

namespace soporte::storage {

// Copies the database at `db_path` to `out_path` (which must not exist; created 0600) and
// fsyncs it. kAlreadyExists when `out_path` exists; kUnavailable when either cannot be opened
// or written (the partial copy is removed).
Status BackupDatabase(const std::string& db_path, const std::string& out_path);

}  // namespace soporte::storage
