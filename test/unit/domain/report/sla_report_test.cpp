// The SLA report against figures computed by hand: an 8x5 Bogota contract (Mon–Fri 08–18,
// Colombian holidays) until March, then a 24x7 one; a weekend, San José (Mon 2026-03-23) and
// Jueves Santo (Thu 2026-04-02, which a 24x7 contract does not close for).
#include "domain/report/sla_report.hpp"

#include <map>

#include <gtest/gtest.h>

#include "../sla/sla_test_util.hpp"

namespace soporte::domain::report {
namespace {

using namespace date;
using namespace std::chrono_literals;
using sla::Channel;
using sla::Criticality;
using sla::testing_util::Bog;
using S = TicketStatus;

constexpr ContractId kA{1};  // 8x5
constexpr ContractId kB{2};  // 24x7

Instant At(year_month_day d, Seconds t) { return Bog(local_days{d}, t); }

class SlaReportTest : public ::testing::Test {
 protected:
  SlaReportTest()
      : c8x5_(*calendar::BusinessCalendar::Make8x5("America/Bogota")),
        c24_(*calendar::BusinessCalendar::Make24x7("America/Bogota")) {
    // T1: Fri 20 Mar 16:00, due Tue 24 14:00 (Fri 2 h + Tue 6 h; Mon 23 is San José).
    // Reply Tue 09:00 = 3 h. Waits on the customer Tue 10:00 → Wed 10:00; resolved Wed 12:00:
    // Fri 2 h + Tue 08–10 2 h + Wed 10–12 2 h = 6 h.
    t_.push_back({1001,
                  kA,
                  Criticality::kNormal,
                  Channel::kPortal,
                  S::kResolved,
                  At(2026_y / 3 / 20, 16h),
                  At(2026_y / 3 / 20, 16h),
                  At(2026_y / 3 / 24, 14h),
                  At(2026_y / 3 / 24, 9h),
                  {{At(2026_y / 3 / 24, 9h), S::kOpen},
                   {At(2026_y / 3 / 24, 10h), S::kWaitingCustomer},
                   {At(2026_y / 3 / 25, 10h), S::kOpen},
                   {At(2026_y / 3 / 25, 12h), S::kResolved}}});
    // T2: email on Sat 21 Mar 10:00; the clock starts Tue 24 08:00, due 12:00; reply 15:00
    // (breached) = 7 h. Still open.
    t_.push_back({1002,
                  kA,
                  Criticality::kImportant,
                  Channel::kEmail,
                  S::kOpen,
                  At(2026_y / 3 / 21, 10h),
                  At(2026_y / 3 / 24, 8h),
                  At(2026_y / 3 / 24, 12h),
                  At(2026_y / 3 / 24, 15h),
                  {{At(2026_y / 3 / 24, 15h), S::kOpen}}});
    // T3: Thu 26 Mar 17:00, due Fri 09:00; reply Fri 08:30 = 1.5 h. Resolved Fri 09:00, reopened
    // Mon 30 08:00, resolved 10:00, closed Tue 08:00: 1 h + 1 h + 2 h = 4 h.
    t_.push_back({1003,
                  kA,
                  Criticality::kCritical,
                  Channel::kChat,
                  S::kClosed,
                  At(2026_y / 3 / 26, 17h),
                  At(2026_y / 3 / 26, 17h),
                  At(2026_y / 3 / 27, 9h),
                  At(2026_y / 3 / 27, 8h + 30min),
                  {{At(2026_y / 3 / 27, 8h + 30min), S::kOpen},
                   {At(2026_y / 3 / 27, 9h), S::kResolved},
                   {At(2026_y / 3 / 30, 8h), S::kOpen},
                   {At(2026_y / 3 / 30, 10h), S::kResolved},
                   {At(2026_y / 3 / 31, 8h), S::kClosed}}});
    // T4: Wed 4 Feb 09:00, due 17:00, never answered: breached.
    t_.push_back({1004,
                  kA,
                  Criticality::kNormal,
                  Channel::kPortal,
                  S::kNew,
                  At(2026_y / 2 / 4, 9h),
                  At(2026_y / 2 / 4, 9h),
                  At(2026_y / 2 / 4, 17h),
                  std::nullopt,
                  {}});
    // T5 (24x7): Jueves Santo 22:00, due Fri 00:00; reply 23:30 = 1.5 h; resolved Fri 03:30 = 5.5
    // h.
    t_.push_back({1005,
                  kB,
                  Criticality::kCritical,
                  Channel::kPhone,
                  S::kResolved,
                  At(2026_y / 4 / 2, 22h),
                  At(2026_y / 4 / 2, 22h),
                  At(2026_y / 4 / 3, 0h),
                  At(2026_y / 4 / 2, 23h + 30min),
                  {{At(2026_y / 4 / 2, 23h + 30min), S::kOpen},
                   {At(2026_y / 4 / 3, 3h + 30min), S::kResolved}}});
    // T6 (24x7): Fri 10 Apr 10:00, due 18:00, no reply at `now` (12:00): pending.
    t_.push_back({1006,
                  kB,
                  Criticality::kNormal,
                  Channel::kChat,
                  S::kNew,
                  At(2026_y / 4 / 10, 10h),
                  At(2026_y / 4 / 10, 10h),
                  At(2026_y / 4 / 10, 18h),
                  std::nullopt,
                  {}});
  }

