#include "storage/sqlite/db.hpp"
#include "storage/sqlite/search_rank.hpp"
#include "storage/sqlite/search_tokenizer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include <sqlite3.h>

namespace soporte::storage::sqlite_internal {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
      return Error{ErrorCode::kUnavailable, std::move(message)};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Error{ErrorCode::kAlreadyExists, std::move(message)};
      }
      return Error{ErrorCode::kFailedPrecondition, std::move(message)};
    default:
      return Error{ErrorCode::kInternal, std::move(message)};
  }
}

Stmt::~Stmt() {
  if (s_) {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
}

Stmt& Stmt::Bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step's extended code is available from the connection.
  return tl::make_unexpected(SqliteError(db_, sqlite3_extended_errcode(db_), "step"));
}

Status Stmt::Run() {
  while (true) {
    SOPORTE_TRY(row, Step());
    if (!row) return Ok();
  }
}

std::int64_t Stmt::Int(int col) const { return sqlite3_column_int64(s_, col); }

std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  const int n = sqlite3_column_bytes(s_, col);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::string_view Stmt::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  const int n = sqlite3_column_bytes(s_, col);
  return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

namespace {

// SQLite's library-wide settings, applied once before its first use. Memory statistics off:
// with them on, every sqlite3_malloc and free takes one library-wide mutex, shared by the
// writer and every reader (7 % of the writer's time in a profile of ticket creation).
void ConfigureLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// The database holds every ticket, user and sealed secret: it and its -wal and -shm files are
// readable by their owner only. A new database is created here with mode 0600 before SQLite
// opens it (SQLite gives -wal and -shm the mode of the database file); one created looser by an
// older version is tightened. An in-memory or URI name is left alone.
// Never open and close a descriptor of an existing database here: closing any descriptor of a
// file drops every POSIX lock this process holds on it, i.e. the locks of the connections
// already open (the writer's), and another process would then take the database for unused.
// So an existing file is only chmod()ed by name, and a new one is created with O_EXCL (no
// connection of ours can have it open yet).
Status MakePrivate(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return Ok();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0 &&
        ::chmod(file.c_str(), 0600) != 0) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot make '" + file + "' private: " + std::strerror(errno));
    }
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return Fail(ErrorCode::kUnavailable,
                "cannot create database '" + path + "': " + std::strerror(errno));
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const DbOptions& options) {
  ConfigureLibraryOnce();
  if (!options.read_only) SOPORTE_TRY_STATUS(MakePrivate(path));
  sqlite3* raw = nullptr;
  // Readers open read-write (a WAL reader may need to create the -shm index) and then refuse
  // writes with query_only.
  const int flags = SQLITE_OPEN_READWRITE | (options.read_only ? 0 : SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Db> db(new Db(raw));  // closes `raw` even when the open failed
  if (rc != SQLITE_OK) {
    return tl::make_unexpected(Error{ErrorCode::kUnavailable, "cannot open database '" + path +
                                                                  "': " + sqlite3_errstr(rc)});
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (options.read_only) {
    SOPORTE_TRY_STATUS(db->Exec("PRAGMA query_only=ON"));
    // A large read (the yearly report, issue 18) sees the file through a read-only memory map
    // instead of pread into its own 2 MiB page cache, which it overflows and then re-reads:
    // pread and its kernel copy were 40 % of the report's CPU (perf). The map is shared with
    // the OS page cache; SQLite clamps its size to its build's limit (2 GiB on Debian) and reads
    // past it, and the WAL, with pread as before. Only such reads: SQLite unmaps the whole file
    // at the start of every read transaction after a commit, so small reads between writes
    // paid the unmapping and the page faults again each time (mixed load at 1,000,000
    // tickets, bench/list_bench.sh d: 2,100 requests/s with every reader mapped, 4,300 without).
    if (options.map_file) SOPORTE_TRY_STATUS(db->Exec("PRAGMA mmap_size=4294967296"));  // 4 GiB
  } else {
    // journal_mode returns a row; Exec ignores it. WAL persists in the file once set.
    SOPORTE_TRY_STATUS(db->Exec("PRAGMA journal_mode=WAL"));
  }
  SOPORTE_TRY_STATUS(db->Exec(options.synchronous_full ? "PRAGMA synchronous=FULL"
                                                       : "PRAGMA synchronous=NORMAL"));
  SOPORTE_TRY_STATUS(db->Exec("PRAGMA foreign_keys=ON"));
  // Statement journals (one per SAVEPOINT, i.e. per job of a group commit) stay in memory:
  // otherwise SQLite spills each past 64 KiB into a temporary file it creates, writes page by
  // page and unlinks, every transaction: 30 pwrite calls per ticket created, measured with strace.
  SOPORTE_TRY_STATUS(db->Exec("PRAGMA temp_store=MEMORY"));
  // The search index's tokenizer (0016_search.sql): its triggers run on every ticket write.
  SOPORTE_TRY_STATUS(RegisterSearchTokenizer(raw));
  SOPORTE_TRY_STATUS(RegisterSearchRank(raw));  // and its ranking (search_rank.hpp)
  return db;
}

Db::~Db() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(s);
      return tl::make_unexpected(SqliteError(db_, rc, "prepare"));
    }
    it = cache_.emplace(std::string(sql), s).first;
  }
  return Stmt(db_, it->second);
}

Status Db::Exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) return tl::make_unexpected(SqliteError(db_, sqlite3_extended_errcode(db_), "exec"));
  return Ok();
}

std::int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Db::Changes() const { return sqlite3_changes(db_); }
bool Db::InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace soporte::storage::sqlite_internal
