// What both stores decide the same way before they migrate (their SQL and locking differ): the
// embedded migrations are numbered 1..N, the database is not newer than the binary, every
// migration it already has is the one built in (same SHA-256), and which ones remain.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/migrations/embedded.hpp"

namespace soporte::storage {

// A row of schema_migrations.
struct AppliedMigration {
  std::string name;
  std::string sha256;
};

// A migration still to apply, with the SHA-256 to record for it.
struct PendingMigration {
  const EmbeddedMigration* migration;
  std::string sha256;
};

// kInternal when `migrations` are not numbered 1..N (a build defect). Call it before touching the
// database.
Status CheckNumbering(std::span<const EmbeddedMigration> migrations);

// The migrations of `migrations` missing from `applied` (by version), in order.
// kFailedPrecondition when the database has a version this binary does not know ("run a newer
// soporte") or an applied migration differs from the built-in one.
Result<std::vector<PendingMigration>> PlanMigrations(
    std::span<const EmbeddedMigration> migrations, const std::map<int, AppliedMigration>& applied);

}  // namespace soporte::storage
