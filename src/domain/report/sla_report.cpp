#include "domain/report/sla_report.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include <date/date.h>

namespace soporte::domain::report {
namespace {

constexpr std::array<Dimension, 4> kAll = {Dimension::kMonth, Dimension::kContract,
                                           Dimension::kCriticality, Dimension::kChannel};

bool Has(const std::vector<Dimension>& g, Dimension d) {
  return std::find(g.begin(), g.end(), d) != g.end();
}

// "YYYY-MM" of `at` in `zone`.
std::string MonthOf(Instant at, const date::time_zone* zone) {
  const auto local = zone->to_local(at);
  const date::year_month_day ymd{date::floor<date::days>(local)};
  char out[8];
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  out[0] = static_cast<char>('0' + y / 1000 % 10);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '\0';
  return out;
}

// The running figures of one row until it is finished.
struct Acc {
  ReportRow row;
  std::vector<Seconds> responses;
  std::vector<Seconds> resolutions;
};

void Add(Acc& a, const TicketFacts& t, std::optional<Seconds> response,
         std::optional<Seconds> resolution, Instant now) {
  ReportRow& r = a.row;
  ++r.received;
  if (t.first_response_at) {
    ++r.answered;
    // A reply at exactly the due keeps the promise (domain::ResponseBreached).
    if (*t.first_response_at <= t.response_due) {
      ++r.on_time;
    } else {
      ++r.breached;
    }
  } else if (now >= t.response_due) {
    ++r.breached;
  } else {
    ++r.pending;
  }
  if (response) a.responses.push_back(*response);
  if (resolution) {
    ++r.resolved;
    a.resolutions.push_back(*resolution);
  }
}

ReportRow Finish(Acc& a) {
  ReportRow r = std::move(a.row);
  const std::int64_t decided = r.on_time + r.breached;
  if (decided > 0) r.compliance = static_cast<double>(r.on_time) / static_cast<double>(decided);
  r.response_p50 = Percentile(a.responses, 50);
  r.response_p90 = Percentile(a.responses, 90);
  r.resolution_p50 = Percentile(a.resolutions, 50);
  r.resolution_p90 = Percentile(a.resolutions, 90);
  return r;
}

bool Running(TicketStatus s) { return s == TicketStatus::kNew || s == TicketStatus::kOpen; }

}  // namespace

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kMonth: return "month";
    case Dimension::kContract: return "contract";
    case Dimension::kCriticality: return "criticality";
    case Dimension::kChannel: return "channel";
  }
  return "month";
}

Result<std::vector<Dimension>> ParseGrouping(std::string_view text) {
  if (text.empty()) return std::vector<Dimension>{Dimension::kMonth};
  std::vector<Dimension> seen;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    const auto it = std::find_if(kAll.begin(), kAll.end(),
                                 [&](Dimension d) { return DimensionName(d) == name; });
    if (it == kAll.end() || Has(seen, *it)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "group must be month, contract, criticality or channel, or several of them "
                  "joined by commas, each once");
    }
    seen.push_back(*it);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::vector<Dimension> out;
  for (Dimension d : kAll)
    if (Has(seen, d)) out.push_back(d);
  return out;
}

std::optional<Seconds> ResponseTime(const TicketFacts& t, const calendar::BusinessCalendar& cal) {
  if (!t.first_response_at) return std::nullopt;
  return cal.Elapsed(t.clock_start, *t.first_response_at);
}

std::optional<Seconds> ResolutionTime(const TicketFacts& t, const calendar::BusinessCalendar& cal) {
  if (IsActive(t.status)) return std::nullopt;
  Seconds total{0};
  TicketStatus current = TicketStatus::kNew;
  Instant since = t.clock_start;
  for (const StatusChange& c : t.status_changes) {
    const Instant at = std::max(c.at, t.clock_start);
    if (Running(current) && at > since) total += cal.Elapsed(since, at);
    current = c.to;
    since = at;
  }
  // A history that ends in a running status while the ticket is resolved (written before the
  // history recorded every move) counts nothing more: the resolution instant is unknown.
  return total;
}

std::optional<Seconds> Percentile(std::vector<Seconds>& values, int percent) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  // Nearest rank: ceil(percent / 100 · n), 1-based.
  std::size_t rank = (static_cast<std::size_t>(percent) * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return values[rank - 1];
}

Result<SlaReport> BuildSlaReport(std::span<const TicketFacts> tickets,
                                 const CalendarOf& calendar_of, const date::time_zone* month_zone,
                                 Instant now, const std::vector<Dimension>& grouping) {
  using Key = std::tuple<std::string, std::int64_t, int, int>;
  const bool by_month = Has(grouping, Dimension::kMonth);
  const bool by_contract = Has(grouping, Dimension::kContract);
  const bool by_criticality = Has(grouping, Dimension::kCriticality);
  const bool by_channel = Has(grouping, Dimension::kChannel);

  std::map<Key, Acc> groups;
  Acc total;
  for (const TicketFacts& t : tickets) {
    const calendar::BusinessCalendar* cal = calendar_of(t.contract_id);
    if (cal == nullptr) {
      return Fail(ErrorCode::kInternal,
                  "no calendar for contract " + std::to_string(t.contract_id.value()));
    }
    const auto response = ResponseTime(t, *cal);
    const auto resolution = ResolutionTime(t, *cal);
    Key key{by_month ? MonthOf(t.received_at, month_zone) : std::string(),
            by_contract ? t.contract_id.value() : 0,
            by_criticality ? static_cast<int>(t.criticality) : -1,
            by_channel ? static_cast<int>(t.channel) : -1};
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) {
      ReportRow& r = it->second.row;
      if (by_month) r.month = std::get<0>(key);
      if (by_contract) r.contract = t.contract_id;
      if (by_criticality) r.criticality = t.criticality;
      if (by_channel) r.channel = t.channel;
    }
    Add(it->second, t, response, resolution, now);
    Add(total, t, response, resolution, now);
  }
  SlaReport out;
  out.grouping = grouping;
  out.rows.reserve(groups.size());
  for (auto& [key, acc] : groups) out.rows.push_back(Finish(acc));
  out.total = Finish(total);
  return out;
}

}  // namespace soporte::domain::report
