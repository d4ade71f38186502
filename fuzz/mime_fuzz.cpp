// libFuzzer target for the MIME intake path: arbitrary bytes as a spooled message through
// GmimeParser (headers, RFC 2047/2231, nested multiparts, charsets, QP/base64, HTML to text,
// DSN detection, attachments streamed to a blob store that only counts bytes), then the domain
// readers of what it found: Authentication-Results (RFC 8601), the loop table, thread ids.
//   cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ && ninja -C build/fuzz mime_fuzz
//   build/fuzz/fuzz/mime_fuzz -max_total_time=60 test/data/mail
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "app/ports/blob_store.hpp"
#include "domain/mail/auth_results.hpp"
#include "domain/mail/loop_guard.hpp"
#include "domain/mail/thread_matcher.hpp"
#include "transport/mail/gmime_parser.hpp"

namespace {

using namespace soporte;

class CountingWriter final : public app::BlobWriter {
 public:
  explicit CountingWriter(std::int64_t max) : max_(max) {}
  Status Write(std::string_view chunk) override {
    size_ += static_cast<std::int64_t>(chunk.size());
    if (size_ > max_) return Fail(ErrorCode::kTooLarge, "too large");
    return Ok();
  }
  std::string_view Head() const override { return {}; }
  std::int64_t size() const override { return size_; }
  Result<app::BlobInfo> Commit() override { return app::BlobInfo{std::string(64, 'a'), size_}; }

 private:
  std::int64_t max_;
  std::int64_t size_ = 0;
};

class CountingBlobs final : public app::BlobStore {
 public:
  Result<std::unique_ptr<app::BlobWriter>> Begin(std::int64_t max) override {
    return std::unique_ptr<app::BlobWriter>(new CountingWriter(max));
  }
  Result<std::string> PathOf(const std::string&) const override { return Fail(ErrorCode::kNotFound, "none"); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static CountingBlobs blobs;
  static transport::mail::GmimeParser parser(blobs, "/tmp");
  char path[] = "/tmp/mime-fuzz-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return 0;
  if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    ::unlink(path);
    return 0;
  }
  ::close(fd);
  auto msg = parser.ParseFile(path);
  if (msg && msg->keep_raw) (void)msg->keep_raw();
  if (msg) {
    (void)domain::mail::VerifyAuthor(msg->authentication_results, "mx.example.com",
                                     msg->from_address);
    (void)domain::mail::MayAutoAnswer(msg->flags, "soporte@example.com");
    (void)domain::mail::ReferenceCandidates(msg->in_reply_to, msg->references);
  }
  ::unlink(path);
  return 0;
}
