// The acknowledgement's text from the real catalog: the items a ticket lacks are asked for by
// name, in the customer's language, and nothing is asked when nothing is missing.
#include <gtest/gtest.h>

#include "domain/sla/sla_engine.hpp"
#include "transport/mail/mail_renderer.hpp"

namespace soporte::transport::mail {
namespace {

app::MailContext Received(std::string lang, std::vector<std::string> missing) {
  app::MailContext c;
  c.kind = app::MailKind::kTicketReceived;
  c.lang = std::move(lang);
  c.number = 1042;
  c.subject = "No factura";
  c.criticality = "normal";
  c.received_at = Instant{Seconds{1796223600}};
  c.due = c.received_at + Seconds{8 * 3600};
  c.zone = "America/Bogota";
  c.recipient_name = "Carlos";
  c.support_address = "soporte@example.com";
  c.missing_items = std::move(missing);
  return c;
}

TEST(MailRendererTest, TheAcknowledgementNamesWhatTheTicketLacks) {
  auto sla = domain::sla::SlaEngine::Create();
  ASSERT_TRUE(sla);
  CatalogMailRenderer renderer(*sla);

  const auto es = renderer.Render(Received("es", {"environment", "logs"}));
  EXPECT_NE(es.body.find("necesitamos también lo siguiente"), std::string::npos) << es.body;
  EXPECT_NE(es.body.find("  - El ambiente afectado: Desarrollo, Calidad o Producción."), std::string::npos) << es.body;
  EXPECT_NE(es.body.find("  - Los logs del momento del problema"), std::string::npos) << es.body;
  EXPECT_EQ(es.body.find("Capturas de pantalla"), std::string::npos) << "only what is missing is asked";
  EXPECT_EQ(es.body.find("mail.intake."), std::string::npos) << "every item has a text: " << es.body;

  const auto en = renderer.Render(Received("en", {"steps", "versions", "screenshots", "modifications"}));
  EXPECT_NE(en.body.find("  - The steps that lead to the problem"), std::string::npos) << en.body;
  EXPECT_NE(en.body.find("  - The component versions and the patches applied."), std::string::npos) << en.body;
  EXPECT_NE(en.body.find("  - Screenshots or a video of the problem."), std::string::npos) << en.body;
  EXPECT_NE(en.body.find("  - What was modified before the problem appeared."), std::string::npos) << en.body;
  EXPECT_EQ(en.body.find("mail.intake."), std::string::npos) << en.body;

  const auto complete = renderer.Render(Received("es", {}));
  EXPECT_EQ(complete.body.find("necesitamos también lo siguiente"), std::string::npos) << complete.body;
}

}  // namespace
}  // namespace soporte::transport::mail
