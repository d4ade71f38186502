// The decisions MailPoller takes around one window of IMAP messages, apart from the mailbox and
// the store, so each has its own unit test: which UIDs to read after the high-water mark, and,
// once the window's messages are committed, skipped or failed, where the mark moves (only over a
// gap-free run, in UID order), what the report counts and which messages get the flag.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace soporte::app {

// One message of a window: fetched to `path`, then committed, skipped, or failed.
struct PolledMessage {
  std::int64_t uid = 0;
  std::string path;
  bool already = false;  // committed in an earlier round (imap_done)
  bool committed = false;
  bool skipped = false;  // unreadable: recorded as done, not stored
  std::optional<Error> error;
};

// The UIDs of `scanned` (ascending) above `last_uid`, at most `max_messages` of them. Servers
// answer "n:*" with the last message too, so UIDs at or below the mark are dropped.
std::vector<std::int64_t> UidsToRead(const std::vector<std::int64_t>& scanned,
                                     std::int64_t last_uid, int max_messages);

struct WindowOutcome {
  std::int64_t mark = 0;              // the new high-water mark
  int ingested = 0;                   // committed in this window
  int failed = 0;                     // skipped as unreadable in this window
  std::vector<std::int64_t> to_flag;  // committed now or earlier: flag them in the mailbox
  std::optional<Error> error;         // the fetch error, else the first message's error
};

// Settles a window processed in UID order: the mark moves from `last_uid` over every message
// done (committed, skipped or already done) until the first one that is not; `fetch_error`
// (the fetch stopped early) wins over the messages' own errors.
WindowOutcome SettleWindow(const std::vector<PolledMessage>& window, std::int64_t last_uid,
                           std::optional<Error> fetch_error);

}  // namespace soporte::app
