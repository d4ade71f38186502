#include "storage/sqlite/migrations.hpp"

#include <map>
#include <string>

#include "storage/migrations/plan.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

Result<std::map<int, AppliedMigration>> ReadApplied(Db& db) {
  std::map<int, AppliedMigration> out;
  SOPORTE_TRY(s, db.Prepare("SELECT version, name, sha256 FROM schema_migrations"));
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out[static_cast<int>(s.Int(0))] = AppliedMigration{s.Text(1), s.Text(2)};
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
  SOPORTE_TRY_STATUS(CheckNumbering(migrations));
  SOPORTE_TRY_STATUS(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
      " applied_at INTEGER NOT NULL) STRICT"));
  SOPORTE_TRY(applied, ReadApplied(db));
  SOPORTE_TRY(pending, PlanMigrations(migrations, applied));
  for (const auto& p : pending) SOPORTE_TRY_STATUS(ApplyOne(db, *p.migration, p.sha256));
  return static_cast<int>(migrations.size());
}

}  // namespace soporte::storage::sqlite_internal
