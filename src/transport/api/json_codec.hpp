// The JSON codecs of the API: the only place where use-case values become JSON and JSON becomes
// use-case inputs (Boost.JSON, tag_invoke). Parsers reject unknown fields and name the field in
// every error (kInvalidArgument), so a typo in a client never passes silently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "app/accounts/admin_service.hpp"
#include "app/accounts/auth_service.hpp"
#include "app/calendars/calendar_service.hpp"
#include "app/settings/contact_settings.hpp"
#include "app/mail/inbound_desk.hpp"
#include "app/mail/outbox.hpp"
#include "app/tickets/ticket_service.hpp"

namespace soporte::transport::api {

// ---- output ------------------------------------------------------------------------------
// `sp`: where the JSON's memory comes from. Encode passes an arena for the one response, so the
// forty-odd values of a ticket cost no malloc and free each (a fifth of a ticket read's time).
boost::json::value TicketJson(const app::TicketView& v, boost::json::storage_ptr sp = {});
boost::json::value ArticleJson(const app::ArticleView& v);
boost::json::value AttachmentJson(const app::AttachmentView& v);
boost::json::value HistoryJson(const app::HistoryView& v);
boost::json::value OrgJson(const domain::Organization& o);
boost::json::value ContractJson(const domain::Contract& c);
boost::json::value UserJson(const domain::User& u);
boost::json::value PrincipalJson(const app::Principal& p);

std::string Serialize(const boost::json::value& v);

// ---- input -------------------------------------------------------------------------------
struct Credentials {
  std::string email;
  std::string password;
};
struct NewArticle {
  std::string body;
  bool internal = false;
};
struct NewOrg {
  std::string slug;
  std::string name;
};

Result<Credentials> ParseCredentials(std::string_view body);
Result<app::NewTicket> ParseNewTicket(std::string_view body);
Result<app::TicketPatch> ParseTicketPatch(std::string_view body);
Result<NewArticle> ParseNewArticle(std::string_view body);
Result<NewOrg> ParseNewOrg(std::string_view body);
Result<app::NewContract> ParseNewContract(std::string_view body);
Result<app::NewUser> ParseNewUser(std::string_view body);

// Web UI (docs/api.md): forgotten passwords and the contact settings.
struct ResetRequest {
  std::string email;
  std::string lang;  // "", "es" or "en": the language of the mail
};
struct ResetConfirm {
  std::string token;
  std::string password;
};
Result<ResetRequest> ParseResetRequest(std::string_view body);
Result<app::PhoneCallLog> ParsePhoneCall(std::string_view body);
Result<ResetConfirm> ParseResetConfirm(std::string_view body);
// Fields absent from the body keep their value in `current`.
Result<app::ContactSettings> ParseContactSettings(std::string_view body, app::ContactSettings current);
boost::json::value ContactSettingsJson(const app::ContactSettings& s);
// ---- email desk (docs/api.md, "Inbound mail" and "Outgoing mail") ---------------------------
// `with_text`: the detail shape (text and files); lists leave them out.
boost::json::value InboundJson(const app::InboundView& v, bool with_text);
boost::json::value OutboxJson(const app::OutboxView& v);
// What staff decide on a kept message: {"action":"assign"|"attach"|"spam"|"discard", …}.
struct InboundAction {
  std::string action;
  app::AssignInbound assign;
  std::int64_t ticket = 0;  // attach
  std::string reason;       // spam, discard
};
Result<InboundAction> ParseInboundAction(std::string_view body);
// PATCH /api/v1/users/{id}: any of {"name","lang":"es"|"en"|"","org_admin":bool,
// "role":"agent"|"supervisor"|"admin"|"customer","active":bool}; unknown fields refused.
Result<app::UserChange> ParseUserChange(std::string_view body);
// One entry of GET /api/v1/users/{id}/history: {id, at (UTC), by{id,name}|null, field, before, after}.
boost::json::value UserEventJson(const app::UserEventView& v);
// The intake checklist's rules from a configuration file (serve --intake-rules FILE):
//   [{"type": "incident", "criticality": "critical", "items": ["environment", "logs"]}, …]
// `type` and `criticality` may be omitted (any); the first matching rule applies. kInvalidArgument
// naming the rule and field for anything else.
Result<domain::IntakeRules> ParseIntakeRules(std::string_view text);

// Calendars (docs/api.md "Calendars"): hours as {"monday":[{"from":"08:00","to":"12:00"}],…}.
boost::json::value CalendarJson(const domain::calendar::CalendarDefinition& c);
// POST /api/v1/calendars and PUT /api/v1/calendars/{id} (`version` accepted on PUT only).
Result<app::CalendarInput> ParseCalendarInput(std::string_view body, bool allow_version);
struct NewClosure {
  std::chrono::sys_days date;
  std::string reason;
};
Result<NewClosure> ParseNewClosure(std::string_view body);
// PATCH /api/v1/orgs/{slug}/contracts/{id}: {"calendar_id": id or null}. nullopt = built-in.
Result<std::optional<CalendarId>> ParseContractPatch(std::string_view body);

// Parses a "YYYY-MM-DD" date; kInvalidArgument naming `field` otherwise.
Result<std::chrono::sys_days> ParseDate(std::string_view text, std::string_view field);

}  // namespace soporte::transport::api
