#include "app/calendars/calendar_service.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "app/audit/audit_log.hpp"

namespace soporte::app {
namespace {

namespace cal = domain::calendar;

Status RequireStaff(const Principal& who) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "calendars are for support staff only");
  return Ok();
}

Status RequireManager(const Principal& who) {
  if (!who.manager()) {
    return Fail(ErrorCode::kPermissionDenied, "only a supervisor or an administrator may do this");
  }
  return Ok();
}

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Result<cal::CalendarDefinition> GetCalendarOr404(ReadTx& tx, CalendarId id) {
  auto c = tx.calendars().GetCalendar(id);
  if (!c && c.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "no calendar " + std::to_string(id.value()));
  }
  return c;
}

// The audited fields of a calendar (closure days apart): name, zone, holidays ("true"/"false"),
// and the hours of each weekday ("hours.monday" = "08:00-12:00,13:00-18:00", "" closed).
AuditFields CalendarAuditFields(const cal::CalendarDefinition& def) {
  AuditFields out{{"name", def.name},
                  {"zone", def.zone},
                  {"holidays", def.colombian_holidays ? "true" : "false"}};
  for (unsigned d = 0; d < def.hours.size(); ++d) {
    std::string day;
    for (const auto& i : def.hours[d]) {
      if (!day.empty()) day += ",";
      day += domain::calendar::ClockText(i.begin) + "-" + domain::calendar::ClockText(i.end);
    }
    out.emplace_back("hours." + std::string(cal::WeekdayKey(d)), std::move(day));
  }
  return out;
}

// Appends what changed from `before` to `after`: each field, then each closure day added
// ("2026-12-24 Inventario") or removed.
Status AuditCalendar(WriteTx& tx, const Principal& who, Instant at,
                     const cal::CalendarDefinition& before, const cal::CalendarDefinition& after) {
  const AuditSubject subject{"calendar", after.id.value(), after.name};
  SOPORTE_TRY_STATUS(AppendAuditChanges(tx, who, at, subject, CalendarAuditFields(before),
                                        CalendarAuditFields(after)));
  auto has = [](const cal::CalendarDefinition& def, date::sys_days d) {
    return std::any_of(def.closures.begin(), def.closures.end(),
                       [&](const cal::ClosureEntry& e) { return e.date == d; });
  };
  auto text = [](const cal::ClosureEntry& e) {
    return date::format("%F", e.date) + " " + e.reason;
  };
  for (const auto& e : after.closures) {
    if (!has(before, e.date)) {
      SOPORTE_TRY_STATUS(AppendAudit(tx, who, at, subject, "closure_added", "", text(e)));
    }
  }
  for (const auto& e : before.closures) {
    if (!has(after, e.date)) {
      SOPORTE_TRY_STATUS(AppendAudit(tx, who, at, subject, "closure_removed", text(e), ""));
    }
  }
  return Ok();
}

// The name of calendar `id` for the audit log ("" for the built-in one).
Result<std::string> CalendarName(ReadTx& tx, CalendarId id) {
  if (!id.valid()) return std::string();
  SOPORTE_TRY(def, tx.calendars().GetCalendar(id));
  return def.name;
}

}  // namespace

Result<sla::ContractSla> ContractSlaOf(ReadTx& tx, const domain::Contract& c) {
  sla::ContractSla out = c.Sla();
  if (c.calendar_id.valid() && c.modality != sla::Modality::k24x7) {
    SOPORTE_TRY(def, tx.calendars().GetCalendar(c.calendar_id));
    out.calendar = std::make_shared<const cal::CalendarDefinition>(std::move(def));
  }
  return out;
}

CalendarService::CalendarService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Result<std::vector<cal::CalendarDefinition>> CalendarService::List(const Principal& who) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  return ReadValue(store_, [](ReadTx& tx) { return tx.calendars().ListCalendars(); });
}

Result<cal::CalendarDefinition> CalendarService::Get(const Principal& who, CalendarId id) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  return ReadValue(store_, [&](ReadTx& tx) { return GetCalendarOr404(tx, id); });
}

Result<cal::CalendarDefinition> CalendarService::Create(const Principal& who, CalendarInput in) {
  SOPORTE_TRY_STATUS(RequireManager(who));
  cal::CalendarDefinition def;
  def.name = Trim(std::move(in.name));
  def.zone = std::move(in.zone);
  def.hours = std::move(in.hours);
  def.colombian_holidays = in.colombian_holidays;
  def.created_at = def.updated_at = clock_.Now();
  // Validates and proves the engine can count on it (zone located, holidays built).
  SOPORTE_TRY_STATUS(cal::BuildBusinessCalendar(def));
  return WriteValue(store_, [&](WriteTx& tx) -> Result<cal::CalendarDefinition> {
    SOPORTE_TRY(stored, tx.calendars().InsertCalendar(def));
    const AuditSubject subject{"calendar", stored.id.value(), stored.name};
    SOPORTE_TRY_STATUS(AppendAudit(tx, who, stored.created_at, subject, "created", "", ""));
    SOPORTE_TRY_STATUS(
        AuditCalendar(tx, who, stored.created_at,
                      cal::CalendarDefinition{.name = stored.name,
                                              .zone = stored.zone,
                                              .colombian_holidays = stored.colombian_holidays},
                      stored));
    return stored;
  });
}

