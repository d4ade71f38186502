#include "domain/ticket/ticket_tags.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace soporte::domain {
namespace {

bool SameIgnoringCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(
      a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

Status ValidateTags(const std::vector<std::string>& tags, const TicketLimits& limits) {
  if (tags.size() > limits.max_tags) {
    return Fail(ErrorCode::kInvalidArgument, "tags: at most " + std::to_string(limits.max_tags));
  }
  for (const auto& tag : tags) {
    if (tag.empty() || tag.size() > limits.max_tag) {
      return Fail(ErrorCode::kInvalidArgument, "tags: each tag must have 1 to " +
                                                   std::to_string(limits.max_tag) + " characters");
    }
    if (tag.find_first_of(", \t\r\n") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "tags: a tag may not contain spaces or commas");
    }
  }
  // A tag is a label, not a count: "VPN" and "vpn" twice is a mistake to point out, not to store.
  for (std::size_t i = 0; i < tags.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (SameIgnoringCase(tags[i], tags[j])) {
        return Fail(ErrorCode::kInvalidArgument, "tags: '" + tags[i] + "' is given twice");
      }
    }
  }
  return Ok();
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += ",";
    out += t;
  }
  return out;
}

}  // namespace soporte::domain
