// The SLA timeline as text: the lines `soporte sla explain` prints and the mail templates quote
// (why a due falls where it does), and the small formatters they use (durations, opening hours).
// Shared by the command line, the API and mail; every word comes from the i18n catalog
// (transport/i18n/messages_sla.cpp). Pure functions; thread-safe.
#pragma once

#include <string>

#include <date/tz.h>

#include "common/time.hpp"
#include "domain/calendar/weekly_hours.hpp"
#include "domain/sla/intake_window.hpp"
#include "domain/sla/sla_engine.hpp"
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::text {

// The text of `sla explain` for `t`: one line per fact, ending with the due.
std::string RenderTimeline(const domain::sla::Timeline& t, const date::time_zone* contract_zone,
                           const domain::sla::IntakeWindow& intake, i18n::Lang lang);

// Opening hours as "lun–vie 08:00–18:00" (Spanish) / "Mon–Fri 08:00–18:00" (English).
std::string DescribeHours(const domain::calendar::WeeklyHours& hours, i18n::Lang lang);

// "8 h 00 min" (seconds shown only when not zero).
std::string FormatDuration(Seconds d, i18n::Lang lang);

}  // namespace soporte::transport::text
