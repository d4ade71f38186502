// Timeline: the data behind `soporte sla explain` — when the request arrived, when and why the
// clock started, each counted interval and each skipped closed period (night, weekend, holiday by
// name, other closure) up to the due, and the total. Rendering to text (Spanish/English) is the
// transport's job (transport/cli/sla_cli.cpp with the i18n catalog).
#pragma once

#include <string>
#include <vector>

#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/sla/modality.hpp"

namespace soporte::domain::sla {

struct Timeline {
  Modality modality;
  Criticality criticality;
  Channel channel;
  std::string contract_zone;  // where the calendar's hours are read and the output is shown
  std::string intake_zone;    // the vendor's intake window zone
  Instant received;
  Instant clock_start;
  bool channel_windowed = false;   // the channel waits for the intake window (email)
  bool waited_for_window = false;  // …and the reception was outside it
  Seconds target{0};
  Instant due;
  // From clock_start to due, in order; counted segments sum to `total` (== target).
  std::vector<calendar::Segment> segments;
  Seconds total{0};
};

}  // namespace soporte::domain::sla
