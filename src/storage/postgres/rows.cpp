#include "storage/postgres/rows.hpp"

#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {

Status CheckExists(PgConn& conn, std::string_view table, std::int64_t id, std::string_view what) {
  PgParams p;
  p.Add(id);
  SOPORTE_TRY(rows, conn.Query("SELECT 1 FROM " + std::string(table) + " WHERE id = $1", p));
  if (rows.empty())
    return tl::make_unexpected(MissingReference(std::string(what) + " " + std::to_string(id)));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
