// libFuzzer target for the configuration the server reads at start (DESIGN.md: every parser of
// outside input has one). The first input byte picks the parser ('a' + index as in kParsers
// below, any other byte modulo the count); the rest is the text:
//   a the intake rules file (serve --intake-rules FILE) → ParseIntakeRules; the rules it accepts,
//     written back as JSON, parse to the same rules
//   b serve --listen HOST:PORT → ParseListen; HOST:PORT written back parses to the same address
//   c a date-time option (ISO 8601, e.g. a reception time) → ParseIso8601 in the default zone; the
//     instant it accepts, formatted in UTC, parses to the same instant
// Checked: no crash, no sanitizer report, no leak; a failure always carries a message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <date/tz.h>

#include "fuzz_support.hpp"
#include "domain/calendar/zones.hpp"
#include "main/listen_address.hpp"
#include "transport/api/codec/intake_rules_codec.hpp"
#include "transport/text/iso8601.hpp"

namespace {

using soporte::fuzz::CheckError;

using namespace soporte;
namespace json = boost::json;

void IntakeRules(std::string_view text) {
  auto rules = transport::api::codec::ParseIntakeRules(text);
  CheckError(rules);
  if (!rules) return;
  json::array out;
  for (const auto& r : rules->rules()) {
    json::object o;
    if (r.type) o["type"] = domain::TypeName(*r.type);
    if (r.criticality) o["criticality"] = domain::sla::Name(*r.criticality);
    json::array items;
    for (auto i : r.items) items.emplace_back(domain::IntakeItemName(i));
    o["items"] = std::move(items);
    out.push_back(std::move(o));
  }
  auto again = transport::api::codec::ParseIntakeRules(json::serialize(out));
  if (!again || again->rules().size() != rules->rules().size()) __builtin_trap();
  for (std::size_t i = 0; i < rules->rules().size(); ++i) {
    const auto& a = rules->rules()[i];
    const auto& b = again->rules()[i];
    if (a.type != b.type || a.criticality != b.criticality || a.items != b.items) __builtin_trap();
  }
}

void Listen(std::string_view text) {
  auto hp = main::ParseListen(std::string(text));
  CheckError(hp);
  if (!hp) return;
  const bool bracket = hp->host.find(':') != std::string::npos || hp->host.starts_with('[');
  const std::string back = (bracket ? "[" + hp->host + "]" : hp->host) + ":" + std::to_string(hp->port);
  auto again = main::ParseListen(back);
  if (!again || again->host != hp->host || again->port != hp->port) __builtin_trap();
}

void DateTime(std::string_view text) {
  static const date::time_zone* bogota = date::locate_zone(domain::calendar::kDefaultZone);
  static const date::time_zone* utc = date::locate_zone("UTC");
  auto t = transport::text::ParseIso8601(text, bogota);
  CheckError(t);
  if (!t) return;
  const std::string shown = transport::text::FormatIso8601(*t, utc);
  // An offset can carry an accepted local time just past the years 0001–9999 the parser takes.
  if (shown.size() != 25 || shown.starts_with("0000")) return;
  auto again = transport::text::ParseIso8601(shown, bogota);
  if (!again || *again != *t) __builtin_trap();
}

constexpr soporte::fuzz::Parser kParsers[] = {IntakeRules, Listen, DateTime};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return soporte::fuzz::Dispatch(kParsers, data, size);
}
