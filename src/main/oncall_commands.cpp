// `soporte oncall now|at TIME`: who is on call now or at an instant, in every rota, and whether
// the desk is staffed then (the text from the i18n catalog, Spanish unless --lang en).
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/accounts/principal.hpp"
#include "domain/calendar/zones.hpp"
#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/i18n/catalog.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::main {
namespace {

namespace i18n = transport::i18n;

std::string Person(const std::optional<domain::User>& u, i18n::Lang lang) {
  if (!u) return std::string(i18n::Text(lang, "cli.oncall.nobody"));
  return u->name + " <" + u->email + ">";
}

void Print(const app::OnCallAnswer& a, i18n::Lang lang) {
  const date::time_zone* bogota = domain::calendar::ZoneOrUtc(domain::calendar::kDefaultZone);
  std::cout << transport::text::FormatIso8601(a.at, bogota) << " — "
            << i18n::Text(lang, a.staffed ? "cli.oncall.staffed" : "cli.oncall.out_of_hours")
            << "\n";
  if (a.rotas.empty()) std::cout << i18n::Text(lang, "cli.oncall.no_rota") << "\n";
  for (const auto& r : a.rotas) {
    const date::time_zone* zone = domain::calendar::ZoneOrUtc(r.rota.zone);
    std::cout << i18n::Format(lang, "cli.oncall.rota", r.rota.name, r.rota.zone,
                              Person(r.primary, lang), Person(r.secondary, lang),
                              transport::text::FormatIso8601(r.on_call.until, zone))
              << "\n";
  }
  std::string sups;
  for (const auto& u : a.supervisors)
    sups += (sups.empty() ? "" : ", ") + u.name + " <" + u.email + ">";
  std::cout << i18n::Format(
                   lang, "cli.oncall.supervisors",
                   sups.empty() ? std::string(i18n::Text(lang, "cli.oncall.nobody")) : sups)
            << "\n";
}

int Run(const std::string& data, std::optional<std::string> at_text, const std::string& lang_tag) {
  const i18n::Lang lang = i18n::ParseLang(lang_tag).value_or(i18n::Lang::kEs);
  std::optional<Instant> at;
  if (at_text) {
    auto t = transport::text::ParseIso8601(
        *at_text, domain::calendar::ZoneOrUtc(domain::calendar::kDefaultZone));
    if (!t) {
      return Report(Error{ErrorCode::kInvalidArgument,
                          "TIME must be an ISO 8601 date-time (got '" + *at_text + "')"});
    }
    at = *t;
  }
  auto desk = OpenDesk(data);
  if (!desk) return Report(desk.error());
  auto r = (*desk)->oncall->At(app::SystemPrincipal(), at);
  if (!r) return Report(r.error());
  Print(*r, lang);
  return transport::cli::kExitOk;
}

}  // namespace

void AddOnCallCommands(CLI::App& app, int& exit_code) {
  auto* oncall = app.add_subcommand("oncall", "who is on call (the out-of-hours rota)");
  oncall->require_subcommand(1);
  struct Opts {
    std::string data, time, lang = "es";
  };
  auto o = std::make_shared<Opts>();
  auto* now = oncall->add_subcommand("now", "who is on call now");
  AddDataOption(now, o->data);
  now->add_option("--lang", o->lang, "es (default) or en");
  now->callback([o, &exit_code] { exit_code = Run(o->data, std::nullopt, o->lang); });
  auto* at = oncall->add_subcommand("at", "who is on call at TIME (ISO 8601; no offset: Bogotá)");
  AddDataOption(at, o->data);
  at->add_option("TIME", o->time, "e.g. 2026-12-24T02:00:00-05:00")->required();
  at->add_option("--lang", o->lang, "es (default) or en");
  at->callback([o, &exit_code] { exit_code = Run(o->data, o->time, o->lang); });
}

}  // namespace soporte::main
