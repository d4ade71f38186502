#include "transport/text/sla_timeline.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::text {
namespace {

using i18n::Lang;
using namespace std::chrono_literals;

TEST(SlaTimelineTest, ExplainInSpanishAndEnglish) {
  const auto engine = *domain::sla::SlaEngine::Create();
  const domain::sla::ContractSla c{domain::sla::Modality::k8x5, "America/Bogota", {}};
  const Instant received = date::sys_days{date::year{2026} / 12 / 4} + 21h;  // Fri 16:00 Bogota
  const auto t = *engine.Explain(c, domain::sla::Criticality::kNormal,
                                 domain::sla::Channel::kPortal, received);
  const auto* zone = date::locate_zone("America/Bogota");
  const std::string es = RenderTimeline(t, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(es.find("fin de semana"), std::string::npos) << es;
  EXPECT_NE(es.find("Total contado:     8 h 00 min"), std::string::npos) << es;
  EXPECT_NE(es.find("Vence:             2026-12-07T14:00:00-05:00"), std::string::npos) << es;
  const std::string en = RenderTimeline(t, zone, engine.intake(), Lang::kEn);
  EXPECT_NE(en.find("weekend"), std::string::npos) << en;
  EXPECT_NE(en.find("clock starts at reception"), std::string::npos) << en;
  EXPECT_NE(en.find("  counted 2026-12-04T16:00:00-05:00 → 2026-12-04T18:00:00-05:00  2 h 00 min"),
            std::string::npos)
      << en;

  const auto h =
      *engine.Explain(c, domain::sla::Criticality::kImportant, domain::sla::Channel::kPortal,
                      date::sys_days{date::year{2026} / 12 / 7} + 21h);  // Mon 16:00
  const std::string hol = RenderTimeline(h, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(hol.find("festivo: Inmaculada Concepción"), std::string::npos) << hol;
  EXPECT_NE(hol.find("Vence:             2026-12-09T10:00:00-05:00"), std::string::npos) << hol;
  // Email received Monday 18:30: the vendor's window skips the holiday; the line says why.
  const auto m =
      *engine.Explain(c, domain::sla::Criticality::kImportant, domain::sla::Channel::kEmail,
                      date::sys_days{date::year{2026} / 12 / 7} + 23h + 30min);
  const std::string mail = RenderTimeline(m, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(mail.find("Inicio del reloj:  2026-12-09T08:00:00-05:00"), std::string::npos) << mail;
  EXPECT_NE(mail.find("lun–vie 08:00–18:00 America/Bogota"), std::string::npos) << mail;
}

TEST(SlaTimelineTest, NamesCriticalityAndChannelInWordsNotCodes) {
  // Issue 19: the Spanish mail read "criticidad critical, modalidad 24x7, canal portal".
  const auto engine = *domain::sla::SlaEngine::Create();
  const domain::sla::ContractSla c{domain::sla::Modality::k24x7, "America/Bogota", {}};
  const Instant received = date::sys_days{date::year{2026} / 12 / 4} + 21h;
  const auto* zone = date::locate_zone("America/Bogota");
  const auto t = *engine.Explain(c, domain::sla::Criticality::kCritical,
                                 domain::sla::Channel::kPortal, received);
  const std::string es = RenderTimeline(t, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(es.find("criticidad crítica, modalidad 24x7, canal portal web,"), std::string::npos)
      << es;
  EXPECT_NE(es.find("(canal portal web: el reloj"), std::string::npos) << es;
  EXPECT_EQ(es.find("critical"), std::string::npos) << es;
  const std::string en = RenderTimeline(t, zone, engine.intake(), Lang::kEn);
  EXPECT_NE(en.find("criticality critical, modality 24x7, channel web portal,"), std::string::npos)
      << en;
  const auto m = *engine.Explain(c, domain::sla::Criticality::kImportant,
                                 domain::sla::Channel::kEmail, received);
  const std::string mail = RenderTimeline(m, zone, engine.intake(), Lang::kEs);
  EXPECT_NE(mail.find("criticidad importante, modalidad 24x7, canal correo electrónico,"),
            std::string::npos)
      << mail;
}

TEST(SlaTimelineTest, HelpersFormat) {
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
}  // namespace soporte::transport::text
