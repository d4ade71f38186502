#include "storage/postgres/migrations.hpp"

#include <map>
#include <string>

#include "storage/migrations/plan.hpp"

namespace soporte::storage::pg_internal {
namespace {

Result<std::map<int, AppliedMigration>> ReadApplied(PgConn& conn) {
  SOPORTE_TRY(rows, conn.Query("SELECT version, name, sha256 FROM schema_migrations"));
  std::map<int, AppliedMigration> out;
  for (int i = 0; i < rows.size(); ++i)
    out[static_cast<int>(rows.Int(i, 0))] = AppliedMigration{rows.Text(i, 1), rows.Text(i, 2)};
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
  SOPORTE_TRY_STATUS(CheckNumbering(migrations));
  Status ledger = Locked(conn, [&] {
    return conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " applied_at BIGINT NOT NULL)");
  });
  if (!ledger && (ledger.error().code == ErrorCode::kPermissionDenied ||
                  ledger.error().code == ErrorCode::kFailedPrecondition)) {
    // No CREATE on the schema (PostgreSQL 15 gives none on public to other users), or a
    // search_path naming no schema that exists.
    return Fail(ledger.error().code,
                "cannot create the desk's tables in this database (" + ledger.error().message +
                    "): the PostgreSQL user needs a schema it may create tables in (GRANT CREATE "
                    "ON SCHEMA … TO …, or a database it owns)");
  }
  if (!ledger) return tl::make_unexpected(ledger.error());
  SOPORTE_TRY(applied, ReadApplied(conn));
  SOPORTE_TRY(pending, PlanMigrations(migrations, applied));
  for (const auto& p : pending) {
    const EmbeddedMigration& m = *p.migration;
    Status st = Locked(conn, [&]() -> Status {
      // Another node may have applied it since we looked: check again under the lock.
      SOPORTE_TRY(now, ReadApplied(conn));
      if (now.count(m.version)) return Ok();
      SOPORTE_TRY_STATUS(conn.Exec(m.sql));
      PgParams params;
      params.Add(m.version).Add(m.name).Add(p.sha256);
      SOPORTE_TRY_STATUS(
          conn.Query("INSERT INTO schema_migrations(version, name, sha256, applied_at) "
                     "VALUES ($1, $2, $3, extract(epoch FROM now())::bigint)",
                     params));
      return Ok();
    });
    if (!st) {
      return Fail(st.error().code,
                  std::string("migration ") + m.name + " failed: " + st.error().message);
    }
  }
  return static_cast<int>(migrations.size());
}

}  // namespace soporte::storage::pg_internal
