// libFuzzer target for the request-body parsers of the JSON API (transport/api/codec/*_codec.cpp;
// DESIGN.md: every parser of outside input has one). The first input byte picks the parser
// ('a' + index as in kParsers below, any other byte modulo the count); the rest is the body.
// Checked: no crash, no sanitizer report, no leak; a failure always carries a message; and the
// parsers with a serialiser round-trip (calendar hours, contact settings, dates) give back the
// same value when their own output is parsed again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <date/date.h>

#include "fuzz_support.hpp"
#include "transport/api/codec/account_codec.hpp"
#include "transport/api/codec/alert_codec.hpp"
#include "transport/api/codec/calendar_codec.hpp"
#include "transport/api/codec/chat_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/mail_codec.hpp"
#include "transport/api/codec/org_codec.hpp"
#include "transport/api/codec/resolution_codec.hpp"
#include "transport/api/codec/settings_codec.hpp"
#include "transport/api/codec/ticket_codec.hpp"
#include "transport/api/codec/webhook_codec.hpp"

namespace {

using soporte::fuzz::CheckError;

using namespace soporte;
namespace api = soporte::transport::api::codec;
namespace json = boost::json;

void CalendarRoundTrip(std::string_view body, bool allow_version) {
  auto in = api::ParseCalendarInput(body, allow_version);
  CheckError(in);
  if (!in) return;
  domain::calendar::CalendarDefinition def;
  def.name = in->name;
  def.zone = in->zone;
  def.hours = in->hours;
  def.colombian_holidays = in->colombian_holidays;
  json::object shown = api::CalendarJson(def).as_object();
  // Only the fields a client sends back (the rest is server-owned and rejected as unknown).
  json::object sent{{"name", shown["name"]}, {"zone", shown["zone"]},
                    {"colombian_holidays", shown["colombian_holidays"]}, {"hours", shown["hours"]}};
  auto again = api::ParseCalendarInput(json::serialize(sent), false);
  if (!again || again->name != in->name || again->zone != in->zone || again->hours != in->hours ||
      again->colombian_holidays != in->colombian_holidays) {
    __builtin_trap();
  }
}

void ContactRoundTrip(std::string_view body) {
  auto s = api::ParseContactSettings(body, app::ContactSettings{"a@example.com", "1", "https://example.com", "es", "en"});
  CheckError(s);
  if (!s) return;
  auto again = api::ParseContactSettings(api::Serialize(api::ContactSettingsJson(*s)), app::ContactSettings{});
  if (!again || again->support_email != s->support_email || again->phone != s->phone ||
      again->portal_url != s->portal_url || again->hours_es != s->hours_es ||
      again->hours_en != s->hours_en || again->chat_greeting_es != s->chat_greeting_es ||
      again->chat_greeting_en != s->chat_greeting_en || again->chat_color != s->chat_color) {
    __builtin_trap();
  }
}

// A webhook subscription: the body, then the domain's checks of its URL, events and secret.
void WebhookInput(std::string_view body) {
  auto in = api::ParseWebhookInput(body);
  CheckError(in);
  if (!in) return;
  CheckError(domain::webhook::CheckWebhook(*in, false));
  CheckError(domain::webhook::CheckWebhook(*in, true));
}

void DateRoundTrip(std::string_view text) {
  auto d = api::ParseDate(text, "date");
  CheckError(d);
  if (!d) return;
  auto again = api::ParseDate(date::format("%F", date::sys_days{d->time_since_epoch()}), "date");
  if (!again || *again != *d) __builtin_trap();
}

// Staff alert preferences (issue 12): what parses serialises to a body that parses to the same.
void AlertPreferencesRoundTrip(std::string_view body) {
  auto p = api::ParseAlertPreferences(body);
  CheckError(p);
  if (!p) return;
  auto again = api::ParseAlertPreferences(json::serialize(api::AlertPreferencesJson(*p)));
  if (!again || !(*again == *p)) __builtin_trap();
}

constexpr soporte::fuzz::Parser kParsers[] = {
    [](std::string_view b) { CheckError(api::ParseCredentials(b)); },       // a
    [](std::string_view b) { CheckError(api::ParsePhoneCall(b)); },         // b
    [](std::string_view b) { CheckError(api::ParseResetRequest(b)); },      // c
    [](std::string_view b) { CheckError(api::ParseResetConfirm(b)); },      // d
    ContactRoundTrip,                                                       // e
    [](std::string_view b) { CheckError(api::ParseNewTicket(b)); },         // f
    [](std::string_view b) { CheckError(api::ParseTicketPatch(b)); },       // g
    [](std::string_view b) { CheckError(api::ParseNewArticle(b)); },        // h
    [](std::string_view b) { CheckError(api::ParseNewOrg(b)); },            // i
    [](std::string_view b) { CheckError(api::ParseNewContract(b)); },       // j
    [](std::string_view b) { CheckError(api::ParseNewUser(b)); },           // k
    [](std::string_view b) { CheckError(api::ParseInboundAction(b)); },     // l
    [](std::string_view b) { CheckError(api::ParseUserChange(b)); },        // m
    [](std::string_view b) { CalendarRoundTrip(b, false); },                // n (POST)
    [](std::string_view b) { CalendarRoundTrip(b, true); },                 // o (PUT)
    [](std::string_view b) { CheckError(api::ParseNewClosure(b)); },        // p
    [](std::string_view b) { CheckError(api::ParseContractPatch(b)); },     // q
    DateRoundTrip,                                                          // r
    WebhookInput,                                                           // s
    AlertPreferencesRoundTrip,                                              // t
    [](std::string_view b) { CheckError(api::ParseResolutionTarget(b)); },  // u
    [](std::string_view b) { CheckError(api::ParseLeftMessage(b)); },  // v (chat, out of hours)
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return soporte::fuzz::Dispatch(kParsers, data, size);
}
