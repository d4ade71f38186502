// One append-only history table of the shape (id, <subject>, actor_id, at, field, before, after),
// keyed by its table and subject column: ticket_events (ticket_id) and user_events (user_id)
// are two instances of it, and a new aggregate's field-by-field history is one more.
// Internal to storage/sqlite; immutable after construction (safe to share between threads), the
// Db passed to each call is used by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {

class AuditTrail {
 public:
  // `table` holds the history; `subject` is its column naming what changed, a row of
  // `subject_table` called `subject_what` in errors ("ticket", "user"). Arguments are literals.
  AuditTrail(std::string_view table, std::string_view subject, const char* subject_table,
             std::string_view subject_what);

  // The rows of one subject, oldest first, each made by `make(const Stmt&)` from the columns
  // id, subject, actor_id, at, field, before, after (in that order). Empty when none.
  template <class T, class F>
  Result<std::vector<T>> List(Db& db, std::int64_t subject, F make) const {
    SOPORTE_TRY(s, db.Prepare(select_sql_));
    s.Bind(1, subject);
    return Collect<T>(s, make);
  }

  // Appends one row. A missing subject (or given actor, a user) is a MissingReference
  // (kFailedPrecondition). The caller validates the record first.
  Status Append(Db& db, std::int64_t subject, UserId actor, Instant at, const std::string& field,
                const std::string& before, const std::string& after) const;

 private:
  std::string select_sql_;
  std::string insert_sql_;
  const char* subject_table_;
  std::string subject_what_;
};

}  // namespace soporte::storage::sqlite_internal
