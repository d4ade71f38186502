// Calendars and closure days administration: supervisors and admins define business calendars
// (weekly hours in a zone, Colombian holidays or not, extra closure days with a reason) and assign
// one to an 8x5 contract; agents may read them. Dues computed after a change use the new calendar;
// tickets already created keep their due until their criticality or contract changes.
// ContractSlaOf is the one place a contract's stored calendar is resolved for the SLA engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/calendar/zones.hpp"
#include "domain/calendar/calendar_definition.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

// What a create or an update gives; the closure days are managed one by one (AddClosure).
struct CalendarInput {
  std::string name;
  std::string zone{domain::calendar::kDefaultZone};
  domain::calendar::WeekPattern hours;
  bool colombian_holidays = true;
  // Update only: the version the editor saw; a different stored version is kAborted (409).
  std::optional<std::int64_t> expected_version;
};

// The SLA engine's view of `c` with its stored calendar resolved (none for 24x7 contracts, which
// are always open). Fails when the calendar row cannot be read.
Result<sla::ContractSla> ContractSlaOf(ReadTx& tx, const domain::Contract& c);

class CalendarService {
 public:
  CalendarService(Store& store, const Clock& clock);

  // Staff only (kPermissionDenied for customers: calendars are the vendor's).
  Result<std::vector<domain::calendar::CalendarDefinition>> List(const Principal& who);
  // Staff only; kNotFound when absent.
  Result<domain::calendar::CalendarDefinition> Get(const Principal& who, CalendarId id);

  // Managers only. kInvalidArgument naming the problem (ValidateCalendarDefinition), kAlreadyExists
  // for a taken name.
  Result<domain::calendar::CalendarDefinition> Create(const Principal& who, CalendarInput in);
  // Managers only. Replaces name, zone, hours and the holiday choice; keeps the closure days.
  // kNotFound, kAborted (expected_version differs), or as Create.
  Result<domain::calendar::CalendarDefinition> Update(const Principal& who, CalendarId id,
                                                      CalendarInput in);
  // Managers only. Closes the calendar all day on `day` (a local date), recording the reason, who
  // and when. kAlreadyExists when that day is already a closure day; kInvalidArgument for an empty
  // reason or a date outside 1984–2100.
  Result<domain::calendar::CalendarDefinition> AddClosure(const Principal& who, CalendarId id,
                                                          date::sys_days day, std::string reason);
  // Managers only. kNotFound when `day` is not a closure day of the calendar.
  Result<domain::calendar::CalendarDefinition> RemoveClosure(const Principal& who, CalendarId id,
                                                             date::sys_days day);
  // Managers only. Points the contract `contract` of organisation `org_slug` at `calendar` (nullopt:
  // back to the built-in 8x5 calendar). kNotFound when the organisation or the contract (in it) is
  // absent; kUnprocessable for a 24x7 contract (always open: a calendar would not change it);
  // kInvalidArgument when the calendar does not exist.
  Result<domain::Contract> AssignToContract(const Principal& who, const std::string& org_slug,
                                            ContractId contract, std::optional<CalendarId> calendar);

 private:
  // Reads, changes with `edit`, validates, checks the engine can build it, and stores.
  template <class F>
  Result<domain::calendar::CalendarDefinition> Edit(const Principal& who, CalendarId id, F&& edit);

  Store& store_;
  const Clock& clock_;
};

}  // namespace soporte::app
