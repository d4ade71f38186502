#include "transport/cli/sla_cli.hpp"

#include <charconv>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "domain/calendar/holiday_rules.hpp"
#include "domain/calendar/holidays_co.hpp"
#include "domain/calendar/zones.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/text/iso8601.hpp"
#include "transport/text/sla_timeline.hpp"

namespace soporte::transport::cli {
namespace {

namespace sla = domain::sla;
namespace cal = domain::calendar;
using i18n::Lang;
using text::AppendIso8601;
using text::ParseIso8601;
using text::RenderTimeline;

using domain::calendar::kDefaultZone;

struct SlaOptions {
  std::string modality, criticality, channel, received, tz{kDefaultZone}, lang{"es"};
  bool batch = false;
  CLI::Option *modality_opt = nullptr, *criticality_opt = nullptr, *channel_opt = nullptr,
              *received_opt = nullptr;
};

// Prints one `error: …` line and returns the usage exit status.
int UsageError(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return kExitUsage;
}

const date::time_zone* LocateZone(std::string_view name) {
  try {
    return date::locate_zone(name);  // date/tz reports an unknown zone by throwing
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string RangeError(Lang lang, std::string_view field, std::string_view value) {
  return i18n::Format(lang, "sla.error.received_range", field, value, sla::kFirstYear, sla::kLastYear);
}

struct Request {
  sla::Modality modality;
  sla::Criticality criticality;
  sla::Channel channel;
  Instant received;
};

// Parses the four request fields; on failure returns the one-line message naming `names[i]`.
tl::expected<Request, std::string> ParseRequest(std::string_view modality, std::string_view criticality,
                                                std::string_view channel, std::string_view received,
                                                const date::time_zone* zone, Lang lang,
                                                const std::string_view (&names)[4]) {
  Request r{};
  if (auto m = sla::ParseModality(modality)) r.modality = *m;
  else return tl::make_unexpected(i18n::Format(lang, "sla.error.modality", names[0], modality));
  if (auto c = sla::ParseCriticality(criticality)) r.criticality = *c;
  else return tl::make_unexpected(i18n::Format(lang, "sla.error.criticality", names[1], criticality));
  if (auto c = sla::ParseChannel(channel)) r.channel = *c;
  else return tl::make_unexpected(i18n::Format(lang, "sla.error.channel", names[2], channel));
  auto t = ParseIso8601(received, zone);
  if (!t) return tl::make_unexpected(i18n::Format(lang, "sla.error.received", names[3], received));
  r.received = *t;
  return r;
}

int RunSingle(const SlaOptions& o, bool explain, Lang lang, const date::time_zone* zone) {
  const std::pair<CLI::Option*, std::string_view> required[] = {
      {o.modality_opt, "--modality"}, {o.criticality_opt, "--criticality"},
      {o.channel_opt, "--channel"}, {o.received_opt, "--received"}};
  for (auto& [opt, name] : required) {
    if (opt->count() == 0) return UsageError(i18n::Format(lang, "sla.error.missing_option", name));
  }
  static constexpr std::string_view kNames[4] = {"--modality", "--criticality", "--channel",
                                                 "--received"};
  auto req = ParseRequest(o.modality, o.criticality, o.channel, o.received, zone, lang, kNames);
  if (!req) return UsageError(req.error());
  auto engine = sla::SlaEngine::Create();
  if (!engine) return UsageError(i18n::Format(lang, "sla.error.internal", engine.error().message));
  const sla::ContractSla contract{req->modality, zone->name(), {}};
  if (explain) {
    auto t = engine->Explain(contract, req->criticality, req->channel, req->received);
    if (!t) return UsageError(RangeError(lang, "--received", o.received));
    std::cout << RenderTimeline(*t, zone, engine->intake(), lang);
  } else {
    auto due = engine->Due(contract, req->criticality, req->channel, req->received);
    if (!due) return UsageError(RangeError(lang, "--received", o.received));
    std::string line;
    AppendIso8601(line, due->due, zone->get_info(due->due).offset);
    line.push_back('\n');
    std::cout << line;
  }
  return kExitOk;
}

int RunSla(const SlaOptions& o, bool explain) {
  const std::optional<Lang> lang = i18n::ParseLang(o.lang);
  if (!lang) return UsageError(i18n::Format(Lang::kEs, "sla.error.lang", o.lang));
  const date::time_zone* zone = LocateZone(o.tz);
  if (zone == nullptr) return UsageError(i18n::Format(*lang, "sla.error.tz", o.tz));
  if (!o.batch) return RunSingle(o, explain, *lang, zone);
  for (CLI::Option* opt : {o.modality_opt, o.criticality_opt, o.channel_opt, o.received_opt}) {
    if (opt->count() > 0) {
      return UsageError(i18n::Format(*lang, "sla.error.not_with_batch", opt->get_name()));
    }
  }
  auto engine = sla::SlaEngine::Create();
  if (!engine) return UsageError(i18n::Format(*lang, "sla.error.internal", engine.error().message));
  auto batch = BatchDue::Create(*engine, o.tz, *lang);
  if (!batch) return UsageError(i18n::Format(*lang, "sla.error.tz", o.tz));
  std::cout.flush();
  return RunBatch(*batch, stdin, stdout);
}

int RunHolidays(const std::string& year_text, const std::string& country, const std::string& lang_text) {
  const std::optional<Lang> lang = i18n::ParseLang(lang_text);
  if (!lang) return UsageError(i18n::Format(Lang::kEs, "sla.error.lang", lang_text));
  int year = 0;
  const char* end = year_text.data() + year_text.size();
  auto [ptr, ec] = std::from_chars(year_text.data(), end, year);
  if (ec != std::errc{} || ptr != end || year < cal::kFirstHolidayYear || year > cal::kLastHolidayYear) {
    return UsageError(i18n::Format(*lang, "sla.error.year", year_text, cal::kFirstHolidayYear,
                                   cal::kLastHolidayYear));
  }
  if (country != "CO" && country != "co") {
    return UsageError(i18n::Format(*lang, "sla.error.country", country));
  }
  std::string out;
  for (const cal::Holiday& h : cal::ColombianHolidays(year)) {
    out += date::format("%F", date::sys_days{h.date});
    out += '\t';
    out += h.name;
    out += '\n';
  }
  std::cout << out;
  return kExitOk;
}

void AddRequestOptions(CLI::App* cmd, const std::shared_ptr<SlaOptions>& o) {
  o->modality_opt = cmd->add_option("--modality", o->modality, "8x5 | 24x7");
  o->criticality_opt = cmd->add_option("--criticality", o->criticality, "normal | important | critical");
  o->channel_opt = cmd->add_option("--channel", o->channel, "portal | email | phone | chat");
  o->received_opt = cmd->add_option(
      "--received", o->received,
      "ISO 8601 reception, e.g. 2026-12-04T16:00:00-05:00 (no offset = local time in --tz)");
  cmd->add_option("--tz", o->tz,
                  "the contract's IANA zone (default " + std::string(kDefaultZone) + ")");
  cmd->add_option("--lang", o->lang, "es | en (default es)");
}

}  // namespace

Result<BatchDue> BatchDue::Create(const sla::SlaEngine& engine, std::string_view zone, Lang lang) {
  BatchDue b(engine);
  SOPORTE_TRY(c24, engine.CalendarFor(sla::Modality::k24x7, zone));
  SOPORTE_TRY(c8, engine.CalendarFor(sla::Modality::k8x5, zone));
  b.zone_ = c24->zone();
  b.cal_24x7_ = std::move(c24);
  b.cal_8x5_ = std::move(c8);
  b.lang_ = lang;
  return b;
}

bool BatchDue::AppendLine(std::string_view line, std::string& out) const {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string_view f[4];
  size_t n = 0, pos = 0;
  while (true) {
    const size_t tab = line.find('\t', pos);
    if (n < 4) f[n] = line.substr(pos, tab == std::string_view::npos ? tab : tab - pos);
    ++n;
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
  auto fail = [&](const std::string& message) {
    out += "error: ";
    out += message;
    out += '\n';
    return false;
  };
  if (n != 4) return fail(i18n::Format(lang_, "sla.error.fields", n));
  const std::string_view names[4] = {i18n::Text(lang_, "sla.field.modality"),
                                     i18n::Text(lang_, "sla.field.criticality"),
                                     i18n::Text(lang_, "sla.field.channel"),
                                     i18n::Text(lang_, "sla.field.received")};
  auto req = ParseRequest(f[0], f[1], f[2], f[3], zone_, lang_, names);
  if (!req) return fail(req.error());
  const cal::BusinessCalendar& calendar =
      req->modality == sla::Modality::k24x7 ? *cal_24x7_ : *cal_8x5_;
  auto due = engine_.Due(calendar, sla::SlaTargets{}.For(req->criticality), req->channel, req->received);
  if (!due) return fail(RangeError(lang_, names[3], f[3]));
  AppendIso8601(out, due->due, calendar.OffsetAt(due->due));
  out += '\n';
  return true;
}

int RunBatch(const BatchDue& batch, std::FILE* in, std::FILE* out) {
  constexpr size_t kChunk = 1 << 20;
  std::string buf, answer;
  buf.reserve(kChunk * 2);
  answer.reserve(kChunk * 2);
  bool all_ok = true;
  std::vector<char> chunk(kChunk);
  size_t start = 0;
  while (true) {
    const size_t got = std::fread(chunk.data(), 1, chunk.size(), in);
    const bool eof = got == 0;
    buf.erase(0, start);
    start = 0;
    buf.append(chunk.data(), got);
    std::string_view view(buf);
    while (true) {
      const size_t nl = view.find('\n', start);
      if (nl == std::string_view::npos) break;
      all_ok &= batch.AppendLine(view.substr(start, nl - start), answer);
      start = nl + 1;
    }
    if (eof) {
      if (start < buf.size()) all_ok &= batch.AppendLine(view.substr(start), answer);  // no final \n
      start = buf.size();
    }
    if (answer.size() >= kChunk || eof) {
      std::fwrite(answer.data(), 1, answer.size(), out);
      answer.clear();
    }
    if (eof) break;
  }
  std::fflush(out);
  return all_ok ? kExitOk : kExitSomeFailed;
}

void AddSlaCommands(CLI::App& app, int& exit_code) {
  CLI::App* sla_cmd = app.add_subcommand("sla", "SLA deadlines");
  sla_cmd->require_subcommand(1);
  auto due_opts = std::make_shared<SlaOptions>();
  CLI::App* due = sla_cmd->add_subcommand("due", "print the response due (ISO 8601)");
  AddRequestOptions(due, due_opts);
  due->add_flag("--batch", due_opts->batch,
                "read MODALITY<TAB>CRITICALITY<TAB>CHANNEL<TAB>RECEIVED lines from stdin");
  due->callback([&exit_code, due_opts] { exit_code = RunSla(*due_opts, false); });

  auto explain_opts = std::make_shared<SlaOptions>();
  CLI::App* explain = sla_cmd->add_subcommand("explain", "print the timeline behind a due");
  AddRequestOptions(explain, explain_opts);
  explain->callback([&exit_code, explain_opts] { exit_code = RunSla(*explain_opts, true); });

  auto year = std::make_shared<std::string>();
  auto country = std::make_shared<std::string>("CO");
  auto lang = std::make_shared<std::string>("es");
  CLI::App* holidays = app.add_subcommand("holidays", "public holidays of a year (YYYY-MM-DD<TAB>Name)");
  holidays->add_option("YEAR", *year, "1984–2100")->required();
  holidays->add_option("--country", *country, "CO (default)");
  holidays->add_option("--lang", *lang, "es | en (messages)");
  holidays->callback([&exit_code, year, country, lang] { exit_code = RunHolidays(*year, *country, *lang); });
}

}  // namespace soporte::transport::cli
