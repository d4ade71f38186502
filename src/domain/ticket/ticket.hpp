// The ticket and what hangs from it: articles (public replies and internal notes), attachments
// and the append-only history (TicketEvent). Plain values; the rules that change them live beside
// this file (ticket_status: lifecycle; new_ticket: opening; ticket_patch: changes; ticket_article:
// what a message does) and in domain/sla (due dates). app/tickets only orchestrates them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.hpp"
#include "common/time.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/ticket/ticket_status.hpp"

namespace soporte::domain {

enum class TicketType { kIncident, kRequest };
std::string_view TypeName(TicketType t);  // "incident", "request"
std::optional<TicketType> ParseType(std::string_view s);

// Where the problem happens; kNone when the ticket names no environment.
enum class Environment { kNone, kDev, kQa, kProd };
std::string_view EnvironmentName(Environment e);  // "", "dev", "qa", "prod"
std::optional<Environment> ParseEnvironment(std::string_view s);  // "" → kNone

struct Ticket {
  TicketId id;
  std::int64_t number = 0;  // what people quote: "[#1042]"; assigned by the store, never reused
  OrgId org_id;
  ContractId contract_id;
  UserId requester_id;
  TicketType type = TicketType::kIncident;
  sla::Criticality criticality = sla::Criticality::kNormal;
  TicketStatus status = TicketStatus::kNew;
  sla::Channel channel = sla::Channel::kPortal;
  Environment environment = Environment::kNone;
  std::string subject;
  std::string description;
  UserId assignee_id;  // invalid() when unassigned
  std::vector<std::string> tags;
  // SLA fields: the response clock starts at clock_start (see domain/sla) and stops at the first
  // public reply by an agent.
  Instant received_at;
  Instant clock_start;
  Instant response_due;
  std::optional<Instant> first_response_at;
  Instant created_at;
  Instant updated_at;
  std::int64_t version = 1;  // bumped by every update; the store rejects a stale write (kAborted)
};

// True when the response promise is broken at `now`: answered after the due, or not answered and
// `now` is at or past the due (the due instant itself is the last allowed second... exclusive:
// a reply at exactly the due is in time, no reply by the due is a breach from the due on).
bool ResponseBreached(const Ticket& t, Instant now);

// A telephone call recorded on a ticket (an article with channel phone): who called or was
// called, and how long the call lasted.
// Who placed a logged call: the customer (incoming) or support (outgoing, e.g. calling back).
enum class CallDirection { kIncoming, kOutgoing };
std::string_view CallDirectionName(CallDirection d);  // "incoming", "outgoing"
std::optional<CallDirection> ParseCallDirection(std::string_view s);

struct PhoneCall {
  std::string caller;             // the person on the line (name, and a number if useful)
  std::int64_t duration_minutes = 0;
  CallDirection direction = CallDirection::kIncoming;
  friend bool operator==(const PhoneCall&, const PhoneCall&) = default;
};

struct Article {
  ArticleId id;
  TicketId ticket_id;
  UserId author_id;
  std::string body;
  bool internal = false;  // an internal note never reaches a customer
  sla::Channel channel = sla::Channel::kPortal;
  Instant created_at;
  std::optional<PhoneCall> call;  // set for a logged phone call (channel phone)
};

struct Attachment {
  AttachmentId id;
  TicketId ticket_id;
  std::optional<ArticleId> article_id;
  std::string sha256;  // hex; names the blob under DATA/blobs
  std::string filename;
  std::string content_type;  // sniffed from the content, not taken from the client
  std::int64_t size = 0;
  UserId uploaded_by;
  Instant created_at;
};

// One entry of the history: who changed what, when, from what to what. Never rewritten.
struct TicketEvent {
  std::int64_t id = 0;
  TicketId ticket_id;
  UserId actor_id;  // invalid() for the system (e.g. an SLA job)
  Instant at;
  std::string field;  // "created", "status", "criticality", "assignee", "tags", "response_due", …
  std::string before;
  std::string after;
};

// Who does something to a ticket: the user (invalid() for the system) and on which side.
struct ActingUser {
  UserId id;
  Actor actor = Actor::kCustomer;
  bool staff() const { return actor == Actor::kStaff; }
};

// How a history entry writes an instant: seconds since the Unix epoch, e.g. "1765000000".
std::string EventInstantText(Instant t);

// `s` without ASCII white space (space, tab, CR, LF) at either end.
std::string TrimSpace(std::string s);

// True when `s` is empty or only ASCII white space.
bool IsBlank(std::string_view s);

}  // namespace soporte::domain
