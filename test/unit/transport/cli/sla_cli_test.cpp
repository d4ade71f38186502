#include "transport/cli/sla_cli.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::cli {
namespace {

using i18n::Lang;
using namespace std::chrono_literals;

TEST(SlaCliTest, BatchLinesAndErrorsInPlace) {
  const auto engine = *domain::sla::SlaEngine::Create();
  const BatchDue batch = *BatchDue::Create(engine, "America/Bogota", Lang::kEn);
  std::string out;
  EXPECT_TRUE(batch.AppendLine("8x5\tnormal\tportal\t2026-12-04T16:00:00-05:00", out));
  EXPECT_TRUE(batch.AppendLine("24x7\tcritical\temail\t2026-12-05T22:00:00-05:00\r", out));
  EXPECT_FALSE(batch.AppendLine("8x5\turgent\tportal\t2026-12-04T16:00:00-05:00", out));
  EXPECT_FALSE(batch.AppendLine("8x5\tnormal\tportal", out));
  EXPECT_FALSE(batch.AppendLine("8x5\tnormal\tportal\tyesterday", out));
  EXPECT_FALSE(batch.AppendLine("8x5\tnormal\tportal\t1970-01-01T00:00:00Z", out));
  EXPECT_FALSE(batch.AppendLine("", out));
  EXPECT_EQ(out,
            "2026-12-07T14:00:00-05:00\n"
            "2026-12-07T10:00:00-05:00\n"
            "error: criticality: unknown criticality 'urgent' (expected normal, important or critical)\n"
            "error: the line has 3 fields; expected 4 separated by tabs (MODALITY, CRITICALITY, CHANNEL, RECEIVED)\n"
            "error: received: 'yesterday' is not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])\n"
            "error: received: '1970-01-01T00:00:00Z' is outside the supported years (1984–2100)\n"
            "error: the line has 1 fields; expected 4 separated by tabs (MODALITY, CRITICALITY, CHANNEL, RECEIVED)\n");
}

TEST(SlaCliTest, BatchInOtherZone) {
  const auto engine = *domain::sla::SlaEngine::Create();
  const BatchDue batch = *BatchDue::Create(engine, "Europe/Madrid", Lang::kEs);
  std::string out;
  EXPECT_TRUE(batch.AppendLine("8x5\tnormal\tportal\t2026-12-04T16:00:00", out));
  EXPECT_EQ(out, "2026-12-07T14:00:00+01:00\n");
  EXPECT_FALSE(BatchDue::Create(engine, "Mars/Base", Lang::kEs).has_value());
}

TEST(SlaCliTest, ExplainInSpanishAndEnglish) {
  const auto engine = *domain::sla::SlaEngine::Create();
  const domain::sla::ContractSla c{domain::sla::Modality::k8x5, "America/Bogota", {}};
  const Instant received = date::sys_days{date::year{2026} / 12 / 4} + 21h;  // Fri 16:00 Bogota
  const auto t = *engine.Explain(c, domain::sla::Criticality::kNormal, domain::sla::Channel::kPortal, received);
  const auto* zone = date::locate_zone("America/Bogota");
  const std::string es = RenderTimeline(t, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(es.find("fin de semana"), std::string::npos) << es;
  EXPECT_NE(es.find("Total contado:     8 h 00 min"), std::string::npos) << es;
  EXPECT_NE(es.find("Vence:             2026-12-07T14:00:00-05:00"), std::string::npos) << es;
  const std::string en = RenderTimeline(t, zone, engine.intake(), Lang::kEn);
  EXPECT_NE(en.find("weekend"), std::string::npos) << en;
  EXPECT_NE(en.find("clock starts at reception"), std::string::npos) << en;
  EXPECT_NE(en.find("  counted 2026-12-04T16:00:00-05:00 → 2026-12-04T18:00:00-05:00  2 h 00 min"), std::string::npos) << en;

  const auto h = *engine.Explain(c, domain::sla::Criticality::kImportant, domain::sla::Channel::kPortal,
                                 date::sys_days{date::year{2026} / 12 / 7} + 21h);  // Mon 16:00
  const std::string hol = RenderTimeline(h, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(hol.find("festivo: Inmaculada Concepción"), std::string::npos) << hol;
  EXPECT_NE(hol.find("Vence:             2026-12-09T10:00:00-05:00"), std::string::npos) << hol;
  // Email received Monday 18:30: the vendor's window skips the holiday; the line says why.
  const auto m = *engine.Explain(c, domain::sla::Criticality::kImportant, domain::sla::Channel::kEmail,
                                 date::sys_days{date::year{2026} / 12 / 7} + 23h + 30min);
  const std::string mail = RenderTimeline(m, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(mail.find("Inicio del reloj:  2026-12-09T08:00:00-05:00"), std::string::npos) << mail;
  EXPECT_NE(mail.find("lun–vie 08:00–18:00 America/Bogota"), std::string::npos) << mail;
}

TEST(SlaCliTest, HelpersFormat) {
  EXPECT_EQ(FormatDuration(8h, Lang::kEs), "8 h 00 min");
  EXPECT_EQ(FormatDuration(7h + 59min + 59s, Lang::kEn), "7 h 59 min 59 s");
  using domain::calendar::WeekPattern;
  WeekPattern p;
  for (unsigned d = 0; d < 5; ++d) p[d] = {{8h, 12h}, {14h, 18h}};
  p[5] = {{9h, 13h}};
  EXPECT_EQ(DescribeHours(*domain::calendar::WeeklyHours::Create(p), Lang::kEn),
            "Mon–Fri 08:00–12:00, 14:00–18:00; Sat 09:00–13:00");
}

}  // namespace
}  // namespace soporte::transport::cli
