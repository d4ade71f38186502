#include "transport/api/content_sniffer.hpp"

#include <magic.h>

namespace soporte::transport::api {

Result<std::unique_ptr<ContentSniffer>> ContentSniffer::Create() {
  magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
  if (cookie == nullptr) return Fail(ErrorCode::kInternal, "libmagic: cannot open");
  if (magic_load(cookie, nullptr) != 0) {
    std::string why = magic_error(cookie) ? magic_error(cookie) : "unknown error";
    magic_close(cookie);
    return Fail(ErrorCode::kInternal, "libmagic: cannot load its database: " + why);
  }
  return std::unique_ptr<ContentSniffer>(new ContentSniffer(cookie));
}

ContentSniffer::~ContentSniffer() { magic_close(static_cast<magic_t>(cookie_)); }

std::string ContentSniffer::Sniff(std::string_view head) {
  if (head.empty()) return "application/x-empty";
  std::lock_guard lock(mutex_);
  const char* type = magic_buffer(static_cast<magic_t>(cookie_), head.data(), head.size());
  if (type == nullptr || *type == '\0') return "application/octet-stream";
  return type;
}

}  // namespace soporte::transport::api
