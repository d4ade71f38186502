#include "storage/migrations/plan.hpp"

#include <cstring>

#include <sodium.h>

namespace soporte::storage {
namespace {

std::string Sha256Hex(const char* text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text), std::strlen(text));
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

Status CheckNumbering(std::span<const EmbeddedMigration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      return Fail(
          ErrorCode::kInternal,
          std::string("embedded migrations are not numbered 1..N at ") + migrations[i].name);
    }
  }
  return Ok();
}

Result<std::vector<PendingMigration>> PlanMigrations(
    std::span<const EmbeddedMigration> migrations, const std::map<int, AppliedMigration>& applied) {
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  const int known = static_cast<int>(migrations.size());
  if (!applied.empty() && applied.rbegin()->first > known) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the database has schema version " + std::to_string(applied.rbegin()->first) +
                    " but this soporte knows only up to " + std::to_string(known) +
                    "; run a newer soporte (or restore a backup)");
  }
  std::vector<PendingMigration> pending;
  for (const auto& m : migrations) {
    std::string sha = Sha256Hex(m.sql);
    if (auto it = applied.find(m.version); it != applied.end()) {
      if (it->second.sha256 != sha) {
        return Fail(ErrorCode::kFailedPrecondition,
                    std::string("migration ") + m.name +
                        " applied to this database differs from the one built into soporte");
      }
      continue;
    }
    pending.push_back(PendingMigration{&m, std::move(sha)});
  }
  return pending;
}

}  // namespace soporte::storage
