// libFuzzer target for the streaming multipart/form-data parser (DESIGN.md: every parser of
// outside input has one). The first input byte chooses the chunk size, so the fuzzer also
// explores delimiters split across Feed() calls; the rest is the body (boundary "XyZ").
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "transport/http/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using soporte::transport::http::MultipartParser;
  using soporte::transport::http::PartHeaders;
  if (size == 0) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0]) + 1;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t parts_begun = 0, parts_ended = 0;
  MultipartParser parser(
      "XyZ",
      {[&](const PartHeaders& h) {
         ++parts_begun;
         return h.name.empty() ? soporte::Status(soporte::Fail(soporte::ErrorCode::kInternal, "no name"))
                               : soporte::Ok();
       },
       [&](std::string_view d) { return d.empty() ? soporte::Status(soporte::Fail(soporte::ErrorCode::kInternal, "empty")) : soporte::Ok(); },
       [&]() {
         ++parts_ended;
         return soporte::Ok();
       }},
      {.max_parts = 64, .max_header_bytes = 1024});
  bool ok = true;
  while (!body.empty() && ok) {
    const std::size_t n = body.size() < chunk ? body.size() : chunk;
    ok = parser.Feed(body.substr(0, n)).has_value();
    body.remove_prefix(n);
  }
  if (ok) ok = parser.Finish().has_value();
  // Invariants: a name-less or empty-data callback is a parser bug; parts end in order.
  if (ok && parts_begun != parts_ended) __builtin_trap();
  return 0;
}
