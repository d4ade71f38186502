// libFuzzer target for the profile's import document and entry bodies (transport/api/codec/
// profile_document_codec.cpp, profile_codec.cpp): arbitrary bytes as an import request body, as
// a bare document and as the body of an entry of each kind. A document that parses must
// serialize and parse back to the same JSON (the export/import round trip); nothing may crash,
// leak or trip a sanitizer.
//   cmake --preset fuzz && cmake --build --preset fuzz -j2 --target profile_document_fuzz
//   build/fuzz/fuzz/profile_document_fuzz -max_total_time=60 fuzz/corpus/profile_document
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "transport/api/codec/profile_codec.hpp"
#include "transport/api/codec/profile_document_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace api = soporte::transport::api::codec;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)api::ParseImportRequest(text);
  (void)api::ParseExportRequest(text);
  if (auto doc = api::ParseProfileDocumentText(text)) {
    const boost::json::value once = api::ProfileDocumentJson(*doc);
    auto again = api::ParseProfileDocument(once);
    if (!again || api::ProfileDocumentJson(*again) != once) std::abort();  // the round trip must hold
  }
  // The entry codec: the first byte picks the kind, the rest is the body.
  if (size > 0) {
    const auto kinds = soporte::domain::ProfileKinds();
    const auto kind = kinds[data[0] % kinds.size()].kind;
    (void)api::ParseProfileEntryInput(kind, text.substr(1));
  }
  return 0;
}
