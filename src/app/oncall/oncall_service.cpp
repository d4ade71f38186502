#include "app/oncall/oncall_service.hpp"

#include <charconv>

#include <algorithm>
#include <string>

namespace soporte::app {
namespace {

namespace oc = domain::oncall;

Status StaffOnly(const Principal& who) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only staff see the on-call rota");
  return Ok();
}

Status ManagersOnly(const Principal& who) {
  if (!who.manager()) {
    return Fail(ErrorCode::kPermissionDenied, "only supervisors and admins change the rota");
  }
  return Ok();
}

// The user `id` when active staff; kInvalidArgument naming `field` otherwise.
Status CheckPerson(ReadTx& tx, UserId id, const std::string& field) {
  auto u = tx.accounts().GetUser(id);
  if (!u) {
    if (u.error().code != ErrorCode::kNotFound) return tl::make_unexpected(u.error());
  } else if (u->active && domain::IsStaff(u->role)) {
    return Ok();
  }
  return Fail(ErrorCode::kInvalidArgument,
              field + ": unknown user " + std::to_string(id.value()) + " (active staff only)");
}

std::optional<domain::User> UserOrNone(ReadTx& tx, UserId id) {
  if (!id.valid()) return std::nullopt;
  auto u = tx.accounts().GetUser(id);
  return u ? std::optional<domain::User>(*u) : std::nullopt;
}

}  // namespace

OnCallService::OnCallService(Store& store, StaffedHours& staffed, const Clock& clock)
    : store_(store), staffed_(staffed), clock_(clock) {}

Status OnCallService::CheckPeople(ReadTx& tx, const oc::Rota& r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  for (std::size_t i = 0; i < r.shifts.size(); ++i) {
    const std::string f = "shifts[" + std::to_string(i) + "]";
    SOPORTE_TRY_STATUS(CheckPerson(tx, r.shifts[i].primary, f + ".primary"));
    if (r.shifts[i].secondary.valid())
      SOPORTE_TRY_STATUS(CheckPerson(tx, r.shifts[i].secondary, f + ".secondary"));
  }
  for (std::size_t i = 0; i < r.overrides.size(); ++i) {
    SOPORTE_TRY_STATUS(
        CheckPerson(tx, r.overrides[i].user, "overrides[" + std::to_string(i) + "].user"));
  }
  return Ok();
}

Result<std::vector<oc::Rota>> OnCallService::ListRotas(const Principal& who) {
  SOPORTE_TRY_STATUS(StaffOnly(who));
  return ReadValue(store_, [](ReadTx& tx) { return tx.oncall().ListRotas(); });
}

Result<oc::Rota> OnCallService::GetRota(const Principal& who, std::int64_t id) {
  SOPORTE_TRY_STATUS(StaffOnly(who));
  return ReadValue(store_, [&](ReadTx& tx) { return tx.oncall().GetRota(id); });
}

Result<oc::Rota> OnCallService::CreateRota(const Principal& who, oc::Rota r) {
  SOPORTE_TRY_STATUS(ManagersOnly(who));
  r.created_at = r.updated_at = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<oc::Rota> {
    SOPORTE_TRY_STATUS(CheckPeople(tx, r));
    return tx.oncall().InsertRota(r);
  });
}

Result<oc::Rota> OnCallService::UpdateRota(const Principal& who, oc::Rota r) {
  SOPORTE_TRY_STATUS(ManagersOnly(who));
  r.updated_at = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<oc::Rota> {
    SOPORTE_TRY(current, tx.oncall().GetRota(r.id));
    if (r.version == 0) r.version = current.version;
    SOPORTE_TRY_STATUS(CheckPeople(tx, r));
    return tx.oncall().UpdateRota(r);
  });
}

Status OnCallService::DeleteRota(const Principal& who, std::int64_t id) {
  SOPORTE_TRY_STATUS(ManagersOnly(who));
  return store_.Write([&](WriteTx& tx) { return tx.oncall().DeleteRota(id); });
}

