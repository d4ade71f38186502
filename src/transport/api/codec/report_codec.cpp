#include "transport/api/codec/report_codec.hpp"

#include "transport/api/codec/common_codec.hpp"

namespace soporte::transport::api::codec {
namespace {

namespace json = boost::json;
using domain::report::ReportRow;

json::object RowJson(const ReportRow& r) {
  json::object o;
  if (r.month) o["month"] = *r.month;
  if (r.contract) o["contract"] = r.contract->value();
  if (r.criticality) o["criticality"] = domain::sla::Name(*r.criticality);
  if (r.channel) o["channel"] = domain::sla::Name(*r.channel);
  o["received"] = r.received;
  o["answered"] = r.answered;
  o["on_time"] = r.on_time;
  o["breached"] = r.breached;
  o["pending"] = r.pending;
  if (r.compliance) o["compliance"] = *r.compliance;
  if (r.response_p50) o["response_p50_s"] = r.response_p50->count();
  if (r.response_p90) o["response_p90_s"] = r.response_p90->count();
  o["resolved"] = r.resolved;
  if (r.resolution_p50) o["resolution_p50_s"] = r.resolution_p50->count();
  if (r.resolution_p90) o["resolution_p90_s"] = r.resolution_p90->count();
  return o;
}

}  // namespace

json::value SlaReportJson(const app::SlaReportView& v) {
  json::object out;
  out["org"] = {{"slug", v.org.slug}, {"name", v.org.name}};
  out["from"] = DateText(v.from);
  out["to"] = DateText(v.to);
  out["zone"] = v.zone;
  json::array group;
  for (auto d : v.report.grouping) group.emplace_back(domain::report::DimensionName(d));
  out["group"] = std::move(group);
  json::array contracts;
  for (const domain::Contract& c : v.contracts) {
    json::object o{{"id", c.id.value()},
                   {"modality", domain::sla::Name(c.modality)},
                   {"valid_from", DateText(c.valid_from)}};
    if (c.valid_to) o["valid_to"] = DateText(*c.valid_to);
    contracts.push_back(std::move(o));
  }
  out["contracts"] = std::move(contracts);
  json::array rows;
  for (const ReportRow& r : v.report.rows) rows.push_back(RowJson(r));
  out["rows"] = std::move(rows);
  out["total"] = RowJson(v.report.total);
  return out;
}

}  // namespace soporte::transport::api::codec
