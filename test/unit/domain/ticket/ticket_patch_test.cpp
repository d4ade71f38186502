#include "domain/ticket/ticket_patch.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

using S = TicketStatus;
const Instant kReceived{Seconds{1'800'000'000}};
const Instant kNow = kReceived + Seconds{7200};
const ActingUser kAgent{UserId{7}, Actor::kStaff};
const ActingUser kCustomer{UserId{8}, Actor::kCustomer};

Ticket Open() {
  Ticket t;
  t.id = TicketId{1};
  t.number = 1042;
  t.org_id = OrgId{2};
  t.contract_id = ContractId{3};
  t.status = S::kOpen;
  t.channel = sla::Channel::kPhone;
  t.criticality = sla::Criticality::kNormal;
  t.received_at = kReceived;
  t.tags = {"vpn"};
  return t;
}

Contract ContractOf(ContractId id, OrgId org, sla::Modality m) {
  Contract c;
  c.id = id;
  c.org_id = org;
  c.modality = m;
  c.channels = DefaultChannels(m);
  c.valid_from = std::chrono::sys_days{std::chrono::year{2020} / 1 / 1};
  return c;
}

User Staff(UserId id, std::string email) {
  User u;
  u.id = id;
  u.email = std::move(email);
  u.role = Role::kAgent;
  return u;
}

void ExpectError(const Result<PatchOutcome>& r, ErrorCode code, const std::string& message) {
  ASSERT_FALSE(r) << "expected: " << message;
  EXPECT_EQ(r.error().code, code);
  EXPECT_EQ(r.error().message, message);
}

TEST(TicketPatchTest, AnEmptyPatchChangesNothing) {
  auto r = ApplyPatch(Open(), {}, kAgent, kNow, {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->events.empty());
  EXPECT_FALSE(r->recompute_due);
  EXPECT_EQ(r->ticket.status, S::kOpen);
}

TEST(TicketPatchTest, SettingCurrentValuesIsNoChange) {
  TicketPatch p;
  p.status = S::kOpen;
  p.criticality = sla::Criticality::kNormal;
  p.contract_id = ContractId{3};
  p.assignee = std::optional<UserId>{};
  p.tags = std::vector<std::string>{"vpn"};
  auto r = ApplyPatch(Open(), p, kAgent, kNow, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->events.empty());
  EXPECT_FALSE(r->recompute_due);
}

TEST(TicketPatchTest, StaffMoveAlongTheTable) {
  TicketPatch p;
  p.status = S::kResolved;
  auto r = ApplyPatch(Open(), p, kAgent, kNow, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ticket.status, S::kResolved);
  ASSERT_EQ(r->events.size(), 1u);
  const TicketEvent& e = r->events[0];
  EXPECT_EQ(e.ticket_id, TicketId{1});
  EXPECT_EQ(e.actor_id, UserId{7});
  EXPECT_EQ(e.at, kNow);
  EXPECT_EQ(e.field, "status");
  EXPECT_EQ(e.before, "open");
  EXPECT_EQ(e.after, "resolved");
  EXPECT_FALSE(r->recompute_due);
  EXPECT_EQ(r->ticket.updated_at, Open().updated_at) << "the use case stamps updated_at";
}

TEST(TicketPatchTest, AMoveOffTheTableIsAFailedPrecondition) {
  Ticket t = Open();
  t.status = S::kClosed;
  TicketPatch p;
  p.status = S::kOpen;
  ExpectError(ApplyPatch(t, p, kAgent, kNow, {}), ErrorCode::kFailedPrecondition,
              "closed → open is not allowed");
}

TEST(TicketPatchTest, CustomersMayOnlyCloseOrReopenAResolvedTicket) {
  Ticket t = Open();
  TicketPatch p;
  p.status = S::kResolved;
  ExpectError(ApplyPatch(t, p, kCustomer, kNow, {}), ErrorCode::kPermissionDenied,
              "customers may only close or reopen a resolved ticket");
  t.status = S::kResolved;
  for (S to : {S::kClosed, S::kOpen}) {
    p.status = to;
    auto r = ApplyPatch(t, p, kCustomer, kNow, {});
    ASSERT_TRUE(r) << StatusName(to);
    EXPECT_EQ(r->ticket.status, to);
    EXPECT_EQ(r->events.at(0).actor_id, UserId{8});
  }
}

TEST(TicketPatchTest, CustomersMayChangeNoOtherField) {
  TicketPatch crit;
  crit.criticality = sla::Criticality::kCritical;
  TicketPatch assign;
  assign.assignee = std::optional<UserId>{UserId{7}};
  TicketPatch tags;
  tags.tags = std::vector<std::string>{"x"};
  TicketPatch contract;
  contract.contract_id = ContractId{4};
  for (const TicketPatch& p : {crit, assign, tags, contract}) {
    ExpectError(ApplyPatch(Open(), p, kCustomer, kNow, {}), ErrorCode::kPermissionDenied,
                "customers may only close or reopen a resolved ticket");
    EXPECT_FALSE(CheckPatchRequest(p, Actor::kCustomer, {}));
    EXPECT_TRUE(CheckPatchRequest(p, Actor::kStaff, {}));
  }
}

TEST(TicketPatchTest, TagsAreValidatedBeforeWhoMayChangeThem) {
  TicketPatch p;
  p.tags = std::vector<std::string>{"a", "A"};
  ExpectError(ApplyPatch(Open(), p, kCustomer, kNow, {}), ErrorCode::kInvalidArgument,
              "tags: 'A' is given twice");
  EXPECT_EQ(CheckPatchRequest(p, Actor::kCustomer, {}).error().code, ErrorCode::kInvalidArgument);
}

TEST(TicketPatchTest, CriticalityRecomputesTheDue) {
  TicketPatch p;
  p.criticality = sla::Criticality::kCritical;
  auto r = ApplyPatch(Open(), p, kAgent, kNow, {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->recompute_due);
  EXPECT_EQ(r->ticket.criticality, sla::Criticality::kCritical);
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].field, "criticality");
  EXPECT_EQ(r->events[0].before, std::string(sla::Name(sla::Criticality::kNormal)));
  EXPECT_EQ(r->events[0].after, std::string(sla::Name(sla::Criticality::kCritical)));
}

TEST(TicketPatchTest, TheNewContractMustBeTheOrganisationsAndAcceptTheTicket) {
  TicketPatch p;
  p.contract_id = ContractId{4};
  const std::string missing = "contract: no contract 4 for this ticket's organisation";
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, {}), ErrorCode::kNotFound, missing);
  PatchLookups other_org;
  other_org.contract = ContractOf(ContractId{4}, OrgId{99}, sla::Modality::k24x7);
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, other_org), ErrorCode::kNotFound, missing);

  // The ticket came by phone: an 8x5 contract has no phone line.
  PatchLookups eight_by_five;
  eight_by_five.contract = ContractOf(ContractId{4}, OrgId{2}, sla::Modality::k8x5);
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, eight_by_five), ErrorCode::kUnprocessable,
              "contract: the contract does not include the phone channel");

  // Judged at the ticket's reception, not now.
  PatchLookups not_yet;
  not_yet.contract = ContractOf(ContractId{4}, OrgId{2}, sla::Modality::k24x7);
  not_yet.contract->valid_from = std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, not_yet), ErrorCode::kUnprocessable,
              "contract: the contract is not yet in force");

  PatchLookups ok;
  ok.contract = ContractOf(ContractId{4}, OrgId{2}, sla::Modality::k24x7);
  auto r = ApplyPatch(Open(), p, kAgent, kNow, ok);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ticket.contract_id, ContractId{4});
  EXPECT_TRUE(r->recompute_due);
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].field, "contract");
  EXPECT_EQ(r->events[0].before, "3");
  EXPECT_EQ(r->events[0].after, "4");
}

