// `soporte report sla`: an organisation's SLA compliance report (app/reports; the same figures
// as GET /api/v1/reports/sla) printed as a table for the terminal or as CSV (RFC 4180, UTF-8 with
// a byte order mark) to redirect into a file a spreadsheet opens. Runs as the system
// administrator: any organisation.
#include <iostream>
#include <memory>
#include <string>

#include "app/accounts/principal.hpp"
#include "domain/report/sla_report.hpp"
#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/i18n/catalog.hpp"
#include "transport/text/sla_report_text.hpp"

namespace soporte::main {
namespace {

namespace cli = transport::cli;
namespace i18n = transport::i18n;

struct SlaReportOpts {
  std::string data, org, from, to, group = "month", format = "table", lang = "es";
};

int Usage(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return cli::kExitUsage;
}

int SlaReport(const SlaReportOpts& o) {
  const auto lang = i18n::ParseLang(o.lang);
  if (!lang) return Usage(i18n::Format(i18n::Lang::kEs, "sla.error.lang", o.lang));
  if (o.format != "table" && o.format != "csv") {
    return Usage(i18n::Format(*lang, "report.error.format", o.format));
  }
  app::SlaReportRequest r;
  r.org_slug = o.org;
  auto from = transport::api::codec::ParseDate(o.from, "--from");
  if (!from) return Usage(i18n::Format(*lang, "report.error.date", "--from", o.from));
  auto to = transport::api::codec::ParseDate(o.to, "--to");
  if (!to) return Usage(i18n::Format(*lang, "report.error.date", "--to", o.to));
  r.from = *from;
  r.to = *to;
  auto grouping = domain::report::ParseGrouping(o.group);
  if (!grouping) return Usage("--" + grouping.error().message);
  r.grouping = std::move(*grouping);

  auto desk = OpenDesk(o.data);
  if (!desk) return Report(desk.error());
  auto view = (*desk)->reports->Sla(app::SystemPrincipal(), r);
  if (!view) return Report(view.error());
  std::cout << (o.format == "csv" ? transport::text::SlaReportCsv(*view, *lang)
                                  : transport::text::SlaReportTable(*view, *lang));
  std::cout.flush();
  if (!std::cout) return Report(Error{ErrorCode::kUnavailable, "cannot write to standard output"});
  return cli::kExitOk;
}

}  // namespace

void AddReportCommands(CLI::App& app, int& exit_code) {
  auto* report = app.add_subcommand("report", "reports on the desk's work");
  report->require_subcommand(1);
  auto* cmd = report->add_subcommand("sla",
                                     "an organisation's SLA compliance: received, on time, "
                                     "breached, response and resolution times");
  auto o = std::make_shared<SlaReportOpts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--org", o->org, "organisation slug")->required();
  cmd->add_option("--from", o->from, "first day, YYYY-MM-DD (America/Bogota)")->required();
  cmd->add_option("--to", o->to, "last day, YYYY-MM-DD, inclusive")->required();
  cmd->add_option("--group", o->group,
                  "month (default), contract, criticality, channel, or several joined by commas");
  cmd->add_option("--format", o->format, "table (default) or csv");
  cmd->add_option("--lang", o->lang, "es | en (column titles; default es)");
  cmd->callback([o, &exit_code] { exit_code = SlaReport(*o); });
}

}  // namespace soporte::main