template <class F>
Result<cal::CalendarDefinition> CalendarService::Edit(const Principal& who, CalendarId id, F&& edit) {
  SOPORTE_TRY_STATUS(RequireManager(who));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<cal::CalendarDefinition> {
    SOPORTE_TRY(def, GetCalendarOr404(tx, id));
    const cal::CalendarDefinition before = def;
    SOPORTE_TRY_STATUS(edit(def, now));
    def.updated_at = now;
    SOPORTE_TRY_STATUS(cal::ValidateCalendarDefinition(def));
    SOPORTE_TRY(stored, tx.calendars().UpdateCalendar(std::move(def)));
    SOPORTE_TRY_STATUS(AuditCalendar(tx, who, now, before, stored));
    return stored;
  });
}

Result<cal::CalendarDefinition> CalendarService::Update(const Principal& who, CalendarId id,
                                                        CalendarInput in) {
  in.name = Trim(std::move(in.name));
  // Built before the transaction: locating a zone and evaluating holidays stays out of the writer.
  {
    cal::CalendarDefinition probe;
    probe.name = in.name;
    probe.zone = in.zone;
    probe.hours = in.hours;
    probe.colombian_holidays = in.colombian_holidays;
    if (who.manager()) SOPORTE_TRY_STATUS(cal::BuildBusinessCalendar(probe));
  }
  return Edit(who, id, [&](cal::CalendarDefinition& def, Instant) -> Status {
    if (in.expected_version && *in.expected_version != def.version) {
      return Fail(ErrorCode::kAborted, "calendar " + std::to_string(id.value()) +
                                           " was changed by someone else (version " +
                                           std::to_string(def.version) + ", not " +
                                           std::to_string(*in.expected_version) + ")");
    }
    def.name = in.name;
    def.zone = in.zone;
    def.hours = in.hours;
    def.colombian_holidays = in.colombian_holidays;
    return Ok();
  });
}

Result<cal::CalendarDefinition> CalendarService::AddClosure(const Principal& who, CalendarId id,
                                                            date::sys_days day, std::string reason) {
  reason = Trim(std::move(reason));
  return Edit(who, id, [&](cal::CalendarDefinition& def, Instant now) -> Status {
    auto at = std::lower_bound(def.closures.begin(), def.closures.end(), day,
                               [](const cal::ClosureEntry& e, date::sys_days d) { return e.date < d; });
    if (at != def.closures.end() && at->date == day) {
      return Fail(ErrorCode::kAlreadyExists, date::format("%F", day) + " is already a closure day of calendar '" +
                                                 def.name + "' (" + at->reason + ")");
    }
    def.closures.insert(at, cal::ClosureEntry{day, reason, who.user_id, now});
    return Ok();
  });
}

Result<cal::CalendarDefinition> CalendarService::RemoveClosure(const Principal& who, CalendarId id,
                                                               date::sys_days day) {
  return Edit(who, id, [&](cal::CalendarDefinition& def, Instant) -> Status {
    const auto n = std::erase_if(def.closures, [&](const cal::ClosureEntry& e) { return e.date == day; });
    if (n == 0) {
      return Fail(ErrorCode::kNotFound, date::format("%F", day) + " is not a closure day of calendar '" +
                                            def.name + "'");
    }
    return Ok();
  });
}

Result<domain::Contract> CalendarService::AssignToContract(const Principal& who,
                                                           const std::string& org_slug,
                                                           ContractId contract,
                                                           std::optional<CalendarId> calendar) {
  SOPORTE_TRY_STATUS(RequireManager(who));
  return WriteValue(store_, [&](WriteTx& tx) -> Result<domain::Contract> {
    auto org = tx.orgs().GetOrgBySlug(org_slug);
    if (!org) {
      if (org.error().code != ErrorCode::kNotFound) return tl::make_unexpected(org.error());
      return Fail(ErrorCode::kNotFound, "no organisation '" + org_slug + "'");
    }
    auto c = tx.orgs().GetContract(contract);
    if (!c || c->org_id != org->id) {
      if (!c && c.error().code != ErrorCode::kNotFound) return tl::make_unexpected(c.error());
      return Fail(ErrorCode::kNotFound, "no contract " + std::to_string(contract.value()) +
                                            " in organisation '" + org_slug + "'");
    }
    const CalendarId target = calendar.value_or(CalendarId{});
    if (target.valid()) {
      if (c->modality == sla::Modality::k24x7) {
        return Fail(ErrorCode::kUnprocessable,
                    "contract " + std::to_string(contract.value()) +
                        " is 24x7: it is always open, so it takes no calendar");
      }
      auto def = tx.calendars().GetCalendar(target);
      if (!def) {
        if (def.error().code != ErrorCode::kNotFound) return tl::make_unexpected(def.error());
        return Fail(ErrorCode::kInvalidArgument, "calendar_id: no calendar " + std::to_string(target.value()));
      }
    }
    SOPORTE_TRY_STATUS(tx.orgs().SetContractCalendar(c->id, target));
    if (c->calendar_id != target) {
      SOPORTE_TRY(was, CalendarName(tx, c->calendar_id));
      SOPORTE_TRY(now, CalendarName(tx, target));
      const AuditSubject subject{"contract", c->id.value(), org->name};
      SOPORTE_TRY_STATUS(AppendAudit(tx, who, clock_.Now(), subject, "calendar", was, now));
    }
    c->calendar_id = target;
    return *c;
  });
}

}  // namespace soporte::app
