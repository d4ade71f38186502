#include "transport/mail/mail_renderer.hpp"

#include <date/tz.h>

#include "domain/calendar/zones.hpp"

#include "transport/text/iso8601.hpp"
#include "transport/text/sla_timeline.hpp"
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::mail {
namespace {

using i18n::Format;
using i18n::Lang;

}  // namespace

app::RenderedMail CatalogMailRenderer::Render(const app::MailContext& c) const {
  const Lang lang = i18n::ParseLang(c.lang).value_or(Lang::kEs);
  const date::time_zone* zone = domain::calendar::ZoneOrUtc(c.zone);
  auto when = [&](Instant t) { return text::FormatIso8601(t, zone); };
  const std::string crit = std::string(i18n::Text(lang, "mail.criticality." + c.criticality));
  const std::string greeting = Format(lang, "mail.greeting", c.recipient_name.empty() ? "" : c.recipient_name);
  const std::string signature = Format(lang, "mail.signature", c.number, c.support_address);
  app::RenderedMail out;
  switch (c.kind) {
    case app::MailKind::kTicketReceived: {
      std::string how;
      if (c.timeline) how = text::RenderTimeline(*c.timeline, zone, sla_.intake(), lang);
      out.subject = Format(lang, "mail.ticket_received.subject", c.subject);
      std::string missing;
      if (!c.missing_items.empty()) {
        missing = std::string(i18n::Text(lang, "mail.ticket_received.missing")) + "\n";
        for (const auto& item : c.missing_items) {
          missing += "  - " + std::string(i18n::Text(lang, "mail.intake." + item)) + "\n";
        }
        missing += "\n";
      }
      out.body = greeting + "\n\n" +
                 Format(lang, "mail.ticket_received.body", c.number, c.subject, crit, when(c.received_at),
                        when(c.due), how) +
                 "\n" + missing + std::string(i18n::Text(lang, "mail.ticket_received.advice")) + "\n\n" +
                 signature;
      break;
    }
    case app::MailKind::kAgentReply:
      out.subject = Format(lang, "mail.agent_reply.subject", c.subject);
      out.body = greeting + "\n\n" + Format(lang, "mail.agent_reply.body", c.author_name, c.number, c.body) +
                 "\n\n" + signature;
      break;
    case app::MailKind::kWaitingCustomer:
      out.subject = Format(lang, "mail.waiting_customer.subject", c.subject);
      out.body = greeting + "\n\n" + Format(lang, "mail.waiting_customer.body", c.number, c.subject) +
                 "\n\n" + signature;
      break;
    case app::MailKind::kResolved:
      out.subject = Format(lang, "mail.resolved.subject", c.subject);
      out.body = greeting + "\n\n" + Format(lang, "mail.resolved.body", c.number, c.subject) + "\n\n" + signature;
      break;
    case app::MailKind::kClosed:
      out.subject = Format(lang, "mail.closed.subject", c.subject);
      out.body = greeting + "\n\n" + Format(lang, "mail.closed.body", c.number, c.subject, c.support_address) +
                 "\n\n" + signature;
      break;
    case app::MailKind::kUnknownSender:
      out.subject = Format(lang, "mail.unknown_sender.subject", c.original_subject);
      out.body = Format(lang, "mail.unknown_sender.body", c.original_subject, c.support_address,
                        c.support_address);
      break;
    case app::MailKind::kPasswordReset:
      out.subject = std::string(i18n::Text(lang, "mail.password_reset.subject"));
      out.body = greeting + "\n\n" +
                 Format(lang, "mail.password_reset.body", c.recipient_email, c.link, c.link_minutes,
                        c.support_address);
      break;
    case app::MailKind::kPage: {
      const std::string why = std::string(i18n::Text(lang, "mail.page.reason." + c.page_reason));
      out.subject = Format(lang, "mail.page.subject", c.number, crit, c.subject);
      const std::string ack = c.link.empty()
                                  ? std::string(i18n::Text(lang, "mail.page.no_link"))
                                  : Format(lang, "mail.page.link", c.link, c.link_minutes);
      out.body = greeting + "\n\n" +
                 Format(lang, "mail.page.body", why, c.number, c.subject, crit) + "\n\n" + ack +
                 "\n\n" + Format(lang, "mail.page.escalation", c.support_address);
      break;
    }
    case app::MailKind::kStaffAlert: {
      // Staff alerts (app/alerts): "sla_warning", "sla_breach", "new_critical".
      const std::string key = "mail.staff_alert." + c.alert;
      out.subject = Format(lang, key + ".subject", c.subject);
      out.body =
          greeting + "\n\n" +
          Format(lang, key + ".body", c.number, c.subject, crit, when(c.received_at), when(c.due)) +
          "\n\n" + std::string(i18n::Text(lang, "mail.staff_alert.footer"));
      break;
    }
  }
  return out;
}

}  // namespace soporte::transport::mail
