#include "app/reports/report_service.hpp"

#include <map>
#include <memory>

#include "app/calendars/calendar_service.hpp"
#include "domain/calendar/zones.hpp"

namespace soporte::app {
namespace report = domain::report;

namespace {

Error NoSuchOrg(const std::string& slug) {
  return Error{ErrorCode::kNotFound, "org: no organisation '" + slug + "'"};
}

Result<domain::Organization> ResolveOrg(ReadTx& tx, const Principal& who,
                                        const std::optional<std::string>& slug) {
  if (!slug) {
    if (who.staff()) return Fail(ErrorCode::kInvalidArgument, "org is required");
    return tx.orgs().GetOrg(who.org_id);
  }
  auto o = tx.orgs().GetOrgBySlug(*slug);
  if (!o) {
    if (o.error().code == ErrorCode::kNotFound) return tl::make_unexpected(NoSuchOrg(*slug));
    return tl::make_unexpected(o.error());
  }
  if (!who.CanSeeOrg(o->id)) return tl::make_unexpected(NoSuchOrg(*slug));
  return o;
}

}  // namespace

Result<SlaReportView> ReportService::Sla(const Principal& who, const SlaReportRequest& r) {
  if (r.to < r.from) return Fail(ErrorCode::kInvalidArgument, "to must not be before from");
  if (r.to - r.from >= kMaxReportDays) {
    return Fail(ErrorCode::kInvalidArgument,
                "to: a report covers at most " + std::to_string(kMaxReportDays.count()) + " days");
  }
  const date::time_zone* zone = domain::calendar::ZoneOrUtc(domain::calendar::kDefaultZone);
  const Instant from = date::floor<Seconds>(
      zone->to_sys(date::local_days{r.from.time_since_epoch()}, date::choose::earliest));
  const Instant to = date::floor<Seconds>(zone->to_sys(
      date::local_days{r.to.time_since_epoch() + date::days{1}}, date::choose::earliest));

  SlaReportView view;
  view.from = r.from;
  view.to = r.to;
  view.zone = std::string(domain::calendar::kDefaultZone);
  std::vector<report::TicketFacts> facts;
  std::map<ContractId, std::shared_ptr<const domain::calendar::BusinessCalendar>> calendars;
  SOPORTE_TRY_STATUS(store_.ReadMany([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(org, ResolveOrg(tx, who, r.org_slug));
    view.org = std::move(org);
    SOPORTE_TRY(contracts, tx.orgs().ListContracts(view.org.id));
    view.contracts = std::move(contracts);
    SOPORTE_TRY(f, tx.reports().ListSlaFacts(view.org.id, from, to));
    facts = std::move(f);
    for (const domain::Contract& c : view.contracts) {
      SOPORTE_TRY(contract_sla, ContractSlaOf(tx, c));
      SOPORTE_TRY(cal, sla_.CalendarFor(contract_sla));
      calendars.emplace(c.id, std::move(cal));
    }
    return Ok();
  }));
  SOPORTE_TRY(built, report::BuildSlaReport(
                         facts,
                         [&](ContractId id) -> const domain::calendar::BusinessCalendar* {
                           const auto it = calendars.find(id);
                           return it == calendars.end() ? nullptr : it->second.get();
                         },
                         zone, clock_.Now(), r.grouping));
  view.report = std::move(built);
  return view;
}

}  // namespace soporte::app
