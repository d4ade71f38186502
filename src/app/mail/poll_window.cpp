#include "app/mail/poll_window.hpp"

namespace soporte::app {

std::vector<std::int64_t> UidsToRead(const std::vector<std::int64_t>& scanned,
                                     std::int64_t last_uid, int max_messages) {
  std::vector<std::int64_t> todo;
  for (std::int64_t uid : scanned) {
    if (uid > last_uid && static_cast<int>(todo.size()) < max_messages) todo.push_back(uid);
  }
  return todo;
}

WindowOutcome SettleWindow(const std::vector<PolledMessage>& window, std::int64_t last_uid,
                           std::optional<Error> fetch_error) {
  WindowOutcome out;
  out.mark = last_uid;
  out.error = std::move(fetch_error);
  bool gap = false;
  for (const PolledMessage& m : window) {
    if (m.already || m.committed || m.skipped) {
      if (!gap) out.mark = m.uid;
      if (m.committed) ++out.ingested;
      if (m.skipped) ++out.failed;
      // Only a flag for people reading the mailbox; UIDs decide.
      if (m.committed || m.already) out.to_flag.push_back(m.uid);
    } else {
      gap = true;
      if (!out.error && m.error) out.error = m.error;
    }
  }
  return out;
}

}  // namespace soporte::app
