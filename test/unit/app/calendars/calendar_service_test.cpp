#include "app/calendars/calendar_service.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
using namespace date;
using namespace std::chrono_literals;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

Instant Utc(int y, unsigned m, unsigned d, int h) {
  return sys_days{year{y} / month{m} / day{d}} + std::chrono::hours{h};
}

CalendarInput Weekdays(std::string name) {
  CalendarInput in;
  in.name = std::move(name);
  for (unsigned d = 0; d < 5; ++d) in.hours[d] = {{8h, 18h}};
  return in;
}

class CalendarServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    calendars_ = std::make_unique<CalendarService>(store_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    NewContract c8;
    c8.valid_from = sys_days{2026_y / 1 / 1};
    c8_ = admin_->CreateContract(sys, "acme", c8)->id;
    NewContract c24 = c8;
    c24.modality = sla::Modality::k24x7;
    c24_ = admin_->CreateContract(sys, "acme", c24)->id;
    supervisor_ = Make("sara@example.com", Role::kSupervisor, std::nullopt);
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(), NewUser{email, "N " + email, role, org, ""});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  Result<TicketView> Ticket() {
    NewTicket t;
    t.subject = "No abre el módulo";
    t.org_slug = "acme";
    t.criticality = sla::Criticality::kNormal;
    t.received_at = kFriday4pm;
    return tickets_->Create(agent_, t);
  }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<CalendarService> calendars_;
  ContractId c8_, c24_;
  Principal supervisor_, agent_, customer_;
};

