// CopyDataFiles (data_files.hpp): blobs and the secret key, each through a temporary file that
// is fsynced and renamed into place (the directory fsynced after).
#include "storage/copy/data_files.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace soporte::storage {
namespace {

namespace fs = std::filesystem;

Error IoError(const std::string& what, const fs::path& p) {
  return Error{ErrorCode::kUnavailable, what + " " + p.string() + ": " + std::strerror(errno)};
}

std::string HexOf(const unsigned char* d, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[d[i] >> 4]);
    out.push_back(kDigits[d[i] & 15]);
  }
  return out;
}

// SHA-256 (hex) and size of the file at `p`.
Result<std::pair<std::string, std::int64_t>> HashFile(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tl::make_unexpected(IoError("cannot read", p));
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  char buf[1 << 16];
  std::int64_t size = 0;
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return tl::make_unexpected(IoError("cannot read", p));
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&st, reinterpret_cast<unsigned char*>(buf),
                              static_cast<std::size_t>(n));
    size += n;
  }
  ::close(fd);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  return std::make_pair(HexOf(digest, sizeof digest), size);
}

Status SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return tl::make_unexpected(IoError("cannot open", dir));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return tl::make_unexpected(IoError("cannot fsync", dir));
  return Ok();
}

// Copies `from` to `to` through `to`.copying (mode `mode`), fsynced, renamed; returns the
// SHA-256 (hex) of what was written.
Result<std::string> CopyFileAtomically(const fs::path& from, const fs::path& to, mode_t mode) {
  const fs::path tmp = to.string() + ".copying";
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return tl::make_unexpected(IoError("cannot read", from));
  const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (out < 0) {
    ::close(in);
    return tl::make_unexpected(IoError("cannot write", tmp));
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  char buf[1 << 16];
  Status failed = Ok();
  while (failed) {
    const ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = tl::make_unexpected(IoError("cannot read", from));
      break;
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&st, reinterpret_cast<unsigned char*>(buf),
                              static_cast<std::size_t>(n));
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out, buf + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        failed = tl::make_unexpected(IoError("cannot write", tmp));
        break;
      }
      done += w;
    }
  }
  ::close(in);
  if (failed && ::fsync(out) != 0) failed = tl::make_unexpected(IoError("cannot fsync", tmp));
  if (::close(out) != 0 && failed) failed = tl::make_unexpected(IoError("cannot write", tmp));
  if (failed && ::rename(tmp.c_str(), to.c_str()) != 0) {
    failed = tl::make_unexpected(IoError("cannot rename to", to));
  }
  if (!failed) {
    ::unlink(tmp.c_str());
    return tl::make_unexpected(failed.error());
  }
  SOPORTE_TRY_STATUS(SyncDir(to.parent_path()));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  return HexOf(digest, sizeof digest);
}

bool IsSha256Name(const std::string& name) {
  return name.size() == 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

Result<DataFilesCopied> CopyDataFiles(const std::string& from, const std::string& to) {
  DataFilesCopied out;
  std::error_code ec;
  const fs::path src = from, dst = to;
  fs::create_directories(dst / "blobs", ec);
  if (ec)
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot create ") + (dst / "blobs").string() + ": " + ec.message());

  const fs::path key = src / "secret.key";
  if (fs::exists(key)) {
    const fs::path key_to = dst / "secret.key";
    SOPORTE_TRY(want, HashFile(key));
    if (fs::exists(key_to)) {
      SOPORTE_TRY(have, HashFile(key_to));
      if (have.first != want.first) {
        return Fail(ErrorCode::kFailedPrecondition,
                    key_to.string() + " holds another key: it would not open the copied secrets");
      }
    } else {
      SOPORTE_TRY(written, CopyFileAtomically(key, key_to, 0600));
      if (written != want.first) {
        return Fail(ErrorCode::kUnavailable, key.string() + " changed while it was copied");
      }
    }
    out.key_copied = true;
  }

  const fs::path blobs = src / "blobs";
  if (!fs::exists(blobs)) return out;
  for (auto it = fs::recursive_directory_iterator(blobs, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    // Only content-addressed blobs; a writer's temporary file is left behind.
    if (!IsSha256Name(name)) continue;
    const fs::path rel = fs::relative(it->path(), blobs);
    const fs::path target = dst / "blobs" / rel;
    ++out.blobs;
    out.bytes += static_cast<std::int64_t>(it->file_size());
    if (fs::exists(target)) {
      SOPORTE_TRY(have, HashFile(target));
      if (have.first == name) continue;  // copied by an earlier run
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      return Fail(ErrorCode::kUnavailable,
                  std::string("cannot create ") + target.parent_path().string());
    SOPORTE_TRY(written, CopyFileAtomically(it->path(), target, 0600));
    if (written != name) {
      ::unlink(target.c_str());
      return Fail(ErrorCode::kFailedPrecondition, std::string("the blob ") + it->path().string() +
                                                      " does not hash to its name (it is damaged)");
    }
    ++out.blobs_written;
  }
  if (ec)
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot list ") + blobs.string() + ": " + ec.message());
  return out;
}

}  // namespace soporte::storage
