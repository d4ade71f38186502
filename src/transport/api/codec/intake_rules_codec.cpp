#include "transport/api/codec/intake_rules_codec.hpp"

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "domain/sla/criticality.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::transport::api::codec {
namespace json = boost::json;
namespace sla = domain::sla;

Result<domain::IntakeRules> ParseIntakeRules(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec)
    return Fail(ErrorCode::kInvalidArgument, "intake rules are not valid JSON: " + ec.message());
  if (!v.is_array())
    return Fail(ErrorCode::kInvalidArgument, "intake rules must be a JSON array of rules");
  std::vector<domain::IntakeRule> rules;
  int n = 0;
  for (const auto& item : v.as_array()) {
    ++n;
    const std::string where = "intake rule " + std::to_string(n) + ": ";
    if (!item.is_object()) return Fail(ErrorCode::kInvalidArgument, where + "must be an object");
    domain::IntakeRule rule;
    bool has_items = false;
    for (const auto& kv : item.as_object()) {
      const std::string key(kv.key());
      if (key == "type" && kv.value().is_string()) {
        auto t = domain::ParseType(kv.value().as_string());
        if (!t)
          return Fail(ErrorCode::kInvalidArgument, where + "type must be incident or request");
        rule.type = *t;
      } else if (key == "criticality" && kv.value().is_string()) {
        auto c = sla::ParseCriticality(kv.value().as_string());
        if (!c)
          return Fail(ErrorCode::kInvalidArgument,
                      where + "criticality must be normal, important or critical");
        rule.criticality = *c;
      } else if (key == "items" && kv.value().is_array()) {
        has_items = true;
        for (const auto& i : kv.value().as_array()) {
          auto parsed = i.is_string() ? domain::ParseIntakeItem(i.as_string()) : std::nullopt;
          if (!parsed) {
            return Fail(ErrorCode::kInvalidArgument,
                        where +
                            "items must name environment, steps, screenshots, logs, modifications "
                            "or versions");
          }
          rule.items.push_back(*parsed);
        }
      } else {
        return Fail(ErrorCode::kInvalidArgument, where + "unknown or mistyped field '" + key + "'");
      }
    }
    if (!has_items) return Fail(ErrorCode::kInvalidArgument, where + "items is required");
    rules.push_back(std::move(rule));
  }
  return domain::IntakeRules::Create(std::move(rules));
}

}  // namespace soporte::transport::api::codec