TEST_F(CalendarServiceTest, ManagersWriteStaffReadCustomersNothing) {
  auto created = calendars_->Create(supervisor_, Weekdays("Oficina"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->version, 1);
  EXPECT_TRUE(calendars_->Get(agent_, created->id));
  EXPECT_EQ(calendars_->List(agent_)->size(), 1u);
  EXPECT_EQ(calendars_->Create(agent_, Weekdays("Otro")).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(calendars_->AddClosure(agent_, created->id, sys_days{2026_y / 12 / 7}, "x").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(calendars_->List(customer_).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(calendars_->Get(customer_, created->id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(calendars_->AssignToContract(customer_, "acme", c8_, created->id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(calendars_->Get(agent_, CalendarId{99}).error().code, ErrorCode::kNotFound);
}

TEST_F(CalendarServiceTest, CreateAndUpdateValidate) {
  CalendarInput bad = Weekdays("Malo");
  bad.hours[0] = {{8h, 13h}, {12h, 18h}};
  auto r = calendars_->Create(supervisor_, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "hours.monday: intervals 08:00–13:00 and 12:00–18:00 overlap");
  ASSERT_TRUE(calendars_->Create(supervisor_, Weekdays("Oficina")));
  EXPECT_EQ(calendars_->Create(supervisor_, Weekdays("Oficina")).error().code, ErrorCode::kAlreadyExists);

  auto c = calendars_->Create(supervisor_, Weekdays("Planta"));
  ASSERT_TRUE(c);
  CalendarInput edit = Weekdays("Planta norte");
  edit.hours[5] = {{9h, 13h}};
  edit.expected_version = 1;
  auto updated = calendars_->Update(supervisor_, c->id, edit);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->name, "Planta norte");
  EXPECT_EQ(updated->hours[5].size(), 1u);
  // A stale editor is told, and nothing changes.
  EXPECT_EQ(calendars_->Update(supervisor_, c->id, edit).error().code, ErrorCode::kAborted);
  EXPECT_EQ(calendars_->Get(agent_, c->id)->version, 2);
}

TEST_F(CalendarServiceTest, ClosureDaysAreRecordedAndRemoved) {
  auto c = calendars_->Create(supervisor_, Weekdays("Oficina"));
  ASSERT_TRUE(c);
  clock_.Set(kFriday4pm + 1h);
  auto added = calendars_->AddClosure(supervisor_, c->id, sys_days{2026_y / 12 / 7}, "  Inventario anual ");
  ASSERT_TRUE(added) << added.error().message;
  ASSERT_EQ(added->closures.size(), 1u);
  EXPECT_EQ(added->closures[0].reason, "Inventario anual");
  EXPECT_EQ(added->closures[0].created_by, supervisor_.user_id);
  EXPECT_EQ(added->closures[0].created_at, kFriday4pm + 1h);
  EXPECT_EQ(added->version, 2);
  auto dup = calendars_->AddClosure(supervisor_, c->id, sys_days{2026_y / 12 / 7}, "Otra vez");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(calendars_->AddClosure(supervisor_, c->id, sys_days{2026_y / 12 / 9}, " ").error().code,
            ErrorCode::kInvalidArgument);
  // Kept sorted by date.
  ASSERT_TRUE(calendars_->AddClosure(supervisor_, c->id, sys_days{2026_y / 12 / 2}, "Mudanza"));
  auto now = calendars_->Get(agent_, c->id);
  ASSERT_EQ(now->closures.size(), 2u);
  EXPECT_EQ(now->closures[0].date, sys_days{2026_y / 12 / 2});
  auto removed = calendars_->RemoveClosure(supervisor_, c->id, sys_days{2026_y / 12 / 7});
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->closures.size(), 1u);
  EXPECT_EQ(calendars_->RemoveClosure(supervisor_, c->id, sys_days{2026_y / 12 / 7}).error().code,
            ErrorCode::kNotFound);
}

TEST_F(CalendarServiceTest, AssignRefuses24x7AndUnknownThings) {
  auto c = calendars_->Create(supervisor_, Weekdays("Oficina"));
  ASSERT_TRUE(c);
  EXPECT_EQ(calendars_->AssignToContract(supervisor_, "acme", c24_, c->id).error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(calendars_->AssignToContract(supervisor_, "acme", c8_, CalendarId{42}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(calendars_->AssignToContract(supervisor_, "nadie", c8_, c->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(calendars_->AssignToContract(supervisor_, "acme", ContractId{99}, c->id).error().code,
            ErrorCode::kNotFound);
  auto assigned = calendars_->AssignToContract(supervisor_, "acme", c8_, c->id);
  ASSERT_TRUE(assigned) << assigned.error().message;
  EXPECT_EQ(assigned->calendar_id, c->id);
  auto back = calendars_->AssignToContract(supervisor_, "acme", c8_, std::nullopt);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->calendar_id.valid());
}

TEST_F(CalendarServiceTest, AClosureMovesTheDueOfTicketsCreatedAfterwardsOnly) {
  auto before = Ticket();
  ASSERT_TRUE(before) << before.error().message;
  // Built-in 8x5: Friday 16:00 + 8 h = Monday 14:00 Bogota = 19:00 UTC.
  EXPECT_EQ(before->ticket.response_due, Utc(2026, 12, 7, 19));

  auto c = calendars_->Create(supervisor_, Weekdays("Oficina"));
  ASSERT_TRUE(c);
  ASSERT_TRUE(calendars_->AssignToContract(supervisor_, "acme", c8_, c->id));
  ASSERT_TRUE(calendars_->AddClosure(supervisor_, c->id, sys_days{2026_y / 12 / 7}, "Inventario anual"));
  auto after = Ticket();
  ASSERT_TRUE(after) << after.error().message;
  // Monday closed, Tuesday 8 December a holiday: Wednesday 14:00 Bogota = 19:00 UTC.
  EXPECT_EQ(after->ticket.response_due, Utc(2026, 12, 9, 19));
  // The earlier ticket keeps its promise.
  auto kept = tickets_->Get(agent_, before->ticket.number);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->ticket.response_due, Utc(2026, 12, 7, 19));
  // Removing the closure gives Tuesday-holiday-only behaviour again for new tickets: Monday 14:00.
  ASSERT_TRUE(calendars_->RemoveClosure(supervisor_, c->id, sys_days{2026_y / 12 / 7}));
  auto later = Ticket();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->ticket.response_due, Utc(2026, 12, 7, 19));
}

}  // namespace
}  // namespace soporte::app
