// The SLA report as CSV and as a table: RFC 4180 quoting, the UTF-8 byte order mark, column
// titles and names in each language, locale-neutral numbers, empty cells for absent figures.
#include "transport/text/sla_report_text.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::text {
namespace {

using domain::report::Dimension;
using domain::report::ReportRow;
using namespace std::chrono_literals;

app::SlaReportView View() {
  app::SlaReportView v;
  v.org = domain::Organization{OrgId{1}, "acme", "ACME, \"Logística\"", Instant{}};
  v.from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
  v.to = std::chrono::sys_days{std::chrono::year{2026} / 12 / 31};
  v.zone = "America/Bogota";
  domain::Contract c;
  c.id = ContractId{7};
  c.modality = domain::sla::Modality::k24x7;
  c.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 4 / 1};
  v.contracts.push_back(c);
  v.report.grouping = {Dimension::kContract, Dimension::kCriticality};
  ReportRow r;
  r.contract = ContractId{7};
  r.criticality = domain::sla::Criticality::kCritical;
  r.received = 3;
  r.answered = 3;
  r.on_time = 2;
  r.breached = 1;
  r.compliance = 2.0 / 3.0;
  r.response_p50 = Seconds{90min};
  r.response_p90 = Seconds{7h} + 29s;  // rounds down
  v.report.rows.push_back(r);
  v.report.total = r;
  v.report.total.contract.reset();
  v.report.total.criticality.reset();
  return v;
}

TEST(SlaReportCsv, SpanishWithBomAndCrlf) {
  const std::string csv = SlaReportCsv(View(), i18n::Lang::kEs);
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  const std::string body = csv.substr(3);
  const auto first = body.find("\r\n");
  EXPECT_EQ(body.substr(0, first),
            "Contrato,Criticidad,Recibidos,Respondidos,Respondidos a tiempo,Incumplidos,Pendientes,"
            "Cumplimiento (%),\"Primera respuesta, mediana (min hábiles)\","
            "\"Primera respuesta, percentil 90 (min hábiles)\",Resueltos,"
            "\"Resolución, mediana (min hábiles)\",\"Resolución, percentil 90 (min hábiles)\"");
  EXPECT_NE(body.find("\r\n#7 24x7 desde 2026-04-01,Crítico,3,3,2,1,0,66.7,90,420,0,,\r\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("\r\nTotal,,3,3,2,1,0,66.7,90,420,0,,\r\n"), std::string::npos) << body;
  EXPECT_EQ(body.find('\n', 0), first + 1);  // every line ends with CRLF
}

TEST(SlaReportCsv, EnglishTitles) {
  const std::string csv = SlaReportCsv(View(), i18n::Lang::kEn);
  EXPECT_NE(csv.find("Contract,Criticality,Received,"), std::string::npos);
  EXPECT_NE(csv.find("#7 24x7 from 2026-04-01,Critical,"), std::string::npos);
}

TEST(SlaReportCsv, QuotesOnlyWhatMustBe) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("ñandú"), "ñandú");
}

TEST(SlaReportTable, TitleAndAlignedColumnsWithoutTrailingBlanks) {
  const std::string t = SlaReportTable(View(), i18n::Lang::kEs);
  EXPECT_EQ(t.rfind("Cumplimiento del ANS de ACME, \"Logística\" del 2026-01-01 al 2026-12-31", 0),
            0u);
  EXPECT_EQ(t.find(" \n"), std::string::npos);
  EXPECT_NE(t.find("Total"), std::string::npos);
}

}  // namespace
}  // namespace soporte::transport::text
