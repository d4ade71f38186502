#include "storage/fs/fs_blob_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

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

namespace soporte::storage {
namespace {

bool IsHexPair(const std::string& s) {
  return s.size() == 2 && IsSha256Hex(s + std::string(62, '0'));
}

// Copies one blob to `dest` through `dest`/../.<name>.part, checking its SHA-256 on the way.
// Returns the bytes copied; kFailedPrecondition when the content does not match the name.
Result<std::int64_t> CopyOneBlob(const fs::path& src, const fs::path& dest) {
  const std::string name = dest.filename().string();
  const fs::path part = dest.parent_path() / ("." + name + ".part");
  const int in = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return tl::make_unexpected(IoError("open " + src.string(), errno));
  const int out = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    const int err = errno;
    ::close(in);
    return tl::make_unexpected(IoError("create " + part.string(), err));
  }
  crypto_hash_sha256_state hash;
  crypto_hash_sha256_init(&hash);
  std::int64_t total = 0;
  Status st = Ok();
  std::string buf(1 << 16, '\0');
  while (st) {
    const ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) st = tl::make_unexpected(IoError("read " + src.string(), errno));
    if (n <= 0) break;
    crypto_hash_sha256_update(&hash, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<std::size_t>(n));
    for (ssize_t off = 0; off < n && st;) {
      const ssize_t w = ::write(out, buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0)
        st = tl::make_unexpected(IoError("write " + part.string(), errno));
      else
        off += w;
    }
    total += n;
  }
  if (st && ::fsync(out) != 0) st = tl::make_unexpected(IoError("fsync " + part.string(), errno));
  ::close(out);
  ::close(in);
  if (st) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash, digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (name != hex) {
      st = Fail(ErrorCode::kFailedPrecondition,
                "the attachment " + src.string() + " is damaged: its content's SHA-256 is " + hex);
    }
  }
  if (st && ::rename(part.c_str(), dest.c_str()) != 0)
    st = tl::make_unexpected(IoError("rename to " + dest.string(), errno));
  if (!st) {
    ::unlink(part.c_str());
    return tl::make_unexpected(st.error());
  }
  return total;
}

}  // namespace

Result<BlobCopyReport> CopyBlobs(const std::string& from, const std::string& to) {
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  BlobCopyReport report;
  std::error_code ec;
  if (!fs::exists(from, ec)) return report;  // no attachment stored yet
  SOPORTE_TRY_STATUS(MakeDirs(to));
  std::string damaged;  // the first damaged blob's error; the others are still copied
  int damaged_count = 0;
  const auto sorted_dirs = [](const fs::path& dir) -> Result<std::vector<std::string>> {
    std::vector<std::string> names;
    std::error_code list_ec;
    for (const auto& e : fs::directory_iterator(dir, list_ec))
      names.push_back(e.path().filename().string());
    if (list_ec)
      return Fail(ErrorCode::kUnavailable,
                  "cannot list " + dir.string() + ": " + list_ec.message());
    std::sort(names.begin(), names.end());
    return names;
  };
  SOPORTE_TRY(tops, sorted_dirs(from));
  for (const auto& ab : tops) {
    if (!IsHexPair(ab) || !fs::is_directory(fs::path(from) / ab, ec)) continue;  // tmp/, strays
    SOPORTE_TRY(mids, sorted_dirs(fs::path(from) / ab));
    for (const auto& cd : mids) {
      const fs::path src_dir = fs::path(from) / ab / cd;
      if (!IsHexPair(cd) || !fs::is_directory(src_dir, ec)) continue;
      SOPORTE_TRY(files, sorted_dirs(src_dir));
      const fs::path dest_dir = fs::path(to) / ab / cd;
      bool made_dir = false;
      std::int64_t copied_here = 0;
      for (const auto& name : files) {
        if (!IsSha256Hex(name) || name.compare(0, 2, ab) != 0 || name.compare(2, 2, cd) != 0)
          continue;
        struct stat st {};
        if (::stat((dest_dir / name).c_str(), &st) == 0) {
          ++report.already;
          continue;
        }
        if (!made_dir) {
          SOPORTE_TRY_STATUS(MakeDirs(dest_dir));
          made_dir = true;
        }
        auto bytes = CopyOneBlob(src_dir / name, dest_dir / name);
        if (!bytes && bytes.error().code == ErrorCode::kFailedPrecondition) {
          if (damaged_count++ == 0) damaged = bytes.error().message;
          continue;
        }
        if (!bytes) return tl::make_unexpected(bytes.error());
        ++report.copied;
        ++copied_here;
        report.bytes += *bytes;
      }
      if (copied_here > 0) {
        SOPORTE_TRY_STATUS(FsyncDir(dest_dir));
        SOPORTE_TRY_STATUS(FsyncDir(dest_dir.parent_path()));
        SOPORTE_TRY_STATUS(FsyncDir(to));
      }
    }
  }
  if (damaged_count > 1)
    damaged += " (and " + std::to_string(damaged_count - 1) + " more damaged attachments)";
  if (damaged_count > 0) return Fail(ErrorCode::kFailedPrecondition, damaged);
  return report;
}

}  // namespace soporte::storage
