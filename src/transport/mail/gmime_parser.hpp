// GmimeParser: the MessageParser port over GMime 3. Parses a spooled RFC 5322 file (the parser
// keeps part contents in the file, not in memory), decodes headers (RFC 2047/2231) and bodies
// (quoted-printable, base64, any charset → UTF-8), turns HTML-only mail into text, and streams
// every attachment and inline image into the BlobStore. Also recognises bounces (RFC 3464
// multipart/report; report-type=delivery-status, and daemon-sent non-standard bounces) and the
// Message-IDs of the message they return. Thread-safe (each call has its own GMime objects).
#pragma once

#include <string>

#include "app/ports/blob_store.hpp"
#include "app/ports/mail.hpp"

namespace soporte::transport::mail {

// Initialises GMime once per process (thread-safe, idempotent).
void InitGmime();

class GmimeParser final : public app::MessageParser {
 public:
  // `tmp_dir`: where decoded parts are staged on their way to the blob store (DATA/tmp).
  GmimeParser(app::BlobStore& blobs, std::string tmp_dir, app::ParserLimits limits = {});
  Result<app::InboundMessage> ParseFile(const std::string& path) override;

 private:
  app::BlobStore& blobs_;
  std::string tmp_dir_;
  app::ParserLimits limits_;
};

// Copies standard input (or any fd) to a new file under `dir` (at most `max_bytes`); returns
// its path. kTooLarge past the limit, kUnavailable when the file cannot be written.
Result<std::string> SpoolFd(int fd, const std::string& dir, std::int64_t max_bytes);

}  // namespace soporte::transport::mail
