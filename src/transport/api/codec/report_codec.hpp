// The JSON of the SLA report (docs/api.md, "SLA reports"):
// {org: {slug, name}, from, to, zone, group: [..], contracts: [{id, modality, valid_from,
// valid_to?}], rows: [row], total: row}; a row has its key (month "YYYY-MM", contract id,
// criticality, channel: only the grouped ones) and received, answered, on_time, breached,
// pending, compliance (0..1), response_p50_s, response_p90_s, resolved, resolution_p50_s,
// resolution_p90_s (business seconds). Figures without a value (no answered ticket) are left out.
#pragma once

#include <boost/json.hpp>

#include "app/reports/report_service.hpp"

namespace soporte::transport::api::codec {

boost::json::value SlaReportJson(const app::SlaReportView& v);

}  // namespace soporte::transport::api::codec