  SlaReport Build(std::vector<Dimension> g) {
    auto r = BuildSlaReport(
        t_,
        [this](ContractId c) -> const calendar::BusinessCalendar* {
          return c == kA ? &c8x5_ : c == kB ? &c24_ : nullptr;
        },
        date::locate_zone("America/Bogota"), now_, g);
    EXPECT_TRUE(r.has_value());
    return *r;
  }

  calendar::BusinessCalendar c8x5_, c24_;
  std::vector<TicketFacts> t_;
  Instant now_ = At(2026_y / 4 / 10, 12h);
};

TEST_F(SlaReportTest, ResponseAndResolutionTimesCountBusinessHoursOnly) {
  EXPECT_EQ(ResponseTime(t_[0], c8x5_), Seconds{3h});
  EXPECT_EQ(ResolutionTime(t_[0], c8x5_), Seconds{6h});  // the wait on the customer is not counted
  EXPECT_EQ(ResponseTime(t_[1], c8x5_), Seconds{7h});
  EXPECT_EQ(ResolutionTime(t_[1], c8x5_), std::nullopt);  // still open
  EXPECT_EQ(ResolutionTime(t_[2], c8x5_),
            Seconds{4h});  // resolved time before a reopen is not counted
  EXPECT_EQ(ResponseTime(t_[3], c8x5_), std::nullopt);
  EXPECT_EQ(ResolutionTime(t_[4], c24_), Seconds{5h + 30min});
}

TEST_F(SlaReportTest, ByMonth) {
  const SlaReport r = Build({Dimension::kMonth});
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].month, "2026-02");
  EXPECT_EQ(r.rows[0].received, 1);
  EXPECT_EQ(r.rows[0].breached, 1);
  EXPECT_EQ(r.rows[0].compliance, 0.0);
  EXPECT_EQ(r.rows[0].response_p50, std::nullopt);

  const ReportRow& mar = r.rows[1];
  EXPECT_EQ(mar.month, "2026-03");
  EXPECT_EQ(mar.criticality, std::nullopt);
  EXPECT_EQ(mar.received, 3);
  EXPECT_EQ(mar.answered, 3);
  EXPECT_EQ(mar.on_time, 2);
  EXPECT_EQ(mar.breached, 1);
  EXPECT_DOUBLE_EQ(*mar.compliance, 2.0 / 3.0);
  EXPECT_EQ(mar.response_p50, Seconds{3h});  // of 1.5 h, 3 h, 7 h
  EXPECT_EQ(mar.response_p90, Seconds{7h});
  EXPECT_EQ(mar.resolved, 2);
  EXPECT_EQ(mar.resolution_p50, Seconds{4h});  // of 4 h, 6 h
  EXPECT_EQ(mar.resolution_p90, Seconds{6h});

  const ReportRow& apr = r.rows[2];
  EXPECT_EQ(apr.month, "2026-04");
  EXPECT_EQ(apr.received, 2);
  EXPECT_EQ(apr.pending, 1);
  EXPECT_EQ(apr.on_time, 1);
  EXPECT_EQ(apr.compliance, 1.0);
  EXPECT_EQ(apr.response_p90, Seconds{1h + 30min});

