#include "app/tickets/ticket_service.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
using domain::TicketStatus;
using std::chrono::hours;
using std::chrono::minutes;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

Instant Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

class TicketServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    NewContract c8;
    c8.modality = sla::Modality::k8x5;
    c8.valid_from = std::chrono::floor<std::chrono::days>(Utc(2026, 1, 1, 0));
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c8));
    ASSERT_TRUE(admin_->CreateContract(sys, "globex", c8));
    NewContract c24 = c8;
    c24.modality = sla::Modality::k24x7;
    auto acme24 = admin_->CreateContract(sys, "acme", c24);
    ASSERT_TRUE(acme24);
    acme24x7_ = acme24->id;
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    other_customer_ = Make("gloria@globex.example.com", Role::kCustomer, "globex");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(), NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  NewTicket Portal(sla::Criticality c) {
    NewTicket t;
    t.subject = "No abre el módulo";
    t.criticality = c;
    return t;
  }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  ContractId acme24x7_;
  Principal customer_, other_customer_, agent_;
};

TEST_F(TicketServiceTest, CustomerTicketGetsTheDueOfTheFirstContractThatTakesTheChannel) {
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->ticket.number, 1001);
  EXPECT_EQ(t->ticket.status, TicketStatus::kNew);
  EXPECT_EQ(t->modality, sla::Modality::k8x5);
  // Friday 16:00 + 8 business hours = Monday 14:00 Bogota = 19:00 UTC.
  EXPECT_EQ(t->ticket.response_due, Utc(2026, 12, 7, 19));
  EXPECT_EQ(t->requester.email, "carlos@acme.example.com");
  ASSERT_EQ(bus_.events.size(), 1u);
  EXPECT_EQ(bus_.events[0].what, "created");
}

// Moving a ticket to another contract applies the test of creation: the contract must have been
// in force when the ticket was received and take the channel it came by. Nothing changes otherwise.
TEST_F(TicketServiceTest, MovingATicketToAContractThatWouldNotTakeItIsRefused) {
  const Principal sys = SystemPrincipal();
  NewTicket in = Portal(sla::Criticality::kCritical);
  in.org_slug = "acme";
  in.channel = sla::Channel::kPhone;
  auto phone = tickets_->Create(agent_, in);
  ASSERT_TRUE(phone) << phone.error().message;
  ASSERT_EQ(phone->ticket.contract_id, acme24x7_);
  const auto n = phone->ticket.number;
  const auto history = tickets_->History(agent_, n)->events.size();

  NewContract c8;
  c8.modality = sla::Modality::k8x5;
  c8.valid_from = std::chrono::floor<std::chrono::days>(Utc(2026, 1, 1, 0));
  auto eight = admin_->CreateContract(sys, "acme", c8);
  ASSERT_TRUE(eight);
  TicketPatch to8;
  to8.contract_id = eight->id;
  auto no_phone = tickets_->Update(agent_, n, to8);
  ASSERT_FALSE(no_phone);
  EXPECT_EQ(no_phone.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(no_phone.error().message, "contract: the contract does not include the phone channel");

  NewContract old24;
  old24.modality = sla::Modality::k24x7;
  old24.valid_from = std::chrono::floor<std::chrono::days>(Utc(2025, 1, 1, 0));
  old24.valid_to = std::chrono::floor<std::chrono::days>(Utc(2025, 12, 31, 0));
  auto expired = admin_->CreateContract(sys, "acme", old24);
  ASSERT_TRUE(expired);
  TicketPatch to_old;
  to_old.contract_id = expired->id;
  auto too_late = tickets_->Update(agent_, n, to_old);
  ASSERT_FALSE(too_late);
  EXPECT_EQ(too_late.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(too_late.error().message, "contract: the contract has expired");

  auto after = tickets_->Get(agent_, n);
  EXPECT_EQ(after->ticket.contract_id, acme24x7_);
  EXPECT_EQ(after->ticket.response_due, phone->ticket.response_due);
  EXPECT_EQ(tickets_->History(agent_, n)->events.size(), history);

  // A portal ticket may move to the 8x5 contract: it takes the portal and was in force.
  NewTicket web = Portal(sla::Criticality::kNormal);
  web.org_slug = "acme";
  web.contract_id = acme24x7_;
  auto portal = tickets_->Create(agent_, web);
  ASSERT_TRUE(portal) << portal.error().message;
  TicketPatch portal_to8;
  portal_to8.contract_id = eight->id;
  auto moved = tickets_->Update(agent_, portal->ticket.number, portal_to8);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->ticket.contract_id, eight->id);
}

// Validity dates are the customer's dates: Friday 20:00 in Bogotá is already Saturday in UTC, and
// a contract valid to Friday still takes the ticket. A new contract starts today, there.
TEST_F(TicketServiceTest, ContractValidityIsCountedInTheContractsZone) {
  const Principal sys = SystemPrincipal();
  const Instant friday8pm = kFriday4pm + hours{4};  // 2026-12-05 01:00 UTC
  clock_.Set(friday8pm);
  NewContract ending;
  ending.modality = sla::Modality::k24x7;
  ending.valid_from = std::chrono::floor<std::chrono::days>(Utc(2026, 1, 1, 0));
  ending.valid_to = std::chrono::floor<std::chrono::days>(Utc(2026, 12, 4, 0));
  auto c = admin_->CreateContract(sys, "globex", ending);
  ASSERT_TRUE(c);
  NewTicket in = Portal(sla::Criticality::kCritical);
  in.org_slug = "globex";
  in.contract_id = c->id;
  auto taken = tickets_->Create(agent_, in);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->ticket.contract_id, c->id);

  // Three hours later it is Friday 23:00 there, still the last day; at midnight it has expired.
  clock_.Set(friday8pm + hours{3} + minutes{59});
  EXPECT_TRUE(tickets_->Create(agent_, in));
  clock_.Set(friday8pm + hours{4});
  auto expired = tickets_->Create(agent_, in);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "the contract has expired");

  // Created at Friday 20:00 there without a start date: it starts on Friday, not on Saturday.
  clock_.Set(friday8pm);
  NewContract fresh;
  fresh.modality = sla::Modality::k24x7;
  auto started = admin_->CreateContract(sys, "globex", fresh);
  ASSERT_TRUE(started);
  EXPECT_EQ(started->valid_from, std::chrono::floor<std::chrono::days>(Utc(2026, 12, 4, 0)));
}

