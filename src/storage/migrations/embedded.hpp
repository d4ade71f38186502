// The schema migrations compiled into the binary: src/storage/migrations/<dialect>/NNNN_*.sql,
// turned into string literals at build time by embed_sql.cmake. Ordered by version, starting
// at 1, without gaps (checked by the store that applies them).
#pragma once

#include <span>

namespace soporte::storage {

struct EmbeddedMigration {
  int version;       // NNNN from the file name
  const char* name;  // the file name, e.g. "0001_init.sql"
  const char* sql;   // the whole file
};

// The SQLite migrations, in version order. Never fails; immutable.
std::span<const EmbeddedMigration> sqlite_migrations();
// The PostgreSQL migrations (src/storage/migrations/postgres), in version order. Never fails.
std::span<const EmbeddedMigration> postgres_migrations();

}  // namespace soporte::storage
