#include "transport/api/codec/org_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "domain/profile/completeness.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {
namespace sla = domain::sla;
namespace cal = domain::calendar;
using cal::ZoneOrUtc;

json::value OrgJson(const domain::Organization& o) {
  return json::object{{"slug", o.slug},
                      {"name", o.name},
                      {"created_at", TimeJson(o.created_at, ZoneOrUtc(cal::kDefaultZone))}};
}

json::value OrgListJson(const std::vector<domain::Organization>& list) {
  return ListJson("orgs", list, OrgJson);
}

json::value OrgDirectoryJson(const app::OrgDirectoryPage& page) {
  json::array orgs;
  for (const auto& r : page.rows) {
    json::object o = OrgJson(r.org).as_object();
    json::array contracts;
    for (auto m : r.modalities) contracts.emplace_back(sla::Name(m));
    json::array missing;
    for (std::size_t i = 0; i < r.has.size(); ++i)
      if (!r.has[i]) missing.emplace_back(domain::ProfileAreaName(domain::kProfileAreas[i]));
    o["contracts"] = std::move(contracts);
    o["open_tickets"] = r.open_tickets;
    o["missing"] = std::move(missing);
    orgs.emplace_back(std::move(o));
  }
  json::value next = nullptr;
  if (page.more && !page.rows.empty()) next = std::to_string(page.rows.back().org.id.value());
  return json::object{{"orgs", std::move(orgs)}, {"next_cursor", std::move(next)}};
}

json::value ContractJson(const domain::Contract& c) {
  json::array channels;
  for (auto ch :
       {sla::Channel::kPortal, sla::Channel::kEmail, sla::Channel::kPhone, sla::Channel::kChat}) {
    if (c.channels.Has(ch)) channels.emplace_back(sla::Name(ch));
  }
  auto minutes = [](Seconds s) { return s.count() / 60; };
  return json::object{
      {"id", c.id.value()},
      {"modality", sla::Name(c.modality)},
      {"zone", c.zone},
      {"valid_from", DateText(c.valid_from)},
      {"valid_to", c.valid_to ? json::value(DateText(*c.valid_to)) : json::value(nullptr)},
      {"channels", std::move(channels)},
      {"targets_minutes", json::object{{"normal", minutes(c.targets.normal)},
                                       {"important", minutes(c.targets.important)},
                                       {"critical", minutes(c.targets.critical)}}},
      {"calendar_id",
       c.calendar_id.valid() ? json::value(c.calendar_id.value()) : json::value(nullptr)}};
}

json::value ContractListJson(const std::vector<domain::Contract>& list) {
  return ListJson("contracts", list, ContractJson);
}

Result<NewOrg> ParseNewOrg(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(slug, r.String("slug", true));
  SOPORTE_TRY(name, r.String("name", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return NewOrg{std::move(*slug), std::move(*name)};
}

Result<app::NewContract> ParseNewContract(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::NewContract c;
  SOPORTE_TRY(modality, r.Enum<sla::Modality>("modality", sla::ParseModality, "24x7, 8x5", true));
  c.modality = *modality;
  SOPORTE_TRY(zone, r.String("zone"));
  if (zone) c.zone = *zone;
  SOPORTE_TRY(from, r.String("valid_from"));
  if (from) {
    SOPORTE_TRY(d, ParseDate(*from, "valid_from"));
    c.valid_from = d;
  }
  SOPORTE_TRY(to, r.String("valid_to"));
  if (to) {
    SOPORTE_TRY(d, ParseDate(*to, "valid_to"));
    c.valid_to = d;
  }
  SOPORTE_TRY(channels, r.StringList("channels"));
  if (channels) {
    domain::ChannelSet set;
    for (const auto& name : *channels) {
      auto ch = sla::ParseChannel(name);
      if (!ch) {
        return Fail(ErrorCode::kInvalidArgument,
                    "channels: '" + name + "' is not one of portal, email, phone, chat");
      }
      set.Add(*ch);
    }
    c.channels = set;
  }
  if (const json::value* t = r.Raw("targets_minutes"); t && !t->is_null()) {
    if (!t->is_object())
      return Fail(ErrorCode::kInvalidArgument, "targets_minutes must be an object");
    sla::SlaTargets targets;
    for (const auto& kv : t->as_object()) {
      auto crit = sla::ParseCriticality(kv.key());
      if (!crit) {
        return Fail(ErrorCode::kInvalidArgument,
                    "targets_minutes: unknown criticality '" + std::string(kv.key()) + "'");
      }
      if (!kv.value().is_int64() || kv.value().as_int64() <= 0 || kv.value().as_int64() > 525600) {
        return Fail(ErrorCode::kInvalidArgument,
                    "targets_minutes." + std::string(kv.key()) +
                        " must be a whole number of minutes from 1 to 525600");
      }
      const Seconds s{kv.value().as_int64() * 60};
      switch (*crit) {
        case sla::Criticality::kNormal: targets.normal = s; break;
        case sla::Criticality::kImportant: targets.important = s; break;
        case sla::Criticality::kCritical: targets.critical = s; break;
      }
    }
    c.targets = targets;
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return c;
}

Result<std::optional<CalendarId>> ParseContractPatch(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  if (!r.Has("calendar_id"))
    return Fail(ErrorCode::kInvalidArgument,
                "calendar_id is required (an id, or null for the built-in calendar)");
  SOPORTE_TRY(id, r.Int("calendar_id"));
  SOPORTE_TRY_STATUS(r.Finish());
  if (!id) return std::optional<CalendarId>{};
  if (*id <= 0)
    return Fail(ErrorCode::kInvalidArgument, "calendar_id must be a positive integer or null");
  return std::optional<CalendarId>(CalendarId{*id});
}

}  // namespace soporte::transport::api::codec
