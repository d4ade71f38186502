// The blob port: attachment bytes stored by content (SHA-256), outside the database. A blob is
// written and made durable (fsync) before any row names it; the same content is stored once.
// Implemented by storage/fs (DATA/blobs/ab/cd/<sha256>). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace soporte::app {

struct BlobInfo {
  std::string sha256;  // lower-case hex
  std::int64_t size = 0;
};

// One blob being written, chunk by chunk. Either Commit it or drop it (the temporary file is
// removed). Not thread-safe; one writer per upload.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  // kTooLarge once the total passes the limit given to BlobStore::Begin; kUnavailable on I/O errors.
  virtual Status Write(std::string_view chunk) = 0;
  // The first bytes written (up to 4 KiB), for content sniffing.
  virtual std::string_view Head() const = 0;
  virtual std::int64_t size() const = 0;
  // Makes the blob durable under its hash and returns it.
  virtual Result<BlobInfo> Commit() = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> Begin(std::int64_t max_size) = 0;
  // The file that holds the blob (for streaming it out); kNotFound when absent.
  virtual Result<std::string> PathOf(const std::string& sha256) const = 0;
};

}  // namespace soporte::app