TEST_F(TicketServiceTest, PhoneIsRefusedOnEightByFiveButTakenOnTwentyFourSeven) {
  NewTicket in = Portal(sla::Criticality::kCritical);
  in.org_slug = "globex";
  in.channel = sla::Channel::kPhone;
  auto refused = tickets_->Create(agent_, in);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);

  in.org_slug = "acme";
  auto taken = tickets_->Create(agent_, in);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->ticket.contract_id, acme24x7_);
  EXPECT_EQ(taken->ticket.response_due, kFriday4pm + hours{2});
}

TEST_F(TicketServiceTest, CustomersCannotClaimStaffOnlyFields) {
  NewTicket in = Portal(sla::Criticality::kNormal);
  in.channel = sla::Channel::kPhone;
  EXPECT_EQ(tickets_->Create(customer_, in).error().code, ErrorCode::kInvalidArgument);
  in = Portal(sla::Criticality::kNormal);
  in.received_at = kFriday4pm - hours{30};
  EXPECT_EQ(tickets_->Create(customer_, in).error().code, ErrorCode::kInvalidArgument);
  in = Portal(sla::Criticality::kNormal);
  in.org_slug = "globex";  // not theirs: answered like a missing organisation
  EXPECT_EQ(tickets_->Create(customer_, in).error().code, ErrorCode::kNotFound);
}

TEST_F(TicketServiceTest, AnotherOrganisationsTicketIsNotFoundLikeAMissingOne) {
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t);
  auto theirs = tickets_->Get(other_customer_, t->ticket.number);
  auto missing = tickets_->Get(other_customer_, 999999);
  ASSERT_FALSE(theirs);
  ASSERT_FALSE(missing);
  EXPECT_EQ(theirs.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tickets_->ListArticles(other_customer_, t->ticket.number).error().code, ErrorCode::kNotFound);
  auto list = tickets_->List(other_customer_, TicketListQuery{});
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->tickets.empty());
  TicketListQuery q;
  q.org_slug = "acme";
  EXPECT_TRUE(tickets_->List(other_customer_, q)->tickets.empty());
}

