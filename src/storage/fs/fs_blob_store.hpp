// FsBlobStore: the blob port on the local file system, DATA/blobs/ab/cd/<sha256>. An upload
// streams into DATA/blobs/tmp/ while its SHA-256 is computed; Commit fsyncs the file, renames it
// to its content address (or drops it when that content is already stored) and fsyncs the
// directory, so the blob is durable before any row names it.
#pragma once

#include <memory>
#include <string>

#include "app/ports/blob_store.hpp"
#include "common/result.hpp"

namespace soporte::storage {

// What CopyBlobs did: blobs copied, blobs the destination already had, bytes copied.
struct BlobCopyReport {
  std::int64_t copied = 0;
  std::int64_t already = 0;
  std::int64_t bytes = 0;
};

// Copies the blobs of the store at `from` that `to` lacks into `to` (the same ab/cd/<sha256>
// layout), for backups: uploads in progress (tmp/) and anything not named like a blob are left
// out, each copy is checked against its name's SHA-256, written as a hidden .part, synced and
// only then renamed (an interrupted copy never leaves a short file under a blob's name). Blobs
// never change, so one present in `to` is not copied again. kFailedPrecondition naming the blob
// when a stored blob's content no longer matches its name (the others are still copied);
// kUnavailable on I/O errors. Safe while a server stores new blobs in `from`.
Result<BlobCopyReport> CopyBlobs(const std::string& from, const std::string& to);

class FsBlobStore final : public app::BlobStore {
 public:
  // Uses (and creates when missing) `dir` and `dir`/tmp. Leftover temporary files from a crashed
  // process are removed, so open one FsBlobStore per directory. kUnavailable when the
  // directories cannot be created or written.
  static Result<std::unique_ptr<FsBlobStore>> Open(std::string dir);

  // A writer whose temporary file lives under tmp/; kInvalidArgument when max_size < 0,
  // kUnavailable on I/O errors. Thread-safe; each writer is used by one thread.
  Result<std::unique_ptr<app::BlobWriter>> Begin(std::int64_t max_size) override;
  // DATA/blobs/ab/cd/<sha256>; kInvalidArgument when `sha256` is not 64 lower-case hex digits,
  // kNotFound when no such blob is stored. Thread-safe.
  Result<std::string> PathOf(const std::string& sha256) const override;

  const std::string& dir() const { return dir_; }

 private:
  explicit FsBlobStore(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace soporte::storage
