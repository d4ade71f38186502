#include "transport/api/report_handlers.hpp"

#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/report_codec.hpp"
#include "transport/api/query_codec.hpp"
#include "transport/http/offload.hpp"
#include "transport/text/sla_report_text.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

Response CsvResponse(const app::SlaReportView& v, i18n::Lang lang) {
  Response res;
  res.status = 200;
  // RFC 4180 §3 registers text/csv with the optional header parameter.
  res.content_type = "text/csv; charset=utf-8; header=present";
  res.body = text::SlaReportCsv(v, lang);
  // The slug is [a-z0-9-] and the dates are digits: nothing to quote or encode in the name.
  res.AddHeader("Content-Disposition", "attachment; filename=\"sla-" + v.org.slug + "-" +
                                           codec::DateText(v.from) + "-" + codec::DateText(v.to) +
                                           ".csv\"");
  return res;
}

}  // namespace

void RegisterReportRoutes(http::Router& router, ApiContext& ctx, app::ReportService& reports) {
  app::ReportService* rs = &reports;
  router.Add(http::Verb::kGet, "/api/v1/reports/sla",
             Authed(ctx, [&ctx, rs](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto q = ParseSlaReportQuery(rq);
               if (!q) co_return ErrorOf(q.error());
               auto r = co_await Offload(ctx.ReadPool(),
                                         [rs, &who, &q] { return rs->Sla(who, q->request); });
               if (!r) co_return ErrorOf(r.error());
               if (q->csv) {
                 const i18n::Lang lang =
                     q->lang ? (*q->lang == "en" ? i18n::Lang::kEn : i18n::Lang::kEs)
                             : i18n::FromAcceptLanguage(rq.Header("Accept-Language"));
                 co_return CsvResponse(*r, lang);
               }
               co_return Encode(
                   r, 200, [](const app::SlaReportView& v) { return codec::SlaReportJson(v); });
             }));
}

}  // namespace soporte::transport::api
