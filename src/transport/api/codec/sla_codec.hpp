// The JSON of a ticket's SLA timeline (docs/api.md, "Web UI": GET /api/v1/tickets/{number}/sla and
// GET /api/v1/sla/preview): the facts behind a due, as data; the UI words them from its catalog
// (the text form for the command line and mail is transport/text/sla_timeline).
#pragma once

#include <boost/json.hpp>

#include "app/tickets/sla_view.hpp"

namespace soporte::transport::api::codec {

// {contract, modality, criticality, channel, zone, intake_zone, received, clock_start,
//  channel_windowed, waited_for_window, target_minutes, response_due, segments[], total_minutes},
// times in the contract's zone.
boost::json::value ExplanationJson(const app::SlaExplanation& e);

}  // namespace soporte::transport::api::codec
