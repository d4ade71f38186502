// The SLA watch over the memory store and a FakeClock: thresholds armed by the ticket's changes,
// fired once each and in order, across restarts (a new SlaWatch on the same store), a node that
// died holding a claim, the clock going back, a criticality change and a first response.
#include "app/sla/sla_watch.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
using domain::sla::SlaFiring;
using domain::sla::SlaThresholdKind;
using std::chrono::hours;
using std::chrono::minutes;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

// Records every SlaReached, in order.
class RecordingObserver final : public TicketObserver {
 public:
  Status SlaReached(WriteTx&, const domain::Ticket& t, const SlaFiring& f) override {
    heard.push_back({t.number, f});
    return Ok();
  }
  std::vector<std::pair<std::int64_t, SlaFiring>> heard;
};

class SlaWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    watch_ = NewWatch("node-a");
    tickets_->AddObserver(watch_.get());
    tickets_->AddObserver(&recorded_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    NewContract c24;
    c24.modality = sla::Modality::k24x7;
    c24.valid_from = std::chrono::floor<std::chrono::days>(kFriday4pm - hours{24 * 30});
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c24));
    auto u = admin_->CreateUser(
        sys, NewUser{"andrea@example.com", "Andrea", Role::kAgent, std::nullopt, "password123"});
    ASSERT_TRUE(u) << u.error().message;
    agent_ = PrincipalOf(*u);
  }

  std::unique_ptr<SlaWatch> NewWatch(std::string node, int percent = 75) {
    SlaWatchOptions o;
    o.node = std::move(node);
    o.warning_percent = percent;
    return std::make_unique<SlaWatch>(store_, *sla_, clock_, tickets_->observers(), o);
  }

  // A phone ticket on the 24x7 contract, received now: critical = 2 h, normal = 8 h.
  std::int64_t Open(sla::Criticality c) {
    NewTicket in;
    in.subject = "Caída del servicio";
    in.criticality = c;
    in.org_slug = "acme";
    in.channel = sla::Channel::kPhone;
    auto t = tickets_->Create(agent_, in);
    EXPECT_TRUE(t) << t.error().message;
    return t ? t->ticket.number : 0;
  }

  SlaTickReport Tick(SlaWatch& w) {
    auto r = w.Tick();
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : SlaTickReport{};
  }

  // The SLA fields of the ticket's history, in order.
  std::vector<std::string> SlaHistory(std::int64_t number) {
    std::vector<std::string> out;
    auto h = tickets_->History(agent_, number);
    EXPECT_TRUE(h);
    for (const auto& e : h->events) {
      if (e.field.starts_with("sla_")) out.push_back(e.field);
    }
    return out;
  }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  RecordingObserver recorded_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<SlaWatch> watch_;
  Principal agent_;
};

TEST_F(SlaWatchTest, WarnsAtThreeQuartersAndBreachesAfterTheDueEachOnce) {
  const auto n = Open(sla::Criticality::kCritical);
  clock_.Advance(minutes{89});
  EXPECT_EQ(Tick(*watch_).warnings, 0);
  clock_.Advance(minutes{1});  // 75 % of 2 h
  auto first = Tick(*watch_);
  EXPECT_EQ(first.warnings, 1);
  EXPECT_EQ(first.breaches, 0);
  EXPECT_EQ(Tick(*watch_).warnings, 0);
  clock_.Set(kFriday4pm + hours{2});  // a reply at the due itself is in time: no breach yet
  EXPECT_EQ(Tick(*watch_).breaches, 0);
  clock_.Advance(Seconds{1});
  EXPECT_EQ(Tick(*watch_).breaches, 1);
  EXPECT_EQ(Tick(*watch_).breaches, 0);
  EXPECT_EQ(SlaHistory(n), (std::vector<std::string>{"sla_warning", "sla_breached"}));
  ASSERT_EQ(recorded_.heard.size(), 2u);
  EXPECT_EQ(recorded_.heard[0].second.kind, SlaThresholdKind::kWarning);
  EXPECT_EQ(recorded_.heard[0].second.reached, kFriday4pm + minutes{90});
  EXPECT_EQ(recorded_.heard[0].second.due, kFriday4pm + hours{2});
  EXPECT_EQ(recorded_.heard[1].second.kind, SlaThresholdKind::kBreach);
  EXPECT_EQ(recorded_.heard[1].second.reached, kFriday4pm + hours{2});
  EXPECT_EQ(watch_->warnings_fired(), 1u);
  EXPECT_EQ(watch_->breaches_fired(), 1u);
}

