// The live relay's wire text (pg_live_relay.*): one NOTIFY payload per note, a line of eight
// fields separated by single spaces, far below NOTIFY's 8000-byte limit:
//   L1 NODE SEQ T NUMBER ORG USER WHAT      a ticket's TicketChanged
//   L1 NODE SEQ C CHAT MESSAGE_SEQ TO_USER KIND   a chat's ChatNote
// NODE is the sending relay's id (letters, digits, '_' and '-', 1 to 64), SEQ its note counter
// (from 1: a receiver drops a repeat and resyncs on a gap), ids are decimal (0 = none) and WHAT
// or KIND 1 to 32 of a-z and '_'. Parsed strictly: anything else is refused, naming the problem.
// Internal to storage/postgres; pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "app/ports/live_relay.hpp"
#include "common/result.hpp"

namespace soporte::storage::pg_internal {

inline constexpr std::size_t kMaxLiveNoteText = 256;  // longer payloads are refused unread

struct RelayedNote {
  std::string node;
  std::int64_t seq = 0;
  app::LiveNote note;
};

// The payload of `n`. kInvalidArgument naming the field when a value cannot be written in the
// format (a node, what or kind outside its characters, a negative id or a seq below 1).
Result<std::string> EncodeLiveNote(const RelayedNote& n);

// The note `payload` holds. kInvalidArgument naming the first thing wrong with it.
Result<RelayedNote> DecodeLiveNote(std::string_view payload);

}  // namespace soporte::storage::pg_internal
