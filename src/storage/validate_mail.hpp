// Checks every store runs before writing the email channel's rows (see validate.hpp), and the
// one wording of a duplicate Message-ID. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "app/ports/mail_records.hpp"
#include "common/result.hpp"

namespace soporte::storage {

// kInvalidArgument naming the field when the row cannot be stored.
Status ValidateMessageId(const app::MessageIdRecord& r);
Status ValidateOutbox(const app::OutboxRecord& r);

// kAlreadyExists: the Message-ID is already recorded.
Error MessageIdTaken(std::string_view message_id);

}  // namespace soporte::storage
