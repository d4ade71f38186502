#include "storage/sqlite/rows.hpp"

#include <cstdio>

#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {

Status CheckExists(Db& db, const char* table, std::int64_t id, std::string_view what) {
  // `table` is one of a few literals; the text is composed per call but prepared once.
  char sql[64];
  std::snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?", table);
  SOPORTE_TRY(s, db.Prepare(sql));
  s.Bind(1, id);
  SOPORTE_TRY(row, s.Step());
  if (!row)
    return tl::make_unexpected(MissingReference(std::string(what) + " " + std::to_string(id)));
  return Ok();
}

}  // namespace soporte::storage::sqlite_internal