  EXPECT_EQ(r.total.received, 6);
  EXPECT_EQ(r.total.answered, 4);
  EXPECT_EQ(r.total.on_time, 3);
  EXPECT_EQ(r.total.breached, 2);
  EXPECT_EQ(r.total.pending, 1);
  EXPECT_DOUBLE_EQ(*r.total.compliance, 0.6);
  EXPECT_EQ(r.total.response_p50, Seconds{1h + 30min});  // of 1.5, 1.5, 3, 7 h
  EXPECT_EQ(r.total.response_p90, Seconds{7h});
  EXPECT_EQ(r.total.resolution_p50, Seconds{5h + 30min});  // of 4, 5.5, 6 h
  EXPECT_EQ(r.total.resolution_p90, Seconds{6h});
}

TEST_F(SlaReportTest, ByCriticalityAndByContract) {
  const SlaReport c = Build({Dimension::kCriticality});
  ASSERT_EQ(c.rows.size(), 3u);
  EXPECT_EQ(c.rows[0].criticality, Criticality::kNormal);
  EXPECT_EQ(c.rows[0].received, 3);
  EXPECT_EQ(c.rows[0].compliance, 0.5);  // T1 on time, T4 breached, T6 pending
  EXPECT_EQ(c.rows[1].criticality, Criticality::kImportant);
  EXPECT_EQ(c.rows[1].compliance, 0.0);
  EXPECT_EQ(c.rows[2].criticality, Criticality::kCritical);
  EXPECT_EQ(c.rows[2].compliance, 1.0);

  const SlaReport k = Build({Dimension::kContract});
  ASSERT_EQ(k.rows.size(), 2u);
  EXPECT_EQ(k.rows[0].contract, kA);
  EXPECT_EQ(k.rows[0].received, 4);
  EXPECT_EQ(k.rows[0].compliance, 0.5);
  EXPECT_EQ(k.rows[1].contract, kB);
  EXPECT_EQ(k.rows[1].received, 2);
}

TEST_F(SlaReportTest, TwoDimensionsAndChannel) {
  const SlaReport r = Build({Dimension::kMonth, Dimension::kChannel});
  // Feb portal; Mar portal, email, chat; Apr phone, chat.
  ASSERT_EQ(r.rows.size(), 6u);
  EXPECT_EQ(r.rows[1].month, "2026-03");
  EXPECT_EQ(r.rows[1].channel, Channel::kPortal);
  EXPECT_EQ(r.rows[4].month, "2026-04");
  EXPECT_EQ(r.rows[4].channel, Channel::kPhone);
}

TEST_F(SlaReportTest, UnknownContractIsABug) {
  t_.push_back(t_[0]);
  t_.back().contract_id = ContractId{9};
  auto r = BuildSlaReport(t_, [](ContractId) { return nullptr; },
                          date::locate_zone("America/Bogota"), now_, {Dimension::kMonth});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST(SlaReportParse, Grouping) {
  EXPECT_EQ(*ParseGrouping(""), std::vector<Dimension>{Dimension::kMonth});
  EXPECT_EQ(*ParseGrouping("criticality,month"),
            (std::vector<Dimension>{Dimension::kMonth, Dimension::kCriticality}));
  EXPECT_EQ(*ParseGrouping("channel,contract,criticality,month"),
            (std::vector<Dimension>{Dimension::kMonth, Dimension::kContract,
                                    Dimension::kCriticality, Dimension::kChannel}));
  for (const char* bad : {"week", "month,month", "month,", ",month", "MONTH"}) {
    auto r = ParseGrouping(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("group"), std::string::npos);
  }
}

TEST(SlaReportParse, NearestRankPercentile) {
  std::vector<Seconds> v{4s, 1s, 3s, 2s};
  EXPECT_EQ(Percentile(v, 50), 2s);
  EXPECT_EQ(Percentile(v, 90), 4s);
  std::vector<Seconds> ten;
  for (int i = 10; i >= 1; --i) ten.push_back(Seconds{i});
  EXPECT_EQ(Percentile(ten, 90), 9s);
  EXPECT_EQ(Percentile(ten, 50), 5s);
  std::vector<Seconds> none;
  EXPECT_EQ(Percentile(none, 50), std::nullopt);
}

}  // namespace
}  // namespace soporte::domain::report