TEST_F(SlaWatchTest, BothPastAtTheFirstLookFireWarningThenBreachOnce) {
  const auto n = Open(sla::Criticality::kCritical);
  const auto m = Open(sla::Criticality::kCritical);
  clock_.Advance(hours{5});
  auto r = Tick(*watch_);
  EXPECT_EQ(r.warnings, 2);
  EXPECT_EQ(r.breaches, 2);
  EXPECT_EQ(SlaHistory(n), (std::vector<std::string>{"sla_warning", "sla_breached"}));
  EXPECT_EQ(SlaHistory(m), (std::vector<std::string>{"sla_warning", "sla_breached"}));
  ASSERT_EQ(recorded_.heard.size(), 4u);
  for (std::int64_t number : {n, m}) {
    std::vector<SlaThresholdKind> kinds;
    for (const auto& [num, f] : recorded_.heard) {
      if (num == number) kinds.push_back(f.kind);
    }
    EXPECT_EQ(kinds, (std::vector<SlaThresholdKind>{SlaThresholdKind::kWarning,
                                                    SlaThresholdKind::kBreach}));
  }
  EXPECT_EQ(recorded_.heard[0].second.fired_at, kFriday4pm + hours{5});
}

TEST_F(SlaWatchTest, ARestartedWatchFiresNothingTwiceAndTheRestOnce) {
  const auto n = Open(sla::Criticality::kCritical);
  clock_.Advance(minutes{100});
  EXPECT_EQ(Tick(*watch_).warnings, 1);
  // A restart: a new process (another node name) over the same store.
  auto restarted = NewWatch("node-b");
  EXPECT_EQ(Tick(*restarted).warnings, 0);
  // The clock is set back an hour, then forward: nothing fires twice, the breach fires once.
  clock_.Advance(-hours{1});
  EXPECT_EQ(Tick(*restarted).warnings + Tick(*restarted).breaches, 0);
  clock_.Set(kFriday4pm + hours{3});
  auto r = Tick(*restarted);
  EXPECT_EQ(r.warnings, 0);
  EXPECT_EQ(r.breaches, 1);
  EXPECT_EQ(Tick(*watch_).breaches + Tick(*restarted).breaches, 0);
  EXPECT_EQ(SlaHistory(n), (std::vector<std::string>{"sla_warning", "sla_breached"}));
}

TEST_F(SlaWatchTest, AClaimOfANodeThatDiedIsTakenOverWhenItsLeaseEnds) {
  const auto n = Open(sla::Criticality::kCritical);
  clock_.Advance(minutes{95});
  // node-dead claimed the warning and died before firing it.
  auto claimed = WriteValue(store_, [&](WriteTx& tx) {
    return tx.sla().ClaimThresholds(clock_.Now(), "node-dead", clock_.Now() + Seconds{60}, 10);
  });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(Tick(*watch_).warnings, 0);
  clock_.Advance(Seconds{61});
  EXPECT_EQ(Tick(*watch_).warnings, 1);
  EXPECT_EQ(SlaHistory(n), (std::vector<std::string>{"sla_warning"}));
}

TEST_F(SlaWatchTest, ACriticalityChangeReArmsWhatHasNotFired) {
  const auto n = Open(sla::Criticality::kNormal);  // 8 h: warning at 6 h
  clock_.Advance(hours{1});
  EXPECT_EQ(Tick(*watch_).warnings, 0);
  TicketPatch up;
  up.criticality = sla::Criticality::kCritical;  // 2 h from reception: warning at 1 h 30
  ASSERT_TRUE(tickets_->Update(agent_, n, up));
  clock_.Advance(minutes{29});
  EXPECT_EQ(Tick(*watch_).warnings, 0);
  clock_.Advance(minutes{1});
  EXPECT_EQ(Tick(*watch_).warnings, 1);
  // Back to normal (due 8 h): the warning fired already and is not fired again; the breach moves.
  TicketPatch down;
  down.criticality = sla::Criticality::kNormal;
  ASSERT_TRUE(tickets_->Update(agent_, n, down));
  clock_.Set(kFriday4pm + hours{7});
  auto r = Tick(*watch_);
  EXPECT_EQ(r.warnings + r.breaches, 0);
  clock_.Set(kFriday4pm + hours{8} + Seconds{1});
  EXPECT_EQ(Tick(*watch_).breaches, 1);
  EXPECT_EQ(SlaHistory(n), (std::vector<std::string>{"sla_warning", "sla_breached"}));
  EXPECT_EQ(recorded_.heard.back().second.due, kFriday4pm + hours{8});
}