TEST_F(TicketServiceTest, FirstPublicStaffReplyStopsTheClockAndInternalNotesStayInternal) {
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kImportant));
  ASSERT_TRUE(t);
  const auto n = t->ticket.number;
  clock_.Advance(minutes{30});
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "nota: revisar logs", true));
  EXPECT_FALSE(tickets_->Get(agent_, n)->ticket.first_response_at) << "an internal note is no response";
  clock_.Advance(minutes{30});
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Hola Carlos, estamos revisando.", false));
  auto after = tickets_->Get(customer_, n);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->ticket.first_response_at, kFriday4pm + hours{1});
  EXPECT_EQ(after->ticket.status, TicketStatus::kOpen);
  EXPECT_FALSE(after->breached);
  EXPECT_DOUBLE_EQ(after->response_share, 0.25);  // 1 h of a 4 h target

  auto seen_by_customer = tickets_->ListArticles(customer_, n);
  ASSERT_TRUE(seen_by_customer);
  ASSERT_EQ(seen_by_customer->size(), 1u);
  EXPECT_FALSE((*seen_by_customer)[0].article.internal);
  EXPECT_EQ(tickets_->ListArticles(agent_, n)->size(), 2u);
  EXPECT_EQ(tickets_->AddArticle(customer_, n, "x", true).error().code, ErrorCode::kPermissionDenied);
}

TEST_F(TicketServiceTest, CriticalityChangeRecomputesTheDueFromTheReceptionAndIsRecorded) {
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t);
  clock_.Advance(minutes{10});
  TicketPatch p;
  p.criticality = sla::Criticality::kImportant;
  auto u = tickets_->Update(agent_, t->ticket.number, p);
  ASSERT_TRUE(u) << u.error().message;
  // Friday 16:00 + 4 business hours = Monday 10:00 Bogota = 15:00 UTC.
  EXPECT_EQ(u->ticket.response_due, Utc(2026, 12, 7, 15));
  auto h = tickets_->History(agent_, t->ticket.number);
  ASSERT_TRUE(h);
  std::vector<std::string> fields;
  for (const auto& e : h->events) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"created", "criticality", "response_due"}));
  EXPECT_EQ(h->events[1].before, "normal");
  EXPECT_EQ(h->events[1].after, "important");
  EXPECT_EQ(h->actors[1].id, agent_.user_id);
}

TEST_F(TicketServiceTest, LifecycleTableAndCustomerLimits) {
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t);
  const auto n = t->ticket.number;
  TicketPatch close;
  close.status = TicketStatus::kClosed;
  EXPECT_EQ(tickets_->Update(agent_, n, close).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(tickets_->Update(customer_, n, close).error().code, ErrorCode::kPermissionDenied);
  TicketPatch resolve;
  resolve.status = TicketStatus::kResolved;
  ASSERT_TRUE(tickets_->Update(agent_, n, resolve));
  TicketPatch reopen;
  reopen.status = TicketStatus::kOpen;
  ASSERT_TRUE(tickets_->Update(customer_, n, reopen));
  ASSERT_TRUE(tickets_->Update(agent_, n, resolve));
  ASSERT_TRUE(tickets_->Update(customer_, n, close));
  EXPECT_EQ(tickets_->AddArticle(customer_, n, "hola?", false).error().code, ErrorCode::kFailedPrecondition);
  TicketPatch crit;
  crit.criticality = sla::Criticality::kCritical;
  EXPECT_EQ(tickets_->Update(customer_, n, crit).error().code, ErrorCode::kPermissionDenied);
}

TEST_F(TicketServiceTest, AssigneeMustBeActiveStaff) {
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t);
  TicketPatch p;
  p.assignee = std::optional<UserId>{customer_.user_id};
  EXPECT_EQ(tickets_->Update(agent_, t->ticket.number, p).error().code, ErrorCode::kInvalidArgument);
  p.assignee = std::optional<UserId>{agent_.user_id};
  auto u = tickets_->Update(agent_, t->ticket.number, p);
  ASSERT_TRUE(u);
  ASSERT_TRUE(u->assignee);
  EXPECT_EQ(u->assignee->email, "andrea@example.com");
  TicketListQuery mine;
  mine.assignee = std::optional<UserId>{agent_.user_id};
  EXPECT_EQ(tickets_->List(agent_, mine)->tickets.size(), 1u);
  TicketListQuery unassigned;
  unassigned.assignee = std::optional<UserId>{};
  EXPECT_EQ(tickets_->List(agent_, unassigned)->tickets.size(), 0u);
}

