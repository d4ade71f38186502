#include "storage/sqlite/restore.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <set>
#include <system_error>

#include <sqlite3.h>

#include "storage/migrations/embedded.hpp"

namespace soporte::storage {
namespace {

namespace fs = std::filesystem;

void SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// One connection, closed on scope exit.
struct Conn {
  sqlite3* db = nullptr;
  ~Conn() { sqlite3_close(db); }
  std::string Message() const { return db != nullptr ? sqlite3_errmsg(db) : "out of memory"; }
};

}  // namespace

int KnownSchemaVersion() {
  int newest = 0;
  for (const auto& m : sqlite_migrations()) newest = std::max(newest, m.version);
  return newest;
}

Result<int> CheckDatabaseFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Fail(ErrorCode::kNotFound, path + " does not exist");
  Conn c;
  if (sqlite3_open_v2(path.c_str(), &c.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kFailedPrecondition, "cannot open " + path + ": " + c.Message());
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(c.db, "PRAGMA integrity_check(5)", -1, &st, nullptr) != SQLITE_OK) {
    const bool corrupt = sqlite3_errcode(c.db) == SQLITE_CORRUPT;
    return Fail(
        ErrorCode::kFailedPrecondition,
        path + (corrupt ? " fails SQLite's integrity check: " : " is not a soporte database: ") +
            c.Message());
  }
  std::string problems;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    const std::string line = text != nullptr ? text : "";
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    return Fail(ErrorCode::kFailedPrecondition,
                path + " fails SQLite's integrity check: " + c.Message());
  }
  if (!problems.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                path + " fails SQLite's integrity check: " + problems);
  }
  if (sqlite3_prepare_v2(c.db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &st,
                         nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kFailedPrecondition,
                path + " is not a soporte database (no schema_migrations table)");
  }
  int version = 0;
  if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (version > KnownSchemaVersion()) {
    return Fail(ErrorCode::kFailedPrecondition,
                path + " has schema version " + std::to_string(version) +
                    " but this soporte knows only up to " + std::to_string(KnownSchemaVersion()) +
                    ": restore it with a newer soporte");
  }
  return version;
}

Result<SchemaStatus> ReadSchemaStatus(const std::string& path) {
  Conn c;
  if (sqlite3_open_v2(path.c_str(), &c.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kUnavailable, "cannot open " + path + ": " + c.Message());
  }
  sqlite3_busy_timeout(c.db, 5000);
  std::set<int> applied;
  sqlite3_stmt* st = nullptr;
  const char* sql = "SELECT version FROM schema_migrations";
  if (sqlite3_prepare_v2(c.db, sql, -1, &st, nullptr) == SQLITE_OK) {
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) applied.insert(sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
      return Fail(ErrorCode::kUnavailable, "cannot read " + path + ": " + c.Message());
    }
  } else if (std::string(c.Message()).find("no such table") == std::string::npos) {
    return Fail(ErrorCode::kUnavailable, "cannot read " + path + ": " + c.Message());
  }
  SchemaStatus out;
  out.version = applied.empty() ? 0 : *applied.rbegin();
  if (out.version > KnownSchemaVersion()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the database has schema version " + std::to_string(out.version) +
                    " but this soporte knows only up to " + std::to_string(KnownSchemaVersion()) +
                    "; run a newer soporte (or restore a backup)");
  }
  for (const auto& m : sqlite_migrations()) {
    if (!applied.count(m.version)) out.pending.push_back(m.name);
  }
  return out;
}

Result<std::string> ReplaceDatabase(const std::string& db_path, const std::string& new_path) {
  std::error_code ec;
  std::string kept;
  if (fs::exists(db_path, ec)) {
    {
      // Exclusive for as long as this connection lives: nobody else may have the database open.
      Conn c;
      if (sqlite3_open_v2(db_path.c_str(), &c.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        return Fail(ErrorCode::kUnavailable, "cannot open " + db_path + ": " + c.Message());
      }
      const char* lock =
          "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; SELECT 1 FROM sqlite_master; COMMIT;";
      if (sqlite3_exec(c.db, lock, nullptr, nullptr, nullptr) != SQLITE_OK ||
          sqlite3_exec(c.db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) !=
              SQLITE_OK) {
        return Fail(ErrorCode::kFailedPrecondition,
                    db_path + " is in use (" + c.Message() +
                        "): stop soporte serve (and any other soporte command) first");
      }
    }
    kept = db_path + ".before-restore";
    for (int n = 2; fs::exists(kept, ec); ++n) {
      kept = db_path + ".before-restore." + std::to_string(n);
    }
    // A second name for the old file first: `db_path` then goes from the old database to the new
    // one in one rename, never missing. The checkpoint emptied and the close removed its WAL.
    if (::link(db_path.c_str(), kept.c_str()) != 0) {
      return Fail(ErrorCode::kUnavailable, "cannot keep " + db_path + " as " + kept + ": " +
                                               std::generic_category().message(errno));
    }
    for (const char* side : {"-wal", "-shm"}) fs::remove(db_path + side, ec);
  }
  fs::rename(new_path, db_path, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                "cannot put " + new_path + " in place of " + db_path + ": " + ec.message());
  }
  SyncDir(fs::path(db_path).parent_path());
  return kept;
}

}  // namespace soporte::storage
