#include "app/mail/mail_poller.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace soporte::app {
namespace {

// One message of a window: fetched to `path`, then committed, skipped, or failed.
struct Item {
  std::int64_t uid = 0;
  std::string path;
  bool already = false;    // committed in an earlier round (imap_done)
  bool committed = false;
  bool skipped = false;    // unreadable: recorded as done, not stored
  std::optional<Error> error;
};

}  // namespace

MailPoller::MailPoller(Store& store, MessageParser& parser, IngestMessage& ingest, std::string spool_dir,
                       int workers)
    : store_(store), parser_(parser), ingest_(ingest), spool_dir_(std::move(spool_dir)),
      workers_(std::max(1, workers)) {}

Result<PollReport> MailPoller::PollOnce(Mailbox& box, int max_messages) {
  const std::string name = box.Name();
  ImapStateRecord state{name, 0, 0};
  {
    auto got = ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetImapState(name); });
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
  SOPORTE_TRY(done_list, ReadValue(store_, [&](ReadTx& tx) {
    return tx.mail().ListImapUids(name, state.uidvalidity, state.last_uid);
  }));
  const std::set<std::int64_t> done(done_list.begin(), done_list.end());
  std::vector<std::int64_t> todo;
  for (std::int64_t uid : scan.second) {
    // Servers answer "n:*" with the last message too; UIDs are ascending.
    if (uid > state.last_uid && static_cast<int>(todo.size()) < max_messages) todo.push_back(uid);
  }

  PollReport report;
  static std::atomic<unsigned> seq{0};
  const std::int64_t uidvalidity = state.uidvalidity;
  auto process = [&](Item& it) {
    auto record_uid = [&](WriteTx& tx) { return tx.mail().MarkImapUid(name, uidvalidity, it.uid); };
    auto parsed = parser_.ParseFile(it.path);
    if (!parsed) {
      std::remove(it.path.c_str());
      if (parsed.error().code == ErrorCode::kUnavailable) {
        it.error = parsed.error();
        return;
      }
      // Beyond repair (e.g. over the size limit): skipped, left unflagged in the mailbox for a
      // person to see, so one bad message does not stop the mailbox.
      Status st = store_.Write(record_uid);
      if (st) {
        it.skipped = true;
      } else {
        it.error = st.error();
      }
      return;
    }
    auto ingested = ingest_.Run(*parsed, record_uid);
    std::remove(it.path.c_str());
    if (ingested) {
      it.committed = true;
    } else {
      it.error = ingested.error();  // not committed: read again next round
    }
  };

  const std::size_t window = static_cast<std::size_t>(workers_) * 4;
  for (std::size_t begin = 0; begin < todo.size(); begin += window) {
    const std::size_t end = std::min(todo.size(), begin + window);
    std::vector<Item> items;
    std::optional<Error> fetch_error;
    // 1. Fetch, one at a time: the mailbox is one IMAP connection.
    for (std::size_t i = begin; i < end; ++i) {
      Item it;
      it.uid = todo[i];
      if (done.count(it.uid)) {
        it.already = true;
        items.push_back(std::move(it));
        continue;
      }
      it.path = spool_dir_ + "/imap-" + std::to_string(it.uid) + "-" + std::to_string(seq++) + ".eml";
      Status fetched = box.FetchToFile(it.uid, it.path);
      if (!fetched) {
        std::remove(it.path.c_str());
        fetch_error = fetched.error();
        break;
      }
      items.push_back(std::move(it));
    }
    // 2. Parse and ingest with the workers (this thread is one of them).
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next++; i < items.size(); i = next++) {
        if (!items[i].already) process(items[i]);
      }
    };
    std::vector<std::thread> helpers;
    const std::size_t extra = std::min<std::size_t>(static_cast<std::size_t>(workers_ - 1),
                                                    items.empty() ? 0 : items.size() - 1);
    for (std::size_t w = 0; w < extra; ++w) helpers.emplace_back(work);
    work();
    for (auto& t : helpers) t.join();
    // 3. Move the mark over the gap-free run of committed UIDs; flag what was committed.
    std::int64_t mark = state.last_uid;
    bool gap = false;
    std::optional<Error> first_error = fetch_error;
    for (const Item& it : items) {
      if (it.already || it.committed || it.skipped) {
        if (!gap) mark = it.uid;
        if (it.committed) ++report.ingested;
        if (it.skipped) ++report.failed;
        // Only a flag for people reading the mailbox; UIDs decide.
        if (it.committed || it.already) (void)box.MarkProcessed(it.uid);
      } else {
        gap = true;
        if (!first_error && it.error) first_error = it.error;
      }
    }
    if (mark != state.last_uid) {
      const ImapStateRecord next_state{name, uidvalidity, mark};
      SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) { return tx.mail().PutImapState(next_state); }));
      state.last_uid = mark;
    }
    if (first_error) return tl::make_unexpected(*first_error);
  }
  return report;
}

}  // namespace soporte::app
