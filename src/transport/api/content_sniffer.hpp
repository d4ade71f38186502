// Content-type sniffing of uploaded files with libmagic: the type stored for an attachment comes
// from its first bytes, never from what the client claims. Thread-safe (one magic handle behind
// a mutex; a sniff of 4 KiB takes microseconds).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace soporte::transport::api {

class ContentSniffer {
 public:
  // kInternal when libmagic's database cannot be loaded.
  static Result<std::unique_ptr<ContentSniffer>> Create();
  ~ContentSniffer();

  // The MIME type of content starting with `head` ("image/png", "text/plain", …);
  // "application/octet-stream" when unknown, "application/x-empty" for no bytes.
  std::string Sniff(std::string_view head);

 private:
  explicit ContentSniffer(void* cookie) : cookie_(cookie) {}
  std::mutex mutex_;
  void* cookie_;  // magic_t
};

}  // namespace soporte::transport::api
