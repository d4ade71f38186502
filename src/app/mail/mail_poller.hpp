// MailPoller: reads new mail from IMAP mailboxes into IngestMessage. By UID, after the mailbox's
// high-water mark (imap_state.last_uid). Messages are fetched one by one over the mailbox's
// connection, then parsed and ingested by a few workers at once, so their commits share the
// store's group commit. Each message's transaction also records its UID (imap_done); the mark
// only moves over a gap-free run of committed UIDs, in UID order, so a crash at any point neither
// loses a message (UIDs above the mark are read again) nor stores one twice (UIDs recorded above
// the mark are skipped; the Message-ID check is a second guard). A message is flagged in the
// mailbox only after its ticket is committed. A changed UIDVALIDITY restarts from UID 1.
// Thread-safe per mailbox; blocks: run it on a worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/mail/ingest_message.hpp"
#include "app/mail/poll_window.hpp"
#include "app/ports/mail.hpp"

namespace soporte::app {

struct PollReport {
  int ingested = 0;
  int failed = 0;  // unreadable (e.g. over the size limit): skipped, left unflagged for a person
};

class MailPoller {
 public:
  // `spool_dir`: where fetched messages are written before parsing (DATA/tmp). `workers` (>= 1):
  // messages parsed and ingested at once.
  MailPoller(Store& store, MessageParser& parser, IngestMessage& ingest, std::string spool_dir,
             int workers = 4);

  // Reads every new message of `box` (at most `max_messages`). Errors when the mailbox or the
  // store cannot be reached; messages already committed stay committed (and the mark covers
  // every gap-free run of them).
  Result<PollReport> PollOnce(Mailbox& box, int max_messages = 500);

 private:
  // The steps of PollOnce, in order (each window: fetch, ingest, settle).
  Result<ImapStateRecord> LoadState(const std::string& name);
  // Scans `box` after the mark; a changed UIDVALIDITY resets `state` and rescans from UID 1.
  // Returns the UIDs to read (at most `max_messages`).
  Result<std::vector<std::int64_t>> NewUids(Mailbox& box, ImapStateRecord& state, int max_messages);
  // Fetches `uids` one at a time (the mailbox is one connection) into `window`; UIDs in `done`
  // are not fetched. Returns the error that stopped the fetch, if any.
  std::optional<Error> FetchWindow(Mailbox& box, const std::vector<std::int64_t>& uids,
                                   const std::set<std::int64_t>& done,
                                   std::vector<PolledMessage>& window);
  // Parses and ingests the fetched messages of `window` with the workers (this thread is one).
  void IngestWindow(std::vector<PolledMessage>& window, const std::string& name,
                    std::int64_t uidvalidity);
  void IngestOne(PolledMessage& m, const std::string& name, std::int64_t uidvalidity);

  Store& store_;
  MessageParser& parser_;
  IngestMessage& ingest_;
  std::string spool_dir_;
  int workers_;
};

}  // namespace soporte::app
