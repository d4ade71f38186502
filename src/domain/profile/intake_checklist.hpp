// The intake checklist: which of the protocol's recommended items a ticket carries
// ("Recomendaciones para el soporte": the environment, the steps that lead to the problem,
// screenshots or video, logs, the modifications made, and the components' versions). Which items
// are asked for depends on the ticket's type and criticality: a table of rules (data), whose
// default is the protocol's list. Pure values; no I/O.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::domain {

enum class IntakeItem { kEnvironment, kSteps, kScreenshots, kLogs, kModifications, kVersions };
inline constexpr IntakeItem kAllIntakeItems[] = {IntakeItem::kEnvironment, IntakeItem::kSteps,
                                                 IntakeItem::kScreenshots, IntakeItem::kLogs,
                                                 IntakeItem::kModifications, IntakeItem::kVersions};
// "environment", "steps", "screenshots", "logs", "modifications", "versions".
std::string_view IntakeItemName(IntakeItem i);
std::optional<IntakeItem> ParseIntakeItem(std::string_view s);

// One rule: the items asked of tickets of `type` and `criticality` (absent = any).
struct IntakeRule {
  std::optional<TicketType> type;
  std::optional<sla::Criticality> criticality;
  std::vector<IntakeItem> items;
};

class IntakeRules {
 public:
  // The protocol's list: every item for an incident, whatever its criticality; for a request,
  // the environment and the versions.
  static IntakeRules ProtocolDefault();
  // Rules are tried in order; the first that matches gives the items. kInvalidArgument when a
  // rule repeats an item.
  static Result<IntakeRules> Create(std::vector<IntakeRule> rules);

  // The items asked of a ticket of this type and criticality (none when no rule matches).
  std::vector<IntakeItem> Required(TicketType type, sla::Criticality criticality) const;
  const std::vector<IntakeRule>& rules() const { return rules_; }

 private:
  explicit IntakeRules(std::vector<IntakeRule> rules) : rules_(std::move(rules)) {}
  std::vector<IntakeRule> rules_;
};

struct ChecklistEntry {
  IntakeItem item;
  bool present = false;
  friend bool operator==(const ChecklistEntry&, const ChecklistEntry&) = default;
};

// The checklist of `required` items, each marked present when it is in `present`.
std::vector<ChecklistEntry> EvaluateChecklist(const std::vector<IntakeItem>& required,
                                              const std::set<IntakeItem>& present);

// What an attached file shows: images and video are screenshots; text, log and archive files
// are logs. Empty when it is neither.
std::set<IntakeItem> ItemsFromAttachment(std::string_view filename, std::string_view content_type);

}  // namespace soporte::domain
