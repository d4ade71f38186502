// libFuzzer target for the configuration the server reads at start (DESIGN.md: every parser of
// outside input has one). The first input byte picks the parser ('a' + index as in kParsers
// below, any other byte modulo the count); the rest is the text:
//   a the intake rules file (serve --intake-rules FILE) → ParseIntakeRules; the rules it accepts,
//     written back as JSON, parse to the same rules
//   b serve --listen HOST:PORT → ParseListen; HOST:PORT written back parses to the same address
//   c a date-time option (ISO 8601, e.g. a reception time) → ParseIso8601 in the default zone; the
//     instant it accepts, formatted in UTC, parses to the same instant
//   d the configuration file (serve --config FILE, TOML) → ApplyConfigText on a command with an
//     option of each kind; the effective configuration it accepts, printed (EffectiveConfig), is
//     accepted again and prints the same values
// Checked: no crash, no sanitizer report, no leak; a failure always carries a message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <date/tz.h>

#include "fuzz_support.hpp"
#include "domain/calendar/zones.hpp"
#include "main/config_file.hpp"
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

// A command shaped like `serve`: text, a repeatable text, integers, a number, flags.
struct ConfigCommand {
  ConfigCommand() {
    app.option_defaults()->always_capture_default();  // as serve's table
    app.add_option("--listen", listen);
    app.add_option("--smtp-url", smtp_url);
    app.add_option("--imap-url", imap_urls);
    app.add_option("--threads", threads);
    app.add_option("--attachment-limit-mb", limit_mb);
    app.add_option("--page-escalate-minutes", minutes);
    app.add_flag("--secure-cookies", secure);
    app.add_flag("--backup-before-migrate,!--no-backup-before-migrate", backup);
    app.parse(std::vector<std::string>{});
  }
  CLI::App app{"fuzz", "serve"};
  std::string listen, smtp_url;
  std::vector<std::string> imap_urls;
  int threads = 0;
  std::int64_t limit_mb = 100;
  double minutes = 15;
  bool secure = false, backup = true;
};

// The effective configuration without the origin comments (they name lines, which differ).
std::string Values(const std::string& effective) {
  std::string out;
  std::size_t start = 0;
  while (start < effective.size()) {
    std::size_t end = effective.find('\n', start);
    if (end == std::string::npos) end = effective.size();
    std::string line = effective.substr(start, end - start);
    if (!line.starts_with("#")) out += line.substr(0, line.rfind("  # ")) + "\n";
    start = end + 1;
  }
  return out;
}

void ConfigFile(std::string_view text) {
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  ConfigCommand first;
  auto applied = main::ApplyConfigText(first.app, text, "fuzz.toml", no_env);
  CheckError(applied);
  if (!applied) return;
  const std::string printed = main::EffectiveConfig(first.app, *applied);
  if (printed.find("****") != std::string::npos) return;  // masked: not the same values
  ConfigCommand second;
  auto again = main::ApplyConfigText(second.app, printed, "printed.toml", no_env);
  if (!again) __builtin_trap();
  if (Values(main::EffectiveConfig(second.app, *again)) != Values(printed)) __builtin_trap();
}

constexpr soporte::fuzz::Parser kParsers[] = {IntakeRules, Listen, DateTime, ConfigFile};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return soporte::fuzz::Dispatch(kParsers, data, size);
}