TEST_F(TicketServiceTest, BreachedIsEvaluatedAtNowAndListsPageByDue) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(tickets_->Create(customer_, Portal(i % 2 ? sla::Criticality::kCritical : sla::Criticality::kNormal)));
    clock_.Advance(minutes{1});
  }
  // Critical on 8x5: 2 business hours from Friday 16:0x → Monday 08:0x.
  clock_.Set(Utc(2026, 12, 7, 13, 30));  // Monday 08:30 Bogota
  TicketListQuery breached;
  breached.breached = true;
  auto b = tickets_->List(agent_, breached);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->tickets.size(), 2u);
  for (const auto& v : b->tickets) EXPECT_TRUE(v.breached);

  TicketListQuery page;
  page.limit = 2;
  std::vector<std::int64_t> seen;
  for (;;) {
    auto p = tickets_->List(agent_, page);
    ASSERT_TRUE(p);
    for (const auto& v : p->tickets) seen.push_back(v.ticket.number);
    if (!p->next) break;
    page.after = p->next;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1002, 1004, 1001, 1003, 1005}));  // by due
}

TEST_F(TicketServiceTest, BadInputNamesTheFieldAndStoresNothing) {
  NewTicket in = Portal(sla::Criticality::kNormal);
  in.subject = "   ";
  auto r = tickets_->Create(customer_, in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("subject"), std::string::npos);
  in = Portal(sla::Criticality::kNormal);
  in.tags = {"con espacio"};
  EXPECT_EQ(tickets_->Create(customer_, in).error().code, ErrorCode::kInvalidArgument);
  in.tags = {"VPN", "facturacion", "vpn"};
  auto twice = tickets_->Create(customer_, in);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "tags: 'vpn' is given twice");
  EXPECT_TRUE(tickets_->List(agent_, TicketListQuery{})->tickets.empty());
  // The same rule for a change of tags, which leaves the ticket as it was.
  in.tags = {"vpn"};
  auto t = tickets_->Create(customer_, in);
  ASSERT_TRUE(t) << t.error().message;
  TicketPatch p;
  p.tags = std::vector<std::string>{"x", "x"};
  EXPECT_EQ(tickets_->Update(agent_, t->ticket.number, p).error().message, "tags: 'x' is given twice");
  EXPECT_EQ(tickets_->Get(agent_, t->ticket.number)->ticket.tags, std::vector<std::string>{"vpn"});
}

// The intake checklist: the rules' items for the ticket's type and criticality, present when the
// ticket names its environment, answers the item, or carries a matching attachment.
TEST_F(TicketServiceTest, TheChecklistFollowsTheRulesAndWhatTheTicketCarries) {
  NewTicket in = Portal(sla::Criticality::kImportant);
  in.environment = domain::Environment::kProd;
  in.intake = {{"steps", "abrir el módulo"}, {"modifications", " \n "}};
  auto t = tickets_->Create(customer_, in);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_TRUE(t->has_checklist);
  using I = domain::IntakeItem;
  std::vector<domain::ChecklistEntry> expected = {{I::kEnvironment, true}, {I::kSteps, true}, {I::kScreenshots, false},
                                                  {I::kLogs, false}, {I::kModifications, false}, {I::kVersions, false}};
  EXPECT_EQ(t->checklist, expected);
  EXPECT_EQ(t->intake.size(), 1u) << "blank answers are not kept";

  in.intake = {{"telepathy", "x"}};
  auto bad = tickets_->Create(customer_, in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);

  tickets_->SetIntakeRules(*domain::IntakeRules::Create({{std::nullopt, sla::Criticality::kImportant, {I::kVersions}}}));
  auto again = tickets_->Get(customer_, t->ticket.number);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->checklist, (std::vector<domain::ChecklistEntry>{{I::kVersions, false}}));
  // Lists do not compute it (it costs two reads per ticket).
  EXPECT_FALSE(tickets_->List(agent_, TicketListQuery{})->tickets.front().has_checklist);
}

}  // namespace
}  // namespace soporte::app

namespace soporte::app {
namespace {

TEST_F(TicketServiceTest, PhoneCallIsLoggedOnTwentyFourSevenAndRefusedOnEightByFive) {
  // On the 8x5 contract (no phone line), the call is refused and nothing is written.
  auto t8 = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t8);
  auto refused = tickets_->LogPhoneCall(agent_, t8->ticket.number, PhoneCallLog{"Carlos", 5, "Llamó", false});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_NE(refused.error().message.find("no phone line"), std::string::npos);
  EXPECT_TRUE(tickets_->ListArticles(agent_, t8->ticket.number)->empty());

