// MailPoller: reads new mail from IMAP mailboxes into IngestMessage. By UID, after the last UID
// recorded for the mailbox (imap_state), which is written in the SAME transaction as the ticket
// the message became: a crash before the commit re-reads the message, after it skips it, and the
// Message-ID check catches anything seen twice. A message is flagged in the mailbox only after
// its ticket is committed. A changed UIDVALIDITY restarts from UID 1 (duplicates are caught by
// Message-ID). Thread-safe per mailbox; blocks: run it on a worker thread.
#pragma once

#include <string>

#include "app/mail/ingest_message.hpp"
#include "app/ports/mail.hpp"

namespace soporte::app {

struct PollReport {
  int ingested = 0;
  int failed = 0;  // left in the mailbox for the next round
};

class MailPoller {
 public:
  // `spool_dir`: where fetched messages are written before parsing (DATA/tmp).
  MailPoller(Store& store, MessageParser& parser, IngestMessage& ingest, std::string spool_dir);

  // Reads every new message of `box` (at most `max_messages`). Errors when the mailbox or the
  // store cannot be reached; messages already committed stay committed.
  Result<PollReport> PollOnce(Mailbox& box, int max_messages = 500);

 private:
  Store& store_;
  MessageParser& parser_;
  IngestMessage& ingest_;
  std::string spool_dir_;
};

}  // namespace soporte::app
