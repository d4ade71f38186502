// The files of a data directory that stay beside a PostgreSQL desk: the attachments
// (DATA/blobs/ab/cd/<sha256>, content-addressed) and the key that seals secrets (DATA/secret.key).
// `soporte store copy --data-to DIR2` copies them: each file is written to a temporary name,
// fsynced and renamed, so a reader never sees half a file; each blob's SHA-256 is checked
// against its name. A rerun skips what is already there and correct. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace soporte::storage {

struct DataFilesCopied {
  std::int64_t blobs = 0;          // blob files in the source
  std::int64_t blobs_written = 0;  // of those, written by this run (the rest were there)
  std::int64_t bytes = 0;          // bytes of all the blobs
  bool key_copied = false;         // the source had a secret.key (now in the target)
};

// Copies `from`/blobs and `from`/secret.key (0600) into `to` (created when missing).
// kFailedPrecondition naming the file when a blob's content does not hash to its name, or when
// `to` already holds another secret.key; kUnavailable on an I/O error.
Result<DataFilesCopied> CopyDataFiles(const std::string& from, const std::string& to);

}  // namespace soporte::storage
