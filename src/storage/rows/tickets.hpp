// Row readers of tickets, their articles and attachments, and of a ticket's context (the ticket
// joined with its organisation, contract, requester and assignee), for both SQL stores: column
// order matches these column lists; a reader reads from column 0 of any row type with Int, Text,
// IsNull and Bool by column (storage/rows/values.hpp). The context reader reaches the parts of a
// joined row through Shift(row, offset), which each store defines for its row types. Internal to
// storage.
#pragma once

#include <string>
#include <utility>

#include "app/ports/ticket_repository.hpp"
#include "domain/ticket/ticket.hpp"
#include "storage/rows/orgs.hpp"
#include "storage/rows/values.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::rows {

inline constexpr const char* kTicketCols =
    "id, number, org_id, contract_id, requester_id, type, criticality, status, channel, "
    "environment, subject, description, assignee_id, tags, received_at, clock_start, "
    "response_due, first_response_at, created_at, updated_at, version";
template <class Row>
Result<domain::Ticket> TicketFrom(const Row& s) {
  domain::Ticket t;
  t.id = TicketId{s.Int(0)};
  t.number = s.Int(1);
  t.org_id = OrgId{s.Int(2)};
  t.contract_id = ContractId{s.Int(3)};
  t.requester_id = UserId{s.Int(4)};
  SOPORTE_TRY(type, Decode(domain::ParseType(s.Text(5)), "ticket type"));
  t.type = type;
  SOPORTE_TRY(crit, Decode(domain::sla::ParseCriticality(s.Text(6)), "criticality"));
  t.criticality = crit;
  SOPORTE_TRY(status, Decode(domain::ParseStatus(s.Text(7)), "status"));
  t.status = status;
  SOPORTE_TRY(channel, Decode(domain::sla::ParseChannel(s.Text(8)), "channel"));
  t.channel = channel;
  SOPORTE_TRY(env, Decode(domain::ParseEnvironment(s.Text(9)), "environment"));
  t.environment = env;
  t.subject = s.Text(10);
  t.description = s.Text(11);
  t.assignee_id = UserId{s.IsNull(12) ? 0 : s.Int(12)};
  t.tags = SplitTags(s.Text(13));
  t.received_at = At(s.Int(14));
  t.clock_start = At(s.Int(15));
  t.response_due = At(s.Int(16));
  if (!s.IsNull(17)) t.first_response_at = At(s.Int(17));
  t.created_at = At(s.Int(18));
  t.updated_at = At(s.Int(19));
  t.version = s.Int(20);
  return t;
}

inline constexpr const char* kArticleCols =
    "id, ticket_id, author_id, body, internal, channel, created_at, call_caller, call_minutes, "
    "call_direction";
template <class Row>
Result<domain::Article> ArticleFrom(const Row& s) {
  domain::Article a;
  a.id = ArticleId{s.Int(0)};
  a.ticket_id = TicketId{s.Int(1)};
  a.author_id = UserId{s.Int(2)};
  a.body = s.Text(3);
  a.internal = s.Bool(4);
  SOPORTE_TRY(channel, Decode(domain::sla::ParseChannel(s.Text(5)), "channel"));
  a.channel = channel;
  a.created_at = At(s.Int(6));
  if (!s.IsNull(7)) {
    a.call = domain::PhoneCall{s.Text(7), s.IsNull(8) ? 0 : s.Int(8)};
    if (!s.IsNull(9)) {
      SOPORTE_TRY(direction, Decode(domain::ParseCallDirection(s.Text(9)), "call_direction"));
      a.call->direction = direction;
    }
  }
  return a;
}

inline constexpr const char* kAttachmentCols =
    "id, ticket_id, article_id, sha256, filename, content_type, size, uploaded_by, created_at";
template <class Row>
domain::Attachment AttachmentFrom(const Row& s) {
  domain::Attachment a;
  a.id = AttachmentId{s.Int(0)};
  a.ticket_id = TicketId{s.Int(1)};
  if (!s.IsNull(2)) a.article_id = ArticleId{s.Int(2)};
  a.sha256 = s.Text(3);
  a.filename = s.Text(4);
  a.content_type = s.Text(5);
  a.size = s.Int(6);
  a.uploaded_by = UserId{s.Int(7)};
  a.created_at = At(s.Int(8));
  return a;
}

// --- contexts: a ticket joined with its organisation, contract and people ----------------------

// The select list of a context row; the ticket table is `t` (alias), the statement adds its own
// source of tickets before kContextJoins.
inline const std::string& ContextColumns() {
  static const std::string kCols =
      Sql({Qualified("t", kTicketCols), ", ", Qualified("o", kOrgCols), ", ",
           Qualified("c", kContractCols), ", r.id, r.name, r.email, a.id, a.name, a.email"});
  return kCols;
}
inline constexpr const char* kContextJoins =
    " JOIN orgs o ON o.id = t.org_id JOIN contracts c ON c.id = t.contract_id "
    "JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id";

template <class Row>
Result<app::TicketContext> ContextFrom(const Row& s) {
  constexpr int kOrgAt = ColumnCount(kTicketCols);
  constexpr int kContractAt = kOrgAt + ColumnCount(kOrgCols);
  constexpr int kPeopleAt = kContractAt + ColumnCount(kContractCols);
  app::TicketContext c;
  SOPORTE_TRY(ticket, TicketFrom(s));
  SOPORTE_TRY(contract, ContractFrom(Shift(s, kContractAt)));
  c.ticket = std::move(ticket);
  c.org = OrgFrom(Shift(s, kOrgAt));
  c.contract = std::move(contract);
  c.requester =
      app::PersonRef{UserId{s.Int(kPeopleAt)}, s.Text(kPeopleAt + 1), s.Text(kPeopleAt + 2)};
  if (!s.IsNull(kPeopleAt + 3)) {
    c.assignee =
        app::PersonRef{UserId{s.Int(kPeopleAt + 3)}, s.Text(kPeopleAt + 4), s.Text(kPeopleAt + 5)};
  }
  return c;
}

}  // namespace soporte::storage::rows
