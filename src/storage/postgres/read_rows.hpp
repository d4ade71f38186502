// Reading a statement's rows into values, for the PostgreSQL repositories of webhooks, on-call,
// chats and reports: every row through a reader (returning T or Result<T>), or the first row or
// kNotFound. Internal to storage/postgres; one statement on a connection used by one thread.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/postgres/rows.hpp"

namespace soporte::storage::pg_internal {

// Every row of `rows` through `read` (PgRow → T or Result<T>); the first failure otherwise.
template <class T, class F>
Result<std::vector<T>> ReadAll(const PgRows& rows, F read) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    if constexpr (std::is_same_v<std::decay_t<decltype(read(PgRow(rows, i)))>, T>) {
      out.push_back(read(PgRow(rows, i)));
    } else {
      SOPORTE_TRY(v, read(PgRow(rows, i)));
      out.push_back(std::move(v));
    }
  }
  return out;
}

// Runs `sql` and reads every row through `read`.
template <class T, class F>
Result<std::vector<T>> QueryAll(PgConn& conn, std::string_view sql, const PgParams& p, F read) {
  SOPORTE_TRY(rows, conn.Query(sql, p));
  return ReadAll<T>(rows, read);
}

// Runs `sql` and reads its first row through `read`; `missing` when there is none.
template <class T, class F>
Result<T> QueryOne(PgConn& conn, std::string_view sql, const PgParams& p, F read, Error missing) {
  SOPORTE_TRY(rows, conn.Query(sql, p));
  if (rows.empty()) return tl::make_unexpected(std::move(missing));
  return read(PgRow(rows, 0));  // T or Result<T>
}

}  // namespace soporte::storage::pg_internal