Result<OnCallAnswer> OnCallService::At(const Principal& who, std::optional<Instant> at) {
  SOPORTE_TRY_STATUS(StaffOnly(who));
  const Instant t = at.value_or(clock_.Now());
  return ReadValue(store_, [&](ReadTx& tx) -> Result<OnCallAnswer> {
    OnCallAnswer out;
    out.at = t;
    SOPORTE_TRY(staffed, staffed_.IsStaffed(tx, t));
    out.staffed = staffed;
    SOPORTE_TRY(rotas, tx.oncall().ListRotas());
    for (auto& r : rotas) {
      RotaOnCall x;
      x.on_call = oc::OnCallAt(r, t);
      x.primary = UserOrNone(tx, x.on_call.primary);
      x.secondary = UserOrNone(tx, x.on_call.secondary);
      x.rota = std::move(r);
      out.rotas.push_back(std::move(x));
    }
    SOPORTE_TRY(users, tx.accounts().ListUsers(std::nullopt));
    for (auto& u : users) {
      if (u.active && u.role == domain::Role::kSupervisor) out.supervisors.push_back(std::move(u));
    }
    return out;
  });
}

Result<RotaSchedule> OnCallService::Schedule(const Principal& who, std::int64_t id,
                                             std::optional<Instant> from, int days) {
  SOPORTE_TRY_STATUS(StaffOnly(who));
  if (days < 1 || days > 31) return Fail(ErrorCode::kInvalidArgument, "days: between 1 and 31");
  const Instant start = from.value_or(clock_.Now());
  return ReadValue(store_, [&](ReadTx& tx) -> Result<RotaSchedule> {
    RotaSchedule out;
    SOPORTE_TRY(rota, tx.oncall().GetRota(id));
    out.stretches = oc::Schedule(rota, start, start + Seconds{86400LL * days});
    std::vector<UserId> ids;
    for (const auto& s : out.stretches) {
      for (UserId u : {s.primary, s.secondary}) {
        if (u.valid() && std::find(ids.begin(), ids.end(), u) == ids.end()) ids.push_back(u);
      }
    }
    for (UserId u : ids) {
      if (auto user = UserOrNone(tx, u)) out.people.push_back(std::move(*user));
    }
    out.rota = std::move(rota);
    return out;
  });
}

Result<CalendarId> OnCallService::StaffedCalendar(const Principal& who, std::string_view key) {
  SOPORTE_TRY_STATUS(StaffOnly(who));
  return ReadValue(store_, [&](ReadTx& tx) -> Result<CalendarId> {
    SOPORTE_TRY(settings, tx.settings().ListSettings());
    for (const auto& s : settings) {
      if (s.key == key && !s.value.empty()) {
        std::int64_t id = 0;
        (void)std::from_chars(s.value.data(), s.value.data() + s.value.size(), id);
        if (id <= 0) continue;
        auto def = tx.calendars().GetCalendar(CalendarId{id});
        if (def) return def->id;
      }
    }
    return CalendarId{};
  });
}

Result<CalendarId> OnCallService::SetStaffedCalendar(const Principal& who, CalendarId calendar,
                                                     std::string_view key) {
  SOPORTE_TRY_STATUS(ManagersOnly(who));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<CalendarId> {
    if (calendar.valid()) {
      auto def = tx.calendars().GetCalendar(calendar);
      if (!def) {
        if (def.error().code != ErrorCode::kNotFound) return tl::make_unexpected(def.error());
        return Fail(ErrorCode::kInvalidArgument,
                    "calendar: unknown calendar " + std::to_string(calendar.value()));
      }
    }
    SOPORTE_TRY_STATUS(tx.settings().PutSetting(SettingRecord{
        std::string(key), calendar.valid() ? std::to_string(calendar.value()) : "", now}));
    return calendar;
  });
}

}  // namespace soporte::app
