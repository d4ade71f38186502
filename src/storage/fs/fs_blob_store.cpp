#include "storage/fs/fs_blob_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace soporte::storage {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kHeadBytes = 4096;

Error IoError(const std::string& what, int err) {
  return Error{ErrorCode::kUnavailable, what + ": " + std::strerror(err)};
}

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Makes a directory entry (a rename or a new file) durable.
Status FsyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return tl::make_unexpected(IoError("open " + dir.string(), errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return tl::make_unexpected(IoError("fsync " + dir.string(), err));
  return Ok();
}

Status MakeDirs(const fs::path& p) {
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot create " + p.string() + ": " + ec.message());
  return Ok();
}

class FsBlobWriter final : public app::BlobWriter {
 public:
  FsBlobWriter(fs::path root, fs::path tmp_path, int fd, std::int64_t max_size)
      : root_(std::move(root)), tmp_path_(std::move(tmp_path)), fd_(fd), max_size_(max_size) {
    crypto_hash_sha256_init(&hash_);
  }

  ~FsBlobWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_path_.c_str());
  }

  Status Write(std::string_view chunk) override {
    if (committed_ || failed_) return Fail(ErrorCode::kInternal, "blob writer is closed");
    if (static_cast<std::int64_t>(chunk.size()) > max_size_ - size_) {
      failed_ = true;
      return Fail(ErrorCode::kTooLarge,
                  "the file is larger than the limit of " + std::to_string(max_size_) + " bytes");
    }
    if (head_.size() < kHeadBytes) head_.append(chunk.substr(0, kHeadBytes - head_.size()));
    crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(chunk.data()),
                              chunk.size());
    while (!chunk.empty()) {
      const ssize_t n = ::write(fd_, chunk.data(), chunk.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        failed_ = true;
        return tl::make_unexpected(IoError("write " + tmp_path_.string(), errno));
      }
      chunk.remove_prefix(static_cast<std::size_t>(n));
      size_ += n;
    }
    return Ok();
  }

  std::string_view Head() const override { return head_; }
  std::int64_t size() const override { return size_; }

  Result<app::BlobInfo> Commit() override {
    if (committed_ || failed_) return Fail(ErrorCode::kInternal, "blob writer is closed");
    failed_ = true;  // until we reach the end: a failed Commit cannot be retried
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash_, digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    app::BlobInfo info{hex, size_};

    if (::fsync(fd_) != 0) return tl::make_unexpected(IoError("fsync " + tmp_path_.string(), errno));
    ::close(fd_);
    fd_ = -1;

    const fs::path dir = root_ / info.sha256.substr(0, 2) / info.sha256.substr(2, 2);
    const fs::path final_path = dir / info.sha256;
    SOPORTE_TRY_STATUS(MakeDirs(dir));
    struct stat st {};
    if (::stat(final_path.c_str(), &st) == 0) {
      // Same content already stored (and made durable by whoever stored it): keep that one.
      ::unlink(tmp_path_.c_str());
    } else {
      if (::rename(tmp_path_.c_str(), final_path.c_str()) != 0) {
        return tl::make_unexpected(IoError("rename to " + final_path.string(), errno));
      }
      // The new name, and the ab/ and ab/cd/ entries that create_directories may have made.
      SOPORTE_TRY_STATUS(FsyncDir(dir));
      SOPORTE_TRY_STATUS(FsyncDir(dir.parent_path()));
      SOPORTE_TRY_STATUS(FsyncDir(root_));
    }
    committed_ = true;
    failed_ = false;
    return info;
  }

 private:
  fs::path root_;
  fs::path tmp_path_;
  int fd_;
  std::int64_t max_size_;
  std::int64_t size_ = 0;
  std::string head_;
  crypto_hash_sha256_state hash_;
  bool committed_ = false;
  bool failed_ = false;
};

}  // namespace

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::Open(std::string dir) {
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  const fs::path tmp = fs::path(dir) / "tmp";
  SOPORTE_TRY_STATUS(MakeDirs(tmp));
  std::error_code ec;
  // Uploads a crashed process never committed. 2026-11-28: only those older than a day, since
  // another process may be writing here right now (`soporte mail ingest` run by the MTA while
  // `soporte serve` takes an upload).
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (const auto& entry : fs::directory_iterator(tmp, ec)) {
    std::error_code time_ec;
    const auto written = fs::last_write_time(entry.path(), time_ec);
    if (!time_ec && written < cutoff) fs::remove(entry.path(), ec);
  }
  if (::access(tmp.c_str(), W_OK) != 0) return tl::make_unexpected(IoError("cannot write " + tmp.string(), errno));
  return std::unique_ptr<FsBlobStore>(new FsBlobStore(std::move(dir)));
}

Result<std::unique_ptr<app::BlobWriter>> FsBlobStore::Begin(std::int64_t max_size) {
  if (max_size < 0) return Fail(ErrorCode::kInvalidArgument, "max_size cannot be negative");
  std::string tmpl = (fs::path(dir_) / "tmp" / "upload-XXXXXX").string();
  const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) return tl::make_unexpected(IoError("cannot create a temporary file in " + dir_ + "/tmp", errno));
  return std::unique_ptr<app::BlobWriter>(new FsBlobWriter(dir_, tmpl, fd, max_size));
}

Result<std::string> FsBlobStore::PathOf(const std::string& sha256) const {
  if (!IsSha256Hex(sha256)) {
    return Fail(ErrorCode::kInvalidArgument, "a blob name is 64 lower-case hex digits");
  }
  const fs::path p = fs::path(dir_) / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return Fail(ErrorCode::kNotFound, "blob " + sha256 + " not found");
  return p.string();
}

}  // namespace soporte::storage
