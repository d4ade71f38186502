#include "storage/validate_mail.hpp"

#include <algorithm>
#include <string>

namespace soporte::storage {
namespace {

// Letters, digits and '_' only (an empty name passes: the caller says whether one is required).
bool IsName(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Status ValidateMessageId(const app::MessageIdRecord& r) {
  if (r.message_id.empty() || r.message_id.size() > 998) {
    return Fail(ErrorCode::kInvalidArgument, "message_id: 1 to 998 bytes");
  }
  if (!r.ticket_id.valid()) return Fail(ErrorCode::kInvalidArgument, "message_id: ticket is required");
  return Ok();
}

Status ValidateOutbox(const app::OutboxRecord& r) {
  if (r.to_address.empty()) return Fail(ErrorCode::kInvalidArgument, "outbox: to_address is required");
  if (r.message_id.empty()) return Fail(ErrorCode::kInvalidArgument, "outbox: message_id is required");
  if (r.kind.empty()) return Fail(ErrorCode::kInvalidArgument, "outbox: kind is required");
  if (r.attempts < 0) return Fail(ErrorCode::kInvalidArgument, "outbox: attempts must be >= 0");
  if (r.facts) {
    if (!r.subject.empty() || !r.body_text.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "outbox: a row kept as facts has no subject or body_text (they are rendered at "
                  "delivery)");
    }
    for (const auto& item : r.facts->missing_items) {
      if (item.empty() || !IsName(item)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "outbox: missing item '" + item + "' must be letters, digits and '_'");
      }
    }
    if (!IsName(r.facts->alert)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "outbox: alert '" + r.facts->alert + "' must be letters, digits and '_'");
    }
  }
  return Ok();
}

Error MessageIdTaken(std::string_view message_id) {
  return Error{ErrorCode::kAlreadyExists, "message id <" + std::string(message_id) + "> already recorded"};
}

}  // namespace soporte::storage