TEST(TicketPatchTest, OnlyActiveStaffMayBeAssigned) {
  TicketPatch p;
  p.assignee = std::optional<UserId>{UserId{7}};
  const std::string refused = "assignee: no active support staff user 7";
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, {}), ErrorCode::kInvalidArgument, refused);
  PatchLookups customer;
  customer.assignee = Staff(UserId{7}, "c@acme.co");
  customer.assignee->role = Role::kCustomer;
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, customer), ErrorCode::kInvalidArgument, refused);
  PatchLookups inactive;
  inactive.assignee = Staff(UserId{7}, "ana@desk.co");
  inactive.assignee->active = false;
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, inactive), ErrorCode::kInvalidArgument, refused);

  PatchLookups ok;
  ok.assignee = Staff(UserId{7}, "ana@desk.co");
  auto r = ApplyPatch(Open(), p, kAgent, kNow, ok);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ticket.assignee_id, UserId{7});
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].field, "assignee");
  EXPECT_EQ(r->events[0].before, "");
  EXPECT_EQ(r->events[0].after, "ana@desk.co");
  EXPECT_FALSE(r->recompute_due);
}

TEST(TicketPatchTest, ReassigningAndUnassigningNameThePreviousAssignee) {
  Ticket t = Open();
  t.assignee_id = UserId{6};
  TicketPatch p;
  p.assignee = std::optional<UserId>{};
  PatchLookups found;
  found.previous_assignee_email = "luis@desk.co";
  auto r = ApplyPatch(t, p, kAgent, kNow, found);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ticket.assignee_id.valid());
  EXPECT_EQ(r->events.at(0).before, "luis@desk.co");
  EXPECT_EQ(r->events.at(0).after, "");
}

