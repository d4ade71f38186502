#include "transport/api/codec/sla_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api::codec {
namespace json = boost::json;
namespace {

namespace sla = domain::sla;
namespace cal = domain::calendar;

std::string_view KindName(cal::ClosedKind k) {
  switch (k) {
    case cal::ClosedKind::kNight: return "night";
    case cal::ClosedKind::kWeekend: return "weekend";
    case cal::ClosedKind::kHoliday: return "holiday";
    case cal::ClosedKind::kClosed: return "closed";
  }
  return "closed";
}

}  // namespace

// The timeline as data; the UI words it from its catalog.
json::value ExplanationJson(const app::SlaExplanation& e) {
  const auto& t = e.timeline;
  const auto* zone = cal::ZoneOrUtc(e.zone);
  auto time = [zone](Instant i) { return json::value(text::FormatIso8601(i, zone)); };
  json::array segments;
  for (const auto& s : t.segments) {
    json::object o{{"from", time(s.from)},
                   {"to", time(s.to)},
                   {"counted", s.counted},
                   {"minutes", s.counted ? s.length.count() / 60 : (s.to - s.from).count() / 60}};
    if (!s.counted) o["kind"] = KindName(s.kind);
    if (!s.name.empty()) o["name"] = s.name;
    segments.push_back(std::move(o));
  }
  return json::object{{"contract", e.contract_id.value()},
                      {"modality", sla::Name(t.modality)},
                      {"criticality", sla::Name(t.criticality)},
                      {"channel", sla::Name(t.channel)},
                      {"zone", t.contract_zone},
                      {"intake_zone", t.intake_zone},
                      {"received", time(t.received)},
                      {"clock_start", time(t.clock_start)},
                      {"channel_windowed", t.channel_windowed},
                      {"waited_for_window", t.waited_for_window},
                      {"target_minutes", t.target.count() / 60},
                      {"response_due", time(t.due)},
                      {"segments", std::move(segments)},
                      {"total_minutes", t.total.count() / 60}};
}

}  // namespace soporte::transport::api::codec
