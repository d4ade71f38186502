#include "domain/sla/sla_engine.hpp"

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "domain/calendar/zones.hpp"

namespace soporte::domain::sla {
namespace {

using CalendarPtr = std::shared_ptr<const calendar::BusinessCalendar>;
using calendar::kDefaultZone;

Result<CalendarPtr> BuildCalendar(Modality modality, std::string_view zone) {
  auto cal = modality == Modality::k24x7 ? calendar::BusinessCalendar::Make24x7(zone)
                                         : calendar::BusinessCalendar::Make8x5(zone);
  if (!cal) return tl::make_unexpected(std::move(cal).error());
  return std::make_shared<const calendar::BusinessCalendar>(std::move(*cal));
}

// Orders (modality, zone) keys and lets a lookup use a string_view (no allocation per call).
struct KeyLess {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return std::pair<int, std::string_view>(static_cast<int>(a.first), a.second) <
           std::pair<int, std::string_view>(static_cast<int>(b.first), b.second);
  }
};

Status CheckReceived(Instant received) {
  using namespace date;
  const Instant first = sys_days{year{kFirstYear} / January / 1};
  const Instant end = sys_days{year{kLastYear + 1} / January / 1};
  if (received < first || received >= end) {
    return Fail(ErrorCode::kInvalidArgument, "reception outside the supported years " +
                                                 std::to_string(kFirstYear) + "–" +
                                                 std::to_string(kLastYear));
  }
  return Ok();
}

}  // namespace

struct SlaEngine::State {
  State(IntakeWindow i, CalendarPtr c24, CalendarPtr c8)
      : intake(std::move(i)), default_24x7(std::move(c24)), default_8x5(std::move(c8)) {}
  IntakeWindow intake;
  CalendarPtr default_24x7, default_8x5;  // kDefaultZone, built at Create: no lock on the hot path
  mutable std::mutex mutex;
  mutable std::map<std::pair<Modality, std::string>, CalendarPtr, KeyLess> cache;
  // Stored calendars by (id, version): a change bumps the version, so a stale entry is never
  // used again; the map is emptied when it grows past kMaxStored (edits are rare, so this is a
  // bound, not an eviction policy).
  static constexpr std::size_t kMaxStored = 256;
  mutable std::map<std::pair<std::int64_t, std::int64_t>, CalendarPtr> stored;
};

Result<SlaEngine> SlaEngine::Create(IntakeWindowConfig intake) {
  SOPORTE_TRY(window, IntakeWindow::Create(std::move(intake)));
  SOPORTE_TRY(c24, BuildCalendar(Modality::k24x7, kDefaultZone));
  SOPORTE_TRY(c8, BuildCalendar(Modality::k8x5, kDefaultZone));
  auto state = std::make_shared<State>(std::move(window), std::move(c24), std::move(c8));
  return SlaEngine(std::move(state));
}

const IntakeWindow& SlaEngine::intake() const { return state_->intake; }

Result<CalendarPtr> SlaEngine::CalendarFor(Modality modality, std::string_view zone) const {
  if (zone == kDefaultZone) {
    return modality == Modality::k24x7 ? state_->default_24x7 : state_->default_8x5;
  }
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->cache.find(std::pair<Modality, std::string_view>{modality, zone});
    if (it != state_->cache.end()) return it->second;
  }
  std::pair<Modality, std::string> key{modality, std::string(zone)};
  SOPORTE_TRY(cal, BuildCalendar(modality, zone));  // outside the lock: locating a zone is slow
  std::lock_guard lock(state_->mutex);
  return state_->cache.emplace(std::move(key), std::move(cal)).first->second;
}

Result<CalendarPtr> SlaEngine::CalendarFor(const ContractSla& contract) const {
  if (!contract.calendar || contract.modality == Modality::k24x7) {
    return CalendarFor(contract.modality, contract.zone);
  }
  const calendar::CalendarDefinition& def = *contract.calendar;
  const std::pair<std::int64_t, std::int64_t> key{def.id.value(), def.version};
  if (def.id.valid()) {
    std::lock_guard lock(state_->mutex);
    auto it = state_->stored.find(key);
    if (it != state_->stored.end()) return it->second;
  }
  auto built = calendar::BuildBusinessCalendar(def);  // outside the lock: a few milliseconds
  if (!built) return tl::make_unexpected(std::move(built).error());
  auto cal = std::make_shared<const calendar::BusinessCalendar>(std::move(*built));
  if (!def.id.valid()) return cal;
  std::lock_guard lock(state_->mutex);
  if (state_->stored.size() >= State::kMaxStored) state_->stored.clear();
  return state_->stored.emplace(key, std::move(cal)).first->second;
}

Result<ResponseDue> SlaEngine::Due(const ContractSla& contract, Criticality criticality,
                                   Channel channel, Instant received) const {
  SOPORTE_TRY(cal, CalendarFor(contract));
  return Due(*cal, contract.targets.For(criticality), channel, received);
}

Result<ResponseDue> SlaEngine::Due(const calendar::BusinessCalendar& contract_calendar,
                                   Seconds target, Channel channel, Instant received) const {
  SOPORTE_TRY_STATUS(CheckReceived(received));
  const Instant start = state_->intake.Start(channel, received).at;
  return ResponseDue{start, contract_calendar.Add(start, target)};
}

Result<Timeline> SlaEngine::Explain(const ContractSla& contract, Criticality criticality,
                                    Channel channel, Instant received) const {
  SOPORTE_TRY(cal, CalendarFor(contract));
  SOPORTE_TRY_STATUS(CheckReceived(received));
  const ClockStart start = state_->intake.Start(channel, received);
  Timeline t;
  t.modality = contract.modality;
  t.criticality = criticality;
  t.channel = channel;
  t.contract_zone = cal->zone()->name();
  t.intake_zone = state_->intake.window().zone()->name();
  t.received = received;
  t.clock_start = start.at;
  t.channel_windowed = state_->intake.IsWindowed(channel);
  t.waited_for_window = start.waited_for_window;
  t.target = contract.targets.For(criticality);
  t.due = cal->Add(start.at, t.target);
  t.segments = cal->Segments(start.at, t.due);
  for (const calendar::Segment& s : t.segments) t.total += s.length;
  return t;
}

Result<Seconds> SlaEngine::BusinessElapsed(const ContractSla& contract, Instant from,
                                           Instant to) const {
  SOPORTE_TRY(cal, CalendarFor(contract));
  return cal->Elapsed(from, to);
}

}  // namespace soporte::domain::sla
