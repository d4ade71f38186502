#include "storage/postgres/migrations.hpp"

#include <cstring>
#include <map>
#include <string>

#include <sodium.h>

namespace soporte::storage::pg_internal {
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

Result<std::map<int, Applied>> ReadApplied(PgConn& conn) {
  SOPORTE_TRY(rows, conn.Query("SELECT version, name, sha256 FROM schema_migrations"));
  std::map<int, Applied> out;
  for (int i = 0; i < rows.size(); ++i)
    out[static_cast<int>(rows.Int(i, 0))] = Applied{rows.Text(i, 1), rows.Text(i, 2)};
  return out;
}

// Runs `body` in one transaction under the schema lock; rolls back when it fails.
template <class F>
Status Locked(PgConn& conn, F&& body) {
  SOPORTE_TRY_STATUS(conn.Exec("BEGIN"));
  Status st = conn.Exec(kSchemaLockSql);
  if (st) st = body();
  if (st) st = conn.Exec("COMMIT");
  if (!st) (void)conn.Exec("ROLLBACK");
  return st;
}

}  // namespace

Result<int> ApplyMigrations(PgConn& conn, std::span<const EmbeddedMigration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      return Fail(
          ErrorCode::kInternal,
          std::string("embedded migrations are not numbered 1..N at ") + migrations[i].name);
    }
  }
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  SOPORTE_TRY_STATUS(Locked(conn, [&] {
    return conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " applied_at BIGINT NOT NULL)");
  }));
  SOPORTE_TRY(applied, ReadApplied(conn));
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
    Status st = Locked(conn, [&]() -> Status {
      // Another node may have applied it since we looked: check again under the lock.
      SOPORTE_TRY(now, ReadApplied(conn));
      if (now.count(m.version)) return Ok();
      SOPORTE_TRY_STATUS(conn.Exec(m.sql));
      PgParams p;
      p.Add(m.version).Add(m.name).Add(sha);
      SOPORTE_TRY_STATUS(
          conn.Query("INSERT INTO schema_migrations(version, name, sha256, applied_at) "
                     "VALUES ($1, $2, $3, extract(epoch FROM now())::bigint)",
                     p));
      return Ok();
    });
    if (!st) {
      return Fail(st.error().code,
                  std::string("migration ") + m.name + " failed: " + st.error().message);
    }
  }
  return known;
}

}  // namespace soporte::storage::pg_internal
