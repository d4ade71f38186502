#include "domain/ticket/new_ticket.hpp"

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

const Instant kNow{Seconds{1'800'000'000}};

NewTicket Valid() {
  NewTicket in;
  in.org_slug = "acme";
  in.subject = "El portal no carga";
  return in;
}

void ExpectInvalid(const Result<CheckedNewTicket>& r, const std::string& message) {
  ASSERT_FALSE(r) << "expected: " << message;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, message);
}

TEST(NewTicketTest, TrimsTheSubjectAndDefaultsChannelAndReception) {
  NewTicket in = Valid();
  in.subject = " \t Portal caído \r\n";
  auto r = CheckNewTicket(in, Actor::kStaff, kNow, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.subject, "Portal caído");
  EXPECT_EQ(r->channel, sla::Channel::kPortal);
  EXPECT_EQ(r->received, kNow);
}

TEST(NewTicketTest, SubjectIsRequiredAndLimited) {
  NewTicket in = Valid();
  in.subject = "  \n ";
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, {}), "subject is required");
  TicketLimits limits;
  limits.max_subject = 5;
  in.subject = "  12345  ";
  EXPECT_TRUE(CheckNewTicket(in, Actor::kStaff, kNow, limits)) << "counted after trimming";
  in.subject = "123456";
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, limits), "subject: at most 5 bytes");
}

TEST(NewTicketTest, DescriptionIsLimited) {
  TicketLimits limits;
  limits.max_description = 4;
  NewTicket in = Valid();
  in.description = "1234";
  EXPECT_TRUE(CheckNewTicket(in, Actor::kStaff, kNow, limits));
  in.description = "12345";
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, limits), "description: at most 4 bytes");
}

TEST(NewTicketTest, TagsFollowTheTagRules) {
  NewTicket in = Valid();
  in.tags = {"vpn", "VPN"};
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, {}), "tags: 'VPN' is given twice");
}

TEST(NewTicketTest, IntakeNamesKnownItemsWithinTheLimit) {
  TicketLimits limits;
  limits.max_description = 3;
  NewTicket in = Valid();
  in.intake = {{"steps", "abc"}, {"versions", "1.2"}};
  EXPECT_TRUE(CheckNewTicket(in, Actor::kStaff, kNow, limits));
  in.intake = {{"weather", "sunny"}};
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, limits),
                "intake: unknown item 'weather' (environment, steps, screenshots, logs, "
                "modifications, versions)");
  in.intake = {{"logs", "abcd"}};
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, limits), "intake.logs: at most 3 bytes");
}

TEST(NewTicketTest, CustomersOpenByPortalOrChatOnly) {
  NewTicket in;
  in.subject = "x";
  EXPECT_TRUE(CheckNewTicket(in, Actor::kCustomer, kNow, {})) << "a customer needs no org";
  in.channel = sla::Channel::kChat;
  auto chat = CheckNewTicket(in, Actor::kCustomer, kNow, {});
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->channel, sla::Channel::kChat);
  for (auto c : {sla::Channel::kEmail, sla::Channel::kPhone}) {
    in.channel = c;
    ExpectInvalid(CheckNewTicket(in, Actor::kCustomer, kNow, {}),
                  "channel: customers open tickets by portal or chat");
    EXPECT_TRUE(CheckNewTicket(Valid(), Actor::kStaff, kNow, {}));
  }
}

TEST(NewTicketTest, OnlyStaffSetTheRequesterOrTheReception) {
  NewTicket in;
  in.subject = "x";
  in.requester_email = "ana@acme.co";
  ExpectInvalid(CheckNewTicket(in, Actor::kCustomer, kNow, {}),
                "requester: only support staff may set it");
  in.requester_email.reset();
  in.received_at = kNow - Seconds{60};
  ExpectInvalid(CheckNewTicket(in, Actor::kCustomer, kNow, {}),
                "received_at: only support staff may set it");
}

