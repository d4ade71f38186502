#include "app/mail/mail_poller.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>

namespace soporte::app {

MailPoller::MailPoller(Store& store, MessageParser& parser, IngestMessage& ingest, std::string spool_dir)
    : store_(store), parser_(parser), ingest_(ingest), spool_dir_(std::move(spool_dir)) {}

Result<PollReport> MailPoller::PollOnce(Mailbox& box, int max_messages) {
  const std::string name = box.Name();
  ImapStateRecord state{name, 0, 0};
  {
    auto got = ReadValue(store_, [&](ReadTx& tx) { return tx.GetImapState(name); });
    if (got) {
      state = *got;
    } else if (got.error().code != ErrorCode::kNotFound) {
      return tl::make_unexpected(got.error());
    }
  }
  SOPORTE_TRY(scan, box.Scan(state.last_uid));
  if (state.uidvalidity != 0 && scan.first != state.uidvalidity) {
    // RFC 3501 §2.3.1.1: a new UIDVALIDITY invalidates every UID we remember.
    state.last_uid = 0;
    SOPORTE_TRY(rescan, box.Scan(0));
    scan = std::move(rescan);
  }
  state.uidvalidity = scan.first;
  PollReport report;
  static std::atomic<unsigned> seq{0};
  for (std::int64_t uid : scan.second) {
    if (uid <= state.last_uid) continue;  // servers answer "n:*" with the last message too
    if (report.ingested + report.failed >= max_messages) break;
    const std::string path = spool_dir_ + "/imap-" + std::to_string(uid) + "-" + std::to_string(seq++) + ".eml";
    Status fetched = box.FetchToFile(uid, path);
    if (!fetched) {
      std::remove(path.c_str());
      return tl::make_unexpected(fetched.error());
    }
    auto parsed = parser_.ParseFile(path);
    if (!parsed) {
      std::remove(path.c_str());
      if (parsed.error().code == ErrorCode::kUnavailable) return tl::make_unexpected(parsed.error());
      // Beyond repair (e.g. over the size limit): skipped, left unflagged in the mailbox for a
      // person to see, so one bad message does not stop the mailbox.
      ImapStateRecord skip{name, state.uidvalidity, uid};
      SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) { return tx.PutImapState(skip); }));
      state.last_uid = uid;
      ++report.failed;
      continue;
    }
    ImapStateRecord next{name, state.uidvalidity, uid};
    auto ingested = ingest_.Run(*parsed, [&](WriteTx& tx) { return tx.PutImapState(next); });
    std::remove(path.c_str());
    if (!ingested) return tl::make_unexpected(ingested.error());  // not committed: next round
    state.last_uid = uid;
    ++report.ingested;
    (void)box.MarkProcessed(uid);  // only a flag for people reading the mailbox; UIDs decide
  }
  return report;
}

}  // namespace soporte::app
