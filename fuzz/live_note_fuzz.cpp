// libFuzzer target for the live relay's NOTIFY payloads (storage/postgres/live_note_codec.*):
// anyone who may connect to the desk's database can NOTIFY its channel, so the payload is outside
// input (DESIGN.md: every parser of outside input has one). The whole input is one payload.
// Checked: no crash, no sanitizer report, no leak; a refusal always carries a message; what is
// accepted is written back to the very same text (the format has one spelling per note).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "storage/postgres/live_note_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace pg = soporte::storage::pg_internal;
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto note = pg::DecodeLiveNote(payload);
  soporte::fuzz::CheckError(note);
  if (!note) return 0;
  auto again = pg::EncodeLiveNote(*note);
  if (!again || *again != payload) __builtin_trap();
  return 0;
}