TEST(TicketPatchTest, NeedsNameOnlyWhatChanges) {
  Ticket t = Open();
  t.assignee_id = UserId{6};
  TicketPatch p;
  EXPECT_FALSE(NeedsOf(t, p).contract);
  p.contract_id = ContractId{3};
  p.assignee = std::optional<UserId>{UserId{6}};
  PatchNeeds same = NeedsOf(t, p);
  EXPECT_FALSE(same.contract || same.assignee || same.previous_assignee);
  p.contract_id = ContractId{4};
  p.assignee = std::optional<UserId>{UserId{7}};
  PatchNeeds changed = NeedsOf(t, p);
  EXPECT_EQ(changed.contract, ContractId{4});
  EXPECT_EQ(changed.assignee, UserId{7});
  EXPECT_EQ(changed.previous_assignee, UserId{6});
  p.assignee = std::optional<UserId>{};
  PatchNeeds unassign = NeedsOf(t, p);
  EXPECT_FALSE(unassign.assignee);
  EXPECT_EQ(unassign.previous_assignee, UserId{6});
}

TEST(TicketPatchTest, EventsComeInFieldOrder) {
  TicketPatch p;
  p.tags = std::vector<std::string>{"vpn", "sap"};
  p.assignee = std::optional<UserId>{UserId{7}};
  p.contract_id = ContractId{4};
  p.criticality = sla::Criticality::kImportant;
  p.status = S::kWaitingCustomer;
  PatchLookups found;
  found.contract = ContractOf(ContractId{4}, OrgId{2}, sla::Modality::k24x7);
  found.assignee = Staff(UserId{7}, "ana@desk.co");
  auto r = ApplyPatch(Open(), p, kAgent, kNow, found);
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> fields;
  for (const auto& e : r->events) fields.push_back(e.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"status", "criticality", "contract", "assignee", "tags"}));
  EXPECT_EQ(r->events.back().before, "vpn");
  EXPECT_EQ(r->events.back().after, "vpn,sap");
  EXPECT_TRUE(r->recompute_due);
}

TEST(TicketPatchTest, TheFirstFailureWinsAndNothingIsHalfApplied) {
  TicketPatch p;
  p.status = S::kResolved;
  p.assignee = std::optional<UserId>{UserId{7}};  // not found: refused after the status passed
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, {}), ErrorCode::kInvalidArgument,
              "assignee: no active support staff user 7");
  p.status = S::kNew;  // open → new is off the table: refused before the assignee is judged
  ExpectError(ApplyPatch(Open(), p, kAgent, kNow, {}), ErrorCode::kFailedPrecondition,
              "open → new is not allowed");
}

}  // namespace
}  // namespace soporte::domain
