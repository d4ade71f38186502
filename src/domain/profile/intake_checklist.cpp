#include "domain/profile/intake_checklist.hpp"

#include <algorithm>
#include <cctype>

namespace soporte::domain {
namespace {

constexpr std::string_view kNames[] = {"environment", "steps", "screenshots", "logs", "modifications", "versions"};

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view IntakeItemName(IntakeItem i) { return kNames[static_cast<std::size_t>(i)]; }

std::optional<IntakeItem> ParseIntakeItem(std::string_view s) {
  for (IntakeItem i : kAllIntakeItems) {
    if (IntakeItemName(i) == s) return i;
  }
  return std::nullopt;
}

IntakeRules IntakeRules::ProtocolDefault() {
  // protocol, "Recomendaciones para el soporte": scenario and steps (with images or videos),
  // logs of every component involved, modifications made; "Información necesaria": environments
  // and versions.
  return IntakeRules({
      IntakeRule{TicketType::kIncident, std::nullopt,
                 {IntakeItem::kEnvironment, IntakeItem::kSteps, IntakeItem::kScreenshots, IntakeItem::kLogs,
                  IntakeItem::kModifications, IntakeItem::kVersions}},
      IntakeRule{TicketType::kRequest, std::nullopt, {IntakeItem::kEnvironment, IntakeItem::kVersions}},
  });
}

Result<IntakeRules> IntakeRules::Create(std::vector<IntakeRule> rules) {
  for (const auto& r : rules) {
    std::set<IntakeItem> seen;
    for (IntakeItem i : r.items) {
      if (!seen.insert(i).second) {
        return Fail(ErrorCode::kInvalidArgument, "an intake rule names '" + std::string(IntakeItemName(i)) + "' twice");
      }
    }
  }
  return IntakeRules(std::move(rules));
}

std::vector<IntakeItem> IntakeRules::Required(TicketType type, sla::Criticality criticality) const {
  for (const auto& r : rules_) {
    if (r.type && *r.type != type) continue;
    if (r.criticality && *r.criticality != criticality) continue;
    return r.items;
  }
  return {};
}

std::vector<ChecklistEntry> EvaluateChecklist(const std::vector<IntakeItem>& required,
                                              const std::set<IntakeItem>& present) {
  std::vector<ChecklistEntry> out;
  for (IntakeItem i : required) out.push_back(ChecklistEntry{i, present.contains(i)});
  return out;
}

std::set<IntakeItem> ItemsFromAttachment(std::string_view filename, std::string_view content_type) {
  if (content_type.starts_with("image/") || content_type.starts_with("video/")) return {IntakeItem::kScreenshots};
  for (std::string_view ext : {".log", ".txt", ".out", ".err", ".trc", ".zip", ".gz", ".tgz", ".7z"}) {
    if (EndsWith(filename, ext)) return {IntakeItem::kLogs};
  }
  if (content_type.starts_with("text/plain") || content_type == "application/zip" || content_type == "application/gzip") {
    return {IntakeItem::kLogs};
  }
  return {};
}

}  // namespace soporte::domain
