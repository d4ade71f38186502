#include "storage/sqlite/migrations.hpp"

#include <cstring>
#include <map>
#include <string>

#include <sodium.h>

namespace soporte::storage::sqlite_internal {
namespace {

std::string Sha256Hex(const char* text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text), std::strlen(text));
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

struct Applied {
  std::string name;
  std::string sha256;
};

Result<std::map<int, Applied>> ReadApplied(Db& db) {
  std::map<int, Applied> out;
  SOPORTE_TRY(s, db.Prepare("SELECT version, name, sha256 FROM schema_migrations"));
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out[static_cast<int>(s.Int(0))] = Applied{s.Text(1), s.Text(2)};
  }
}

Status ApplyOne(Db& db, const EmbeddedMigration& m, const std::string& sha) {
  SOPORTE_TRY_STATUS(db.Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    // Another process may have applied it since we looked: check again under the write lock.
    SOPORTE_TRY(applied, ReadApplied(db));
    if (applied.count(m.version)) return Ok();
    SOPORTE_TRY_STATUS(db.Exec(m.sql));
    SOPORTE_TRY(s, db.Prepare("INSERT INTO schema_migrations(version, name, sha256, applied_at) "
                              "VALUES (?, ?, ?, unixepoch())"));
    s.Bind(1, std::int64_t{m.version}).Bind(2, m.name).Bind(3, sha);
    SOPORTE_TRY_STATUS(s.Run());
    return db.Exec("COMMIT");
  };
  Status st = body();
  if (!st) {
    if (!db.InAutocommit()) (void)db.Exec("ROLLBACK");
    return Fail(st.error().code, std::string("migration ") + m.name + " failed: " + st.error().message);
  }
  return Ok();
}

}  // namespace

Result<int> ApplyMigrations(Db& db, std::span<const EmbeddedMigration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      return Fail(ErrorCode::kInternal, std::string("embedded migrations are not numbered 1..N at ") +
                                            migrations[i].name);
    }
  }
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  SOPORTE_TRY_STATUS(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
      " applied_at INTEGER NOT NULL) STRICT"));
  SOPORTE_TRY(applied, ReadApplied(db));
  const int known = static_cast<int>(migrations.size());
  if (!applied.empty() && applied.rbegin()->first > known) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the database has schema version " + std::to_string(applied.rbegin()->first) +
                    " but this soporte knows only up to " + std::to_string(known) +
                    "; run a newer soporte (or restore a backup)");
  }
  for (const auto& m : migrations) {
    const std::string sha = Sha256Hex(m.sql);
    if (auto it = applied.find(m.version); it != applied.end()) {
      if (it->second.sha256 != sha) {
        return Fail(ErrorCode::kFailedPrecondition,
                    std::string("migration ") + m.name +
                        " applied to this database differs from the one built into soporte");
      }
      continue;
    }
    SOPORTE_TRY_STATUS(ApplyOne(db, m, sha));
  }
  return known;
}

}  // namespace soporte::storage::sqlite_internal
