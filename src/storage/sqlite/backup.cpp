#include "storage/sqlite/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

namespace soporte::storage {

Status BackupDatabase(const std::string& db_path, const std::string& out_path) {
  // Reserve the name with 0600 first, so the copy is never readable by others, not even briefly.
  const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Fail(ErrorCode::kAlreadyExists, out_path + " already exists");
    return Fail(ErrorCode::kUnavailable, "cannot create " + out_path + ": " + std::strerror(errno));
  }
  ::close(fd);
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto fail = [&](const std::string& what) -> Status {
    std::string msg = what;
    if (dst != nullptr) msg += ": " + std::string(sqlite3_errmsg(dst));
    sqlite3_close(src);
    sqlite3_close(dst);
    ::unlink(out_path.c_str());
    return Fail(ErrorCode::kUnavailable, msg);
  };
  if (sqlite3_open_v2(db_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return fail("cannot open " + db_path);
  }
  sqlite3_busy_timeout(src, 5000);
  if (sqlite3_open_v2(out_path.c_str(), &dst, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    return fail("cannot open " + out_path);
  }
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) return fail("cannot start the backup");
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return fail("the backup failed");
  // The copy is a standalone file: no WAL beside it.
  if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("cannot finish the backup");
  }
  sqlite3_close(src);
  sqlite3_close(dst);
  const int out = ::open(out_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (out >= 0) {
    ::fsync(out);
    ::close(out);
  }
  return Ok();
}

}  // namespace soporte::storage