TEST_F(SlaWatchTest, TheFirstResponseDisarms) {
  const auto n = Open(sla::Criticality::kCritical);
  clock_.Advance(minutes{30});
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Estamos revisando.", false));
  clock_.Advance(hours{5});
  auto r = Tick(*watch_);
  EXPECT_EQ(r.warnings + r.breaches, 0);
  EXPECT_TRUE(SlaHistory(n).empty());
  auto rows = ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<SlaThresholdRecord>> {
    SOPORTE_TRY(t, tx.tickets().GetTicketByNumber(n));
    return tx.sla().ListThresholds(t.id);
  });
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());
}

TEST_F(SlaWatchTest, AnInternalNoteDoesNotDisarm) {
  const auto n = Open(sla::Criticality::kCritical);
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Nota interna", true));
  clock_.Advance(hours{3});
  auto r = Tick(*watch_);
  EXPECT_EQ(r.warnings, 1);
  EXPECT_EQ(r.breaches, 1);
}

TEST_F(SlaWatchTest, TicketsOpenBeforeTheWatchAreArmedFromTheQueue) {
  // A desk without the watch (as before 0014): the ticket has no thresholds.
  TicketService plain(store_, *sla_, bus_, clock_);
  NewTicket in;
  in.subject = "Antiguo";
  in.criticality = sla::Criticality::kCritical;
  in.org_slug = "acme";
  in.channel = sla::Channel::kPhone;
  auto t = plain.Create(agent_, in);
  ASSERT_TRUE(t);
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) { return tx.sla().QueueArm(t->ticket.id); }));
  clock_.Advance(minutes{91});
  auto r = Tick(*watch_);
  EXPECT_EQ(r.armed, 1);
  EXPECT_EQ(r.warnings, 1);
  EXPECT_EQ(Tick(*watch_).armed, 0);
  EXPECT_EQ(SlaHistory(t->ticket.number), (std::vector<std::string>{"sla_warning"}));
}

TEST_F(SlaWatchTest, TheWarningShareIsConfigurable) {
  // Another desk over the same store whose watch warns at 50 %.
  TicketService svc(store_, *sla_, bus_, clock_);
  SlaWatch half(store_, *sla_, clock_, svc.observers(), [] {
    SlaWatchOptions o;
    o.warning_percent = 50;
    return o;
  }());
  svc.AddObserver(&half);
  NewTicket in;
  in.subject = "Mitad";
  in.criticality = sla::Criticality::kCritical;
  in.org_slug = "acme";
  in.channel = sla::Channel::kPhone;
  ASSERT_TRUE(svc.Create(agent_, in));
  clock_.Advance(minutes{59});
  EXPECT_EQ(half.Tick()->warnings, 0);
  clock_.Advance(minutes{1});
  EXPECT_EQ(half.Tick()->warnings, 1);
}

TEST_F(SlaWatchTest, OptionsOutOfRangeAreRefusedNamingTheField) {
  for (int p : {0, 100, -5}) {
    SlaWatchOptions o;
    o.warning_percent = p;
    auto st = CheckSlaWatchOptions(o);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(st.error().message.find("sla-warning-percent"), std::string::npos);
  }
  EXPECT_TRUE(CheckSlaWatchOptions(SlaWatchOptions{}));
}

// On an 8x5 calendar the warning counts business time: Friday 16:00 Bogota + 75 % of 8 h = 6 h of
// business time = Friday 2 h + Monday 4 h → Monday 12:00 Bogota.
TEST(WarningInstantTest, CountsOnTheContractCalendar) {
  auto cal = domain::calendar::BusinessCalendar::Make8x5("America/Bogota");
  ASSERT_TRUE(cal);
  using namespace std::chrono;
  const Instant monday_noon_bogota = sys_days{year{2026} / 12 / 7} + hours{17};
  EXPECT_EQ(WarningInstant(*cal, kFriday4pm, hours{8}, 75), monday_noon_bogota);
}

}  // namespace
}  // namespace soporte::app
