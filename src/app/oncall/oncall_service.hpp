// The on-call rota's use cases: rota CRUD (supervisors and admins), who is on call now or at an
// instant and the schedule of the coming days (staff), and whether the desk is staffed at that
// instant. Users named in a rota must be active staff (kInvalidArgument naming the field
// otherwise). Thread-safe: state lives in the store.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/oncall/staffed_hours.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/oncall/rota.hpp"

namespace soporte::app {

// One rota's answer at an instant, with the people resolved.
struct RotaOnCall {
  domain::oncall::Rota rota;
  domain::oncall::OnCall on_call;
  std::optional<domain::User> primary;
  std::optional<domain::User> secondary;
};

struct OnCallAnswer {
  Instant at;
  bool staffed = false;  // inside the staffed hours (nobody is paged then)
  std::vector<RotaOnCall> rotas;
  std::vector<domain::User> supervisors;  // the chain's last level
};

// One rota's schedule with the people it names (by id).
struct RotaSchedule {
  domain::oncall::Rota rota;
  std::vector<domain::oncall::OnCall> stretches;
  std::vector<domain::User> people;  // everyone the stretches name
};

class OnCallService {
 public:
  OnCallService(Store& store, StaffedHours& staffed, const Clock& clock);

  // Staff only (kPermissionDenied otherwise).
  Result<std::vector<domain::oncall::Rota>> ListRotas(const Principal& who);
  Result<domain::oncall::Rota> GetRota(const Principal& who, std::int64_t id);
  // Supervisors and admins. kInvalidArgument naming the field (ValidateRota; "shifts[0].primary:
  // unknown user 7" for a user who is not active staff). Update: kAborted on a stale version.
  Result<domain::oncall::Rota> CreateRota(const Principal& who, domain::oncall::Rota r);
  Result<domain::oncall::Rota> UpdateRota(const Principal& who, domain::oncall::Rota r);
  Status DeleteRota(const Principal& who, std::int64_t id);

  // Who is on call at `at` (now: the clock's instant) in every rota, and whether it is staffed.
  Result<OnCallAnswer> At(const Principal& who, std::optional<Instant> at);
  // The stretches of rota `id` over `days` days from `from` (1–31).
  Result<RotaSchedule> Schedule(const Principal& who, std::int64_t id, std::optional<Instant> from,
                                int days);

  // The stored calendar that defines the staffed hours (invalid: the built-in 8x5 calendar).
  // `key` is the setting: StaffedHours::kSettingKey (on call) or kChatSettingKey (the live
  // chat's own; invalid there: the on-call one).
  Result<CalendarId> StaffedCalendar(const Principal& who,
                                     std::string_view key = StaffedHours::kSettingKey);
  // Sets it (supervisors and admins); invalid id = back to the built-in one (the on-call one for
  // the chat's key). kInvalidArgument "calendar: unknown calendar N" for a calendar that does
  // not exist.
  Result<CalendarId> SetStaffedCalendar(const Principal& who, CalendarId calendar,
                                        std::string_view key = StaffedHours::kSettingKey);

 private:
  Status CheckPeople(ReadTx& tx, const domain::oncall::Rota& r);
  Store& store_;
  StaffedHours& staffed_;
  const Clock& clock_;
};

}  // namespace soporte::app
