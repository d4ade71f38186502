// The storage port: everything the use cases read and write, behind transactions. Implemented
// by storage/sqlite (embedded default), storage/memory (tests) and later storage/postgres.
//
// Writes go through Store::Write: the function runs inside one transaction and either all of
// its changes are committed or none. Implementations may batch concurrent writes into one
// commit (group commit); Write returns only after the commit is durable, so a caller that
// acknowledges a write to a client after Write returned never loses it on a crash.
// Store methods are thread-safe; ReadTx/WriteTx objects are used by one thread, inside the call.
//
// A transaction hands out one repository per aggregate (tx.tickets().GetTicket(id)); each has a
// read port (XReader) and a write port (XRepository : XReader) in its own header beside this one.
// ReadTx gives the readers; WriteTx gives the write ports through covariant overrides, so a
// WriteTx passes wherever a ReadTx& is wanted.
//
// A new aggregate (chat, on-call paging, search…) gets its own header here
// (app/ports/chat_repository.hpp: ChatReader + ChatRepository), one accessor in ReadTx and its
// covariant override in WriteTx (tx.chat()), and one implementation per store, each in its own
// file (storage/sqlite/chat_repository.*, storage/memory/memory_chat_repository.*, run by the
// conformance suite in test/conformance/storage).
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "app/ports/account_repository.hpp"
#include "app/ports/alert_repository.hpp"
#include "app/ports/audit_repository.hpp"
#include "app/ports/calendar_repository.hpp"
#include "app/ports/chat_repository.hpp"
#include "app/ports/mail_repository.hpp"
#include "app/ports/oncall_repository.hpp"
#include "app/ports/org_repository.hpp"
#include "app/ports/profile_repository.hpp"
#include "app/ports/search_repository.hpp"
#include "app/ports/report_repository.hpp"
#include "app/ports/settings_repository.hpp"
#include "app/ports/sla_repository.hpp"
#include "app/ports/throttle_repository.hpp"
#include "app/ports/ticket_repository.hpp"
#include "app/ports/webhook_repository.hpp"
#include "common/result.hpp"

namespace soporte::app {

// A read transaction: a consistent snapshot. The repositories it returns live as long as the
// transaction and are used by the same thread.
class ReadTx {
 public:
  virtual ~ReadTx() = default;

  virtual OrgReader& orgs() = 0;            // organisations, contracts
  virtual AccountReader& accounts() = 0;    // users, sessions, API tokens, reset links
  virtual TicketReader& tickets() = 0;      // tickets, articles, attachments, intake answers
  virtual AuditReader& audit() = 0;         // ticket, user and profile histories
  virtual MailReader& mail() = 0;           // Message-IDs, outbox, kept inbound mail, IMAP state
  virtual ProfileReader& profiles() = 0;    // profile entries, secrets, reveals
  virtual CalendarReader& calendars() = 0;  // business calendars
  virtual SettingsReader& settings() = 0;   // admin settings
  virtual SearchReader& search() = 0;       // full-text search over tickets
  virtual OnCallReader& oncall() = 0;       // on-call rotas and pages
  virtual WebhookReader& webhooks() = 0;    // webhook subscriptions and their deliveries
  virtual SlaReader& sla() = 0;             // SLA watch thresholds and its arm queue
  virtual AlertReader& alerts() = 0;        // staff alert preferences and raised alerts
  virtual ChatReader& chats() = 0;          // live chats, their messages and wait alerts
  virtual ReportReader& reports() = 0;      // read-only extracts for reports (no writes)
  virtual ThrottleReader& throttle() = 0;   // failure windows of the login and reset throttles
};

// A write transaction: everything a ReadTx reads (seeing its own writes), and the write ports.
class WriteTx : public ReadTx {
 public:
  OrgRepository& orgs() override = 0;
  AccountRepository& accounts() override = 0;
  TicketRepository& tickets() override = 0;
  AuditRepository& audit() override = 0;
  MailRepository& mail() override = 0;
  ProfileRepository& profiles() override = 0;
  CalendarRepository& calendars() override = 0;
  SettingsRepository& settings() override = 0;
  SearchRepository& search() override = 0;
  OnCallRepository& oncall() override = 0;
  WebhookRepository& webhooks() override = 0;
  SlaRepository& sla() override = 0;
  AlertRepository& alerts() override = 0;
  ChatRepository& chats() override = 0;
  ThrottleRepository& throttle() override = 0;
};

// The reason (Error::reason) of a kUnavailable error meaning the store cannot be reached now (its
// server is down or unreachable), with Error::retry_after saying when to try again. Requests
// answer 503 with it; jobs skip the round without logging it (the store logs the outage once)
// and run again on their next one.
inline constexpr const char* kStoreUnavailable = "store_unavailable";

// True when `e` is the store being unreachable (see kStoreUnavailable).
inline bool StoreUnreachable(const Error& e) {
  return e.code == ErrorCode::kUnavailable && e.reason == kStoreUnavailable;
}

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a read transaction (a consistent snapshot). Returns fn's status.
  virtual Status Read(const std::function<Status(ReadTx&)>& fn) = 0;

  // Runs `fn` like Read, for a read that visits a large part of the database (a yearly report):
  // a store may give it a connection of its own, tuned for that and kept apart from the many
  // small reads. By default, Read.
  virtual Status ReadMany(const std::function<Status(ReadTx&)>& fn) { return Read(fn); }

  // Runs `fn` in a write transaction; commits when fn returns Ok, rolls back otherwise. Returns
  // after the commit (durable against a process crash) with fn's status, or kUnavailable when
  // the store could not commit. Blocks the calling thread: call it from a storage pool thread,
  // never from an io thread.
  virtual Status Write(const std::function<Status(WriteTx&)>& fn) = 0;
};

// How large a read is: most read a few rows; kMany may walk many (Store::ReadMany).
enum class ReadSize { kFew, kMany };

// Convenience: runs `fn(ReadTx&) -> Result<T>` and returns its result.
template <class F>
auto ReadValue(Store& store, F&& fn, ReadSize size = ReadSize::kFew)
    -> decltype(fn(std::declval<ReadTx&>())) {
  using R = decltype(fn(std::declval<ReadTx&>()));
  std::optional<R> out;
  auto read = [&](ReadTx& tx) -> Status {
    out.emplace(fn(tx));
    if (!*out) return tl::make_unexpected(out->error());
    return Ok();
  };
  Status st = size == ReadSize::kMany ? store.ReadMany(read) : store.Read(read);
  if (!st && !out) return tl::make_unexpected(st.error());
  return std::move(*out);
}

// Convenience: runs `fn(WriteTx&) -> Result<T>` in a write transaction and returns its result
// once committed (or the commit's error).
template <class F>
auto WriteValue(Store& store, F&& fn) -> decltype(fn(std::declval<WriteTx&>())) {
  using R = decltype(fn(std::declval<WriteTx&>()));
  std::optional<R> out;
  Status st = store.Write([&](WriteTx& tx) -> Status {
    out.emplace(fn(tx));
    if (!*out) return tl::make_unexpected(out->error());
    return Ok();
  });
  if (!st) return tl::make_unexpected(st.error());
  return std::move(*out);
}

}  // namespace soporte::app