  NewTicket in = Portal(sla::Criticality::kImportant);
  in.contract_id = acme24x7_;
  auto t24 = tickets_->Create(customer_, in);
  ASSERT_TRUE(t24) << t24.error().message;
  const auto n = t24->ticket.number;
  clock_.Advance(minutes{20});
  auto call = tickets_->LogPhoneCall(agent_, n, PhoneCallLog{"  Carlos Pérez ", 12, "Reiniciamos el servicio.", false});
  ASSERT_TRUE(call) << call.error().message;
  EXPECT_EQ(call->article.channel, sla::Channel::kPhone);
  ASSERT_TRUE(call->article.call);
  EXPECT_EQ(call->article.call->caller, "Carlos Pérez");
  EXPECT_EQ(call->article.call->duration_minutes, 12);
  // A public call is support's response.
  EXPECT_EQ(tickets_->Get(agent_, n)->ticket.first_response_at, kFriday4pm + minutes{20});
  auto seen = tickets_->ListArticles(customer_, n);
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].article.call, (domain::PhoneCall{"Carlos Pérez", 12}));

  // Only staff; fields are checked.
  EXPECT_EQ(tickets_->LogPhoneCall(customer_, n, PhoneCallLog{"x", 1, "y", false}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(tickets_->LogPhoneCall(agent_, n, PhoneCallLog{" ", 1, "y", false}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(tickets_->LogPhoneCall(agent_, n, PhoneCallLog{"x", 601, "y", false}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(tickets_->LogPhoneCall(agent_, n, PhoneCallLog{"x", 1, "", false}).error().code,
            ErrorCode::kInvalidArgument);
  // An internal call stays internal.
  ASSERT_TRUE(tickets_->LogPhoneCall(agent_, n, PhoneCallLog{"Carlos", 3, "nota", true}));
  EXPECT_EQ(tickets_->ListArticles(customer_, n)->size(), 1u);
  EXPECT_EQ(tickets_->ListArticles(agent_, n)->size(), 2u);
}

// Observers hear every change inside its transaction; an observer's error rolls the change back.
namespace observers {

struct Recorder final : TicketObserver {
  std::vector<std::string> heard;
  bool fail_next_update = false;
  Status TicketCreated(WriteTx&, const domain::Ticket& t, const Principal&) override {
    heard.push_back("created " + std::to_string(t.number));
    return Ok();
  }
  Status TicketUpdated(WriteTx&, const domain::Ticket& before, const domain::Ticket& after,
                       const std::vector<domain::TicketEvent>& changes, const Principal&) override {
    if (fail_next_update) return Fail(ErrorCode::kUnavailable, "observer down");
    std::string fields;
    for (const auto& e : changes) fields += " " + e.field;
    heard.push_back("updated " + std::string(sla::Name(before.criticality)) + "->" +
                    std::string(sla::Name(after.criticality)) + fields);
    return Ok();
  }
  Status ArticleAdded(WriteTx&, const domain::Ticket& t, const domain::Article& a,
                      const Principal&) override {
    heard.push_back(std::string(a.internal ? "note" : "article") +
                    (t.first_response_at ? " responded" : ""));
    return Ok();
  }
};

}  // namespace observers

TEST_F(TicketServiceTest, ObserversHearEveryChangeAndTheirErrorRollsItBack) {
  observers::Recorder rec;
  tickets_->AddObserver(&rec);
  auto t = tickets_->Create(customer_, Portal(sla::Criticality::kNormal));
  ASSERT_TRUE(t) << t.error().message;
  const auto n = t->ticket.number;
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Revisando", true));
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Hola, ya lo vemos", false));
  TicketPatch crit;
  crit.criticality = sla::Criticality::kCritical;
  ASSERT_TRUE(tickets_->Update(agent_, n, crit));
  EXPECT_EQ(rec.heard,
            (std::vector<std::string>{"created " + std::to_string(n), "note", "article responded",
                                      "updated normal->critical criticality response_due"}));

  rec.fail_next_update = true;
  TicketPatch back;
  back.criticality = sla::Criticality::kNormal;
  auto refused = tickets_->Update(agent_, n, back);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(tickets_->Get(agent_, n)->ticket.criticality, sla::Criticality::kCritical);
}

}  // namespace
}  // namespace soporte::app
