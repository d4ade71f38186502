#include "transport/text/sla_timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "transport/text/iso8601.hpp"

namespace soporte::transport::text {

namespace sla = domain::sla;
namespace cal = domain::calendar;
using i18n::Lang;

std::string FormatDuration(Seconds d, Lang lang) {
  const long long s = d.count();
  if (s % 60 != 0) return i18n::Format(lang, "sla.duration.hms", s / 3600, s / 60 % 60, s % 60);
  return i18n::Format(lang, "sla.duration.hm", s / 3600, s / 60 % 60);
}

std::string DescribeHours(const cal::WeeklyHours& hours, Lang lang) {
  auto hhmm = [](Seconds t) {
    return fmt::format("{:02}:{:02}", t.count() / 3600, t.count() / 60 % 60);
  };
  auto day_name = [&](unsigned i) {
    return i18n::Text(lang, fmt::format("sla.weekday.{}", i + 1));
  };
  auto on = [&](unsigned i) { return hours.On(date::weekday{(i + 1) % 7}); };
  std::string out;
  for (unsigned i = 0; i < 7;) {
    unsigned j = i;
    while (j + 1 < 7 && std::ranges::equal(on(j + 1), on(i))) ++j;
    if (!on(i).empty()) {
      if (!out.empty()) out += "; ";
      out += day_name(i);
      if (j > i) out += fmt::format("–{}", day_name(j));
      std::string sep = " ";
      for (const cal::DayInterval& iv : on(i)) {
        out += sep + hhmm(iv.begin) + "–" + hhmm(iv.end);
        sep = ", ";
      }
    }
    i = j + 1;
  }
  return out;
}

std::string RenderTimeline(const sla::Timeline& t, const date::time_zone* zone,
                           const sla::IntakeWindow& intake, Lang lang) {
  auto iso = [&](Instant i) { return FormatIso8601(i, zone); };
  std::string out;
  auto line = [&](std::string s) { out += s + "\n"; };
  // Criticality and channel in the reader's words ("crítica", "portal web"), never the codes.
  // (A copy: Text answers a missing key with the key itself, here a temporary.)
  auto word = [&](std::string_view code) {
    return std::string(i18n::Text(lang, "sla.value." + std::string(code)));
  };
  line(i18n::Format(lang, "sla.explain.header", word(sla::Name(t.criticality)),
                    sla::Name(t.modality), word(sla::Name(t.channel)), t.contract_zone));
  line(i18n::Format(lang, "sla.explain.received", iso(t.received)));
  if (!t.channel_windowed) {
    line(i18n::Format(lang, "sla.explain.start_reception", iso(t.clock_start),
                      word(sla::Name(t.channel))));
  } else {
    const std::string hours = DescribeHours(intake.window().hours(), lang);
    line(i18n::Format(
        lang, t.waited_for_window ? "sla.explain.start_window" : "sla.explain.start_inside_window",
        iso(t.clock_start), word(sla::Name(t.channel)), hours, t.intake_zone));
  }
  line(i18n::Format(lang, "sla.explain.target", FormatDuration(t.target, lang),
                    sla::Name(t.modality)));
  for (const cal::Segment& s : t.segments) {
    if (s.counted) {
      line(i18n::Format(lang, "sla.explain.counted", iso(s.from), iso(s.to),
                        FormatDuration(s.length, lang)));
      continue;
    }
    std::string why;
    switch (s.kind) {
      case cal::ClosedKind::kNight: why = i18n::Text(lang, "sla.explain.night"); break;
      case cal::ClosedKind::kWeekend: why = i18n::Text(lang, "sla.explain.weekend"); break;
      case cal::ClosedKind::kHoliday:
        why = i18n::Format(lang, "sla.explain.holiday", s.name);
        break;
      case cal::ClosedKind::kClosed: why = i18n::Text(lang, "sla.explain.closed"); break;
    }
    line(i18n::Format(lang, "sla.explain.skipped", iso(s.from), iso(s.to), why));
  }
  line(i18n::Format(lang, "sla.explain.total", FormatDuration(t.total, lang)));
  line(i18n::Format(lang, "sla.explain.due", iso(t.due)));
  return out;
}

}  // namespace soporte::transport::text