TEST(NewTicketTest, StaffNameTheOrgAndMayBackdateButNotForwardDate) {
  NewTicket in = Valid();
  in.org_slug.reset();
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, {}), "org is required");
  in = Valid();
  in.channel = sla::Channel::kPhone;
  in.received_at = kNow - Seconds{3600};
  auto r = CheckNewTicket(in, Actor::kStaff, kNow, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->received, kNow - Seconds{3600});
  EXPECT_EQ(r->channel, sla::Channel::kPhone);
  in.received_at = kNow;
  EXPECT_TRUE(CheckNewTicket(in, Actor::kStaff, kNow, {})) << "now is not the future";
  in.received_at = kNow + Seconds{1};
  ExpectInvalid(CheckNewTicket(in, Actor::kStaff, kNow, {}), "received_at is in the future");
}

TEST(NewTicketTest, ChecksInOrderTextBeforeWho) {
  NewTicket in;  // a customer by email, with no subject: the subject is reported first
  in.channel = sla::Channel::kEmail;
  ExpectInvalid(CheckNewTicket(in, Actor::kCustomer, kNow, {}), "subject is required");
  in.subject = "x";
  in.tags = {"a b"};
  ExpectInvalid(CheckNewTicket(in, Actor::kCustomer, kNow, {}),
                "tags: a tag may not contain spaces or commas");
  in.tags.clear();
  in.intake = {{"nope", ""}};
  ExpectInvalid(CheckNewTicket(in, Actor::kCustomer, kNow, {}),
                "intake: unknown item 'nope' (environment, steps, screenshots, logs, "
                "modifications, versions)");
}

TEST(NewTicketTest, TheTicketARequestBecomes) {
  NewTicket in = Valid();
  in.type = TicketType::kRequest;
  in.criticality = sla::Criticality::kCritical;
  in.environment = Environment::kProd;
  in.description = "desde las 8";
  in.tags = {"portal"};
  const CheckedNewTicket checked{in, sla::Channel::kEmail, kNow - Seconds{10}};
  const Ticket t = TicketFromRequest(checked, OrgId{3}, ContractId{4}, UserId{5}, kNow + Seconds{1},
                                     kNow + Seconds{2}, kNow);
  EXPECT_EQ(t.org_id, OrgId{3});
  EXPECT_EQ(t.contract_id, ContractId{4});
  EXPECT_EQ(t.requester_id, UserId{5});
  EXPECT_EQ(t.type, TicketType::kRequest);
  EXPECT_EQ(t.criticality, sla::Criticality::kCritical);
  EXPECT_EQ(t.status, TicketStatus::kNew);
  EXPECT_EQ(t.channel, sla::Channel::kEmail);
  EXPECT_EQ(t.environment, Environment::kProd);
  EXPECT_EQ(t.subject, "El portal no carga");
  EXPECT_EQ(t.description, "desde las 8");
  EXPECT_EQ(t.tags, std::vector<std::string>{"portal"});
  EXPECT_EQ(t.received_at, kNow - Seconds{10});
  EXPECT_EQ(t.clock_start, kNow + Seconds{1});
  EXPECT_EQ(t.response_due, kNow + Seconds{2});
  EXPECT_EQ(t.created_at, kNow);
  EXPECT_EQ(t.updated_at, kNow);
  EXPECT_FALSE(t.first_response_at);
  EXPECT_FALSE(t.assignee_id.valid());
}

TEST(NewTicketTest, TheHistoryOpensWithCreated) {
  Ticket t;
  t.id = TicketId{9};
  const TicketEvent e = CreatedEvent(t, UserId{2}, kNow);
  EXPECT_EQ(e.ticket_id, TicketId{9});
  EXPECT_EQ(e.actor_id, UserId{2});
  EXPECT_EQ(e.at, kNow);
  EXPECT_EQ(e.field, "created");
  EXPECT_EQ(e.before, "");
  EXPECT_EQ(e.after, "new");
}

}  // namespace
}  // namespace soporte::domain
