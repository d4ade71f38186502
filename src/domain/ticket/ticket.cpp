#include "domain/ticket/ticket.hpp"

#include <string>

namespace soporte::domain {

std::string_view TypeName(TicketType t) {
  return t == TicketType::kIncident ? "incident" : "request";
}

std::optional<TicketType> ParseType(std::string_view s) {
  if (s == "incident") return TicketType::kIncident;
  if (s == "request") return TicketType::kRequest;
  return std::nullopt;
}

std::string_view EnvironmentName(Environment e) {
  switch (e) {
    case Environment::kNone: return "";
    case Environment::kDev: return "dev";
    case Environment::kQa: return "qa";
    case Environment::kProd: return "prod";
  }
  return "";
}

std::optional<Environment> ParseEnvironment(std::string_view s) {
  for (auto e : {Environment::kNone, Environment::kDev, Environment::kQa, Environment::kProd}) {
    if (EnvironmentName(e) == s) return e;
  }
  return std::nullopt;
}

bool ResponseBreached(const Ticket& t, Instant now) {
  // A reply at exactly the due keeps the promise; without a reply the promise is broken from the
  // due instant on (the due is the end of a half-open interval).
  if (t.first_response_at) return *t.first_response_at > t.response_due;
  return now >= t.response_due;
}

std::string EventInstantText(Instant t) { return std::to_string(t.time_since_epoch().count()); }

std::string TrimSpace(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view CallDirectionName(CallDirection d) {
  return d == CallDirection::kOutgoing ? "outgoing" : "incoming";
}

std::optional<CallDirection> ParseCallDirection(std::string_view s) {
  if (s == "incoming") return CallDirection::kIncoming;
  if (s == "outgoing") return CallDirection::kOutgoing;
  return std::nullopt;
}

}  // namespace soporte::domain
