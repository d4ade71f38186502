#include "main/store_choice.hpp"

#include "storage/postgres/postgres_store.hpp"

namespace soporte::main {

Status CheckStoreChoice(const std::string& store) {
  if (store.empty() || store == "sqlite") return Ok();
  if (!storage::IsPostgresUrl(store)) {
    return Fail(ErrorCode::kInvalidArgument,
                "--store must be 'sqlite' (the default: DATA/soporte.db) or a PostgreSQL URL, "
                "postgresql://USER@HOST:PORT/DATABASE");
  }
  const auto missing = storage::PostgresStore::UnimplementedPorts();
  if (missing.empty()) return Ok();
  std::string names;
  for (auto m : missing) names += (names.empty() ? "" : ", ") + std::string(m);
  return Fail(ErrorCode::kFailedPrecondition,
              "the PostgreSQL store is not complete yet: it lacks " + names +
                  "; run with the embedded SQLite store (leave --store out)");
}

}  // namespace soporte::main
