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
