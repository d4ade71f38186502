#include "transport/api/codec/profile_codec.hpp"

#include <boost/json.hpp>
#include <date/tz.h>

#include "domain/calendar/zones.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api::codec {
namespace json = boost::json;
namespace {

using domain::FieldType;
using domain::ProfileKind;

json::value Time(Instant t) { return json::value(text::FormatIso8601(t, domain::calendar::Utc())); }

json::value Person(const app::PersonName& p) {
  return json::object{{"id", p.id.value()}, {"name", p.name}, {"email", p.email}};
}

json::object EntryObject(const app::ProfileEntryView& v) {
  const auto& e = v.entry;
  const auto& spec = domain::SpecOf(e.kind);
  json::object o;
  o["id"] = e.id.value();
  if (spec.parent) {
    const std::string key(domain::SpecOf(*spec.parent).name);
    if (e.parent.valid()) {
      o[key] = e.parent.value();
    } else {
      o[key] = nullptr;
    }
  }
  for (const auto& f : spec.fields) {
    const std::string name(f.name);
    if (f.type == FieldType::kSecret) {
      auto it = v.secrets.find(name);
      if (it == v.secrets.end()) {
        o[name] = json::object{{"set", false}};
      } else {
        o[name] = json::object{{"set", true}, {"secret_id", it->second}};
      }
      continue;
    }
    auto it = e.fields.find(name);
    if (it == e.fields.end()) {
      o[name] = nullptr;
    } else if (f.type == FieldType::kPort || f.type == FieldType::kRef) {
      o[name] = std::stoll(it->second);
    } else {
      o[name] = it->second;
    }
  }
  o["created_at"] = Time(e.created_at);
  o["updated_at"] = Time(e.updated_at);
  return o;
}

// `v` as an object with its children nested under their kinds' plural names.
json::object Tree(const app::ProfileView& view, const app::ProfileEntryView& v) {
  json::object o = EntryObject(v);
  for (const auto& spec : domain::ProfileKinds()) {
    if (!spec.parent || *spec.parent != v.entry.kind || !spec.parent_required) continue;
    json::array children;
    for (const auto& c : view.entries) {
      if (c.entry.kind == spec.kind && c.entry.parent == v.entry.id)
        children.push_back(Tree(view, c));
    }
    o[std::string(spec.plural)] = std::move(children);
  }
  return o;
}

}  // namespace

json::value ProfileEntryJson(const app::ProfileEntryView& v) { return EntryObject(v); }

json::value ProfileJson(const app::ProfileView& v) {
  json::object o;
  o["org"] = json::object{{"slug", v.org.slug}, {"name", v.org.name}};
  o["can_edit"] = v.can_edit;
  o["can_reveal"] = v.can_reveal;
  for (const auto& spec : domain::ProfileKinds()) {
    // Top level: kinds that hang from nothing, or optionally (remote access, with its environment).
    if (spec.parent && spec.parent_required) continue;
    json::array list;
    for (const auto& e : v.entries) {
      if (e.entry.kind == spec.kind) list.push_back(Tree(v, e));
    }
    o[std::string(spec.plural)] = std::move(list);
  }
  return o;
}

json::value RevealJson(const app::RevealedSecret& r) {
  return json::object{{"secret_id", r.secret_id},
                      {"entry", r.entry_id.value()},
                      {"field", r.field},
                      {"value", r.value},
                      {"revealed_at", Time(r.revealed_at)}};
}

json::value RevealLogJson(const std::vector<app::RevealView>& list) {
  json::array items;
  for (const auto& r : list) {
    items.push_back(json::object{{"id", r.record.id},
                                 {"secret_id", r.record.secret_id},
                                 {"entry", r.record.entry_id.value()},
                                 {"field", r.record.field},
                                 {"by", Person(r.actor)},
                                 {"at", Time(r.record.at)},
                                 {"reason", r.record.reason}});
  }
  return json::object{{"reveals", std::move(items)}};
}

json::value ProfileHistoryJson(const std::vector<app::ProfileEventView>& list) {
  json::array items;
  for (const auto& e : list) {
    json::object o{
        {"id", e.record.id},     {"at", Time(e.record.at)},   {"entry", e.record.entry_id.value()},
        {"kind", e.record.kind}, {"action", e.record.action}, {"detail", e.record.detail}};
    if (e.actor) {
      o["by"] = Person(*e.actor);
    } else {
      o["by"] = nullptr;
    }
    items.push_back(std::move(o));
  }
  return json::object{{"events", std::move(items)}};
}

Result<app::ProfileEntryInput> ParseProfileEntryInput(ProfileKind kind, std::string_view body) {
  if (body.empty())
    return Fail(ErrorCode::kInvalidArgument,
                "the request body is empty; a JSON object is expected");
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec)
    return Fail(ErrorCode::kInvalidArgument, "the request body is not valid JSON: " + ec.message());
  if (!v.is_object())
    return Fail(ErrorCode::kInvalidArgument, "the request body must be a JSON object");
  const auto& spec = domain::SpecOf(kind);
  const std::string parent_key = spec.parent ? std::string(domain::SpecOf(*spec.parent).name) : "";
  app::ProfileEntryInput in;
  for (const auto& kv : v.as_object()) {
    const std::string key(kv.key());
    const json::value& val = kv.value();
    if (spec.parent && key == parent_key) {
      if (val.is_null()) {
        in.parent = domain::ProfileEntryId{};
      } else if (val.is_int64() && val.as_int64() > 0) {
        in.parent = domain::ProfileEntryId{val.as_int64()};
      } else {
        return Fail(ErrorCode::kInvalidArgument, key + " must be the id of a " + key);
      }
      continue;
    }
    const auto* f = domain::FieldOf(kind, key);
    if (f == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "unknown field '" + key + "' for a " + std::string(spec.name));
    }
    if (f->type == FieldType::kSecret) {
      if (val.is_null()) {
        in.secrets[key] = std::nullopt;
      } else if (val.is_string()) {
        in.secrets[key] = std::string(val.as_string());
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    key + " must be a string (to set it) or null (to clear it)");
      }
      continue;
    }
    if (val.is_null()) continue;
    if (val.is_string()) {
      in.fields[key] = std::string(val.as_string());
    } else if ((f->type == FieldType::kPort || f->type == FieldType::kRef) && val.is_int64()) {
      in.fields[key] = std::to_string(val.as_int64());
    } else {
      return Fail(
          ErrorCode::kInvalidArgument,
          key + (f->type == FieldType::kPort || f->type == FieldType::kRef ? " must be a number"
                                                                           : " must be a string"));
    }
  }
  return in;
}

Result<std::string> ParseRevealReason(std::string_view body) {
  if (body.empty())
    return Fail(ErrorCode::kInvalidArgument, "reason is required to reveal a secret");
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec)
    return Fail(ErrorCode::kInvalidArgument, "the request body is not valid JSON: " + ec.message());
  if (!v.is_object())
    return Fail(ErrorCode::kInvalidArgument, "the request body must be a JSON object");
  std::string reason;
  for (const auto& kv : v.as_object()) {
    if (kv.key() != "reason") {
      return Fail(ErrorCode::kInvalidArgument, "unknown field '" + std::string(kv.key()) + "'");
    }
    if (!kv.value().is_string())
      return Fail(ErrorCode::kInvalidArgument, "reason must be a string");
    reason = std::string(kv.value().as_string());
  }
  return reason;
}

}  // namespace soporte::transport::api::codec
