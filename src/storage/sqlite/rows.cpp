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

std::string Qualified(std::string_view alias, std::string_view cols) {
  std::string out;
  while (!cols.empty()) {
    const auto comma = cols.find(',');
    std::string_view col = cols.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out.append(alias).append(".").append(col);
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 1);
  }
  return out;
}

}  // namespace soporte::storage::sqlite_internal
