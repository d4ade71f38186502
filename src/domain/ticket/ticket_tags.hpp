// A ticket's tags: short labels without spaces or commas, each given once (case-insensitively).
// Checked when a ticket is opened and when its tags are changed; written comma-joined in the
// history.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/ticket/ticket_limits.hpp"

namespace soporte::domain {

// Ok when `tags` has at most limits.max_tags entries, each 1..limits.max_tag bytes without
// space, tab, CR, LF or comma, and no two equal ignoring ASCII case. kInvalidArgument starting
// "tags: " naming the first problem otherwise (the count first, then each tag in order, then the
// first repeat: "tags: 'vpn' is given twice").
Status ValidateTags(const std::vector<std::string>& tags, const TicketLimits& limits);

// The tags as the history writes them: "a,b,c" ("" for none).
std::string JoinTags(const std::vector<std::string>& tags);

}  // namespace soporte::domain
