#include "app/mail/mail_poller.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

namespace soporte::app {
namespace {

// Spool file names stay unique across pollers and rounds of this process.
std::atomic<unsigned> spool_seq{0};

}  // namespace

MailPoller::MailPoller(Store& store, MessageParser& parser, IngestMessage& ingest, std::string spool_dir,
                       int workers)
    : store_(store), parser_(parser), ingest_(ingest), spool_dir_(std::move(spool_dir)),
      workers_(std::max(1, workers)) {}

Result<ImapStateRecord> MailPoller::LoadState(const std::string& name) {
  auto got = ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetImapState(name); });
  if (got) return *got;
  if (got.error().code != ErrorCode::kNotFound) return tl::make_unexpected(got.error());
  return ImapStateRecord{name, 0, 0};
}

Result<std::vector<std::int64_t>> MailPoller::NewUids(Mailbox& box, ImapStateRecord& state,
                                                      int max_messages) {
  SOPORTE_TRY(scan, box.Scan(state.last_uid));
  if (state.uidvalidity != 0 && scan.first != state.uidvalidity) {
    // RFC 3501 §2.3.1.1: a new UIDVALIDITY invalidates every UID we remember.
    state.last_uid = 0;
    SOPORTE_TRY(rescan, box.Scan(0));
    scan = std::move(rescan);
  }
  state.uidvalidity = scan.first;
  return UidsToRead(scan.second, state.last_uid, max_messages);
}

std::optional<Error> MailPoller::FetchWindow(Mailbox& box, const std::vector<std::int64_t>& uids,
                                             const std::set<std::int64_t>& done,
                                             std::vector<PolledMessage>& window) {
  for (std::int64_t uid : uids) {
    PolledMessage m;
    m.uid = uid;
    if (done.count(uid)) {
      m.already = true;
      window.push_back(std::move(m));
      continue;
    }
    m.path =
        spool_dir_ + "/imap-" + std::to_string(uid) + "-" + std::to_string(spool_seq++) + ".eml";
    Status fetched = box.FetchToFile(uid, m.path);
    if (!fetched) {
      std::remove(m.path.c_str());
      return fetched.error();
    }
    window.push_back(std::move(m));
  }
  return std::nullopt;
}

void MailPoller::IngestOne(PolledMessage& m, const std::string& name, std::int64_t uidvalidity) {
  auto record_uid = [&](WriteTx& tx) { return tx.mail().MarkImapUid(name, uidvalidity, m.uid); };
  auto parsed = parser_.ParseFile(m.path);
  if (!parsed) {
    std::remove(m.path.c_str());
    if (parsed.error().code == ErrorCode::kUnavailable) {
      m.error = parsed.error();
      return;
    }
    // Beyond repair (e.g. over the size limit): skipped, left unflagged in the mailbox for a
    // person to see, so one bad message does not stop the mailbox.
    Status st = store_.Write(record_uid);
    if (st) {
      m.skipped = true;
    } else {
      m.error = st.error();
    }
    return;
  }
  auto ingested = ingest_.Run(*parsed, record_uid);
  std::remove(m.path.c_str());
  if (ingested) {
    m.committed = true;
  } else {
    m.error = ingested.error();  // not committed: read again next round
  }
}

void MailPoller::IngestWindow(std::vector<PolledMessage>& window, const std::string& name,
                              std::int64_t uidvalidity) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < window.size(); i = next++) {
      if (!window[i].already) IngestOne(window[i], name, uidvalidity);
    }
  };
  std::vector<std::thread> helpers;
  const std::size_t extra = std::min<std::size_t>(static_cast<std::size_t>(workers_ - 1),
                                                  window.empty() ? 0 : window.size() - 1);
  for (std::size_t w = 0; w < extra; ++w) helpers.emplace_back(work);
  work();
  for (auto& t : helpers) t.join();
}

Result<PollReport> MailPoller::PollOnce(Mailbox& box, int max_messages) {
  const std::string name = box.Name();
  SOPORTE_TRY(state, LoadState(name));
  SOPORTE_TRY(todo, NewUids(box, state, max_messages));
  const std::int64_t uidvalidity = state.uidvalidity;
  SOPORTE_TRY(done_list, ReadValue(store_, [&](ReadTx& tx) {
                return tx.mail().ListImapUids(name, uidvalidity, state.last_uid);
              }));
  const std::set<std::int64_t> done(done_list.begin(), done_list.end());

  PollReport report;
  const std::size_t window_size = static_cast<std::size_t>(workers_) * 4;
  for (std::size_t begin = 0; begin < todo.size(); begin += window_size) {
    const std::size_t end = std::min(todo.size(), begin + window_size);
    const std::vector<std::int64_t> uids(todo.begin() + static_cast<std::ptrdiff_t>(begin),
                                         todo.begin() + static_cast<std::ptrdiff_t>(end));
    std::vector<PolledMessage> window;
    std::optional<Error> fetch_error = FetchWindow(box, uids, done, window);
    IngestWindow(window, name, uidvalidity);
    const WindowOutcome settled = SettleWindow(window, state.last_uid, std::move(fetch_error));
    report.ingested += settled.ingested;
    report.failed += settled.failed;
    for (std::int64_t uid : settled.to_flag) (void)box.MarkProcessed(uid);
    if (settled.mark != state.last_uid) {
      const ImapStateRecord next_state{name, uidvalidity, settled.mark};
      SOPORTE_TRY_STATUS(
          store_.Write([&](WriteTx& tx) { return tx.mail().PutImapState(next_state); }));
      state.last_uid = settled.mark;
    }
    if (settled.error) return tl::make_unexpected(*settled.error);
  }
  return report;
}

}  // namespace soporte::app
