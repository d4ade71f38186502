// The storage port: everything the use cases read and write, behind transactions. Implemented
// by storage/sqlite (embedded default), storage/memory (tests) and later storage/postgres.
//
// Writes go through Store::Write: the function runs inside one transaction and either all of
// its changes are committed or none. Implementations may batch concurrent writes into one
// commit (group commit); Write returns only after the commit is durable, so a caller that
// acknowledges a write to a client after Write returned never loses it on a crash.
// Store methods are thread-safe; ReadTx/WriteTx objects are used by one thread, inside the call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "app/ports/mail_records.hpp"
#include "app/ports/profile_records.hpp"
#include "domain/account/account.hpp"
#include "domain/calendar/calendar_definition.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

namespace sla = domain::sla;

// A browser session: the cookie carries a random token; the store keeps only its hash.
struct SessionRecord {
  std::string token_hash;
  UserId user_id;
  std::string csrf_token;
  Instant created_at;
  Instant expires_at;
};

// A long-lived API token for integrations (Authorization: Bearer). Only its hash is stored.
struct ApiTokenRecord {
  std::int64_t id = 0;
  std::string token_hash;
  UserId user_id;
  std::string name;
  Instant created_at;
};

// One change to a user account (0007_user_events.sql): who changed which field of whom, from
// what to what. Append-only, like a ticket's history; never holds a password.
struct UserEventRecord {
  std::int64_t id = 0;
  UserId user_id;
  UserId actor_id;     // invalid: the system (the command line)
  Instant at;
  std::string field;   // "created", "name", "lang", "org_admin", "role", "active"
  std::string before;  // the old value as text ("" for created)
  std::string after;
};

// A password reset link (0003_web.sql): only the token's hash is stored. A user has at most one
// live link: a newer request replaces it, and using it removes it.
struct PasswordResetRecord {
  std::string token_hash;
  UserId user_id;
  Instant created_at;
  Instant expires_at;
};

// One stored setting (the vendor's contact settings edited in the admin UI).
struct SettingRecord {
  std::string key;
  std::string value;
  Instant updated_at;
};

// Filters for listing tickets. Results are sorted by (response_due, number) ascending.
struct TicketQuery {
  std::optional<domain::TicketStatus> status;
  std::optional<sla::Criticality> criticality;
  std::optional<OrgId> org_id;
  std::optional<UserId> assignee_id;  // UserId{} (invalid) means "unassigned"
  std::optional<bool> breached;       // evaluated at `now`
  Instant now;
  int limit = 50;  // 1..200
  // Keyset cursor: return tickets strictly after (response_due, number).
  std::optional<std::pair<Instant, std::int64_t>> after;
};

struct TicketPage {
  std::vector<domain::Ticket> tickets;
  bool has_more = false;
};

// Counts for the metrics endpoint.
struct TicketStats {
  std::int64_t open_normal = 0, open_important = 0, open_critical = 0;
  std::int64_t breached_open = 0;   // active tickets not answered by their due at `now`
  std::int64_t breached_total = 0;  // every ticket whose response promise was broken at `now`
};

// Who a ticket names (requester, assignee, author…), as views show them.
struct PersonRef {
  UserId id;
  std::string name;
  std::string email;
};

// A ticket with what its view shows of its organisation, contract and people: one read where
// the hottest path (GET /api/v1/tickets/{n}) made five.
struct TicketContext {
  domain::Ticket ticket;
  domain::Organization org;
  domain::Contract contract;
  PersonRef requester;
  std::optional<PersonRef> assignee;
};

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  // kNotFound when absent.
  virtual Result<domain::Organization> GetOrg(OrgId id) = 0;
  virtual Result<domain::Organization> GetOrgBySlug(const std::string& slug) = 0;
  virtual Result<std::vector<domain::Organization>> ListOrgs() = 0;

  virtual Result<domain::Contract> GetContract(ContractId id) = 0;
  virtual Result<std::vector<domain::Contract>> ListContracts(OrgId org) = 0;

  virtual Result<domain::User> GetUser(UserId id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& normalized_email) = 0;
  // Every user, or those of one organisation.
  virtual Result<std::vector<domain::User>> ListUsers(std::optional<OrgId> org) = 0;

  virtual Result<domain::Ticket> GetTicket(TicketId id) = 0;
  virtual Result<domain::Ticket> GetTicketByNumber(std::int64_t number) = 0;
  // kNotFound (naming the number) when no ticket has it.
  virtual Result<TicketContext> GetTicketContext(std::int64_t number) = 0;
  virtual Result<TicketPage> ListTickets(const TicketQuery& q) = 0;
  virtual Result<TicketStats> GetTicketStats(Instant now) = 0;

  // Articles in creation order; internal notes only when `include_internal`.
  virtual Result<std::vector<domain::Article>> ListArticles(TicketId t, bool include_internal) = 0;
  virtual Result<std::vector<domain::Attachment>> ListAttachments(TicketId t) = 0;
  virtual Result<domain::Attachment> GetAttachment(AttachmentId id) = 0;
  virtual Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) = 0;

  virtual Result<SessionRecord> GetSession(const std::string& token_hash) = 0;
  virtual Result<ApiTokenRecord> GetApiToken(const std::string& token_hash) = 0;

  // --- user accounts (0007_user_events.sql) ---
  // The changes made to a user, oldest first (empty when none).
  virtual Result<std::vector<UserEventRecord>> ListUserEvents(UserId user) = 0;

  // --- email channel (app/ports/mail_records.hpp) ---
  // The record of a Message-ID (without brackets); kNotFound when never seen.
  virtual Result<MessageIdRecord> FindMessageId(const std::string& message_id) = 0;
  // A ticket's Message-IDs in the order they were recorded.
  virtual Result<std::vector<MessageIdRecord>> ListMessageIds(TicketId t) = 0;
  // Outbox rows, oldest first: every row, or only those of one ticket.
  virtual Result<std::vector<OutboxRecord>> ListOutbox(std::optional<TicketId> t) = 0;
  // Kept inbound mail, oldest first (attachments not filled in; see GetInboundUnassigned).
  virtual Result<std::vector<InboundUnassignedRecord>> ListInboundUnassigned() = 0;
  // One kept message with its attachments; kNotFound when absent.
  virtual Result<InboundUnassignedRecord> GetInboundUnassigned(std::int64_t id) = 0;
  // One outbox row; kNotFound when absent.
  virtual Result<OutboxRecord> GetOutbox(std::int64_t id) = 0;
  // Rows given up (failed_at set), newest failure first, at most `limit`.
  virtual Result<std::vector<OutboxRecord>> ListFailedOutbox(int limit) = 0;
  // The outbox row that sent `message_id` (without brackets); kNotFound when none.
  virtual Result<OutboxRecord> FindOutboxByMessageId(const std::string& message_id) = 0;
  virtual Result<OutboxCounts> CountOutbox() = 0;
  // The kept message with this Message-ID (the first one); kNotFound when none.
  virtual Result<InboundUnassignedRecord> FindInboundUnassigned(const std::string& message_id) = 0;
  // kNotFound when the mailbox was never read.
  virtual Result<ImapStateRecord> GetImapState(const std::string& mailbox) = 0;
  // UIDs above `after_uid` recorded by MarkImapUid for this mailbox and UIDVALIDITY, ascending.
  virtual Result<std::vector<std::int64_t>> ListImapUids(const std::string& mailbox, std::int64_t uidvalidity,
                                                         std::int64_t after_uid) = 0;
  // Automatic answers sent to `address` (lower-case) at or after `since`.
  virtual Result<std::int64_t> CountAutoReplies(const std::string& address, Instant since) = 0;

  // --- web UI (0003_web.sql) ---
  // The live reset link with this token hash; kNotFound when none (never issued, replaced, used).
  virtual Result<PasswordResetRecord> GetPasswordReset(const std::string& token_hash) = 0;
  // Every stored setting, by key.
  virtual Result<std::vector<SettingRecord>> ListSettings() = 0;
  // --- customer profile (app/ports/profile_records.hpp) ---
  // Every entry of an organisation, by id (so parents come before their children).
  virtual Result<std::vector<domain::ProfileEntry>> ListProfileEntries(OrgId org) = 0;
  // kNotFound when absent.
  virtual Result<domain::ProfileEntry> GetProfileEntry(domain::ProfileEntryId id) = 0;
  // Sealed secrets of one organisation, or of every organisation (key rotation), by id.
  virtual Result<std::vector<SecretRecord>> ListSecrets(std::optional<OrgId> org) = 0;
  // kNotFound when absent.
  virtual Result<SecretRecord> GetSecret(std::int64_t id) = 0;
  // Oldest first.
  virtual Result<std::vector<RevealRecord>> ListReveals(OrgId org) = 0;
  virtual Result<std::vector<ProfileEventRecord>> ListProfileEvents(OrgId org) = 0;
  // The intake answers of a ticket: item name → text (empty map when none).
  virtual Result<std::map<std::string, std::string>> ListTicketIntake(TicketId t) = 0;

  // --- calendars (0006_calendars.sql) ---
  // The calendar with its hours and closure days; kNotFound when absent.
  virtual Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) = 0;
  // Every calendar, by name.
  virtual Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() = 0;
};

class WriteTx : public ReadTx {
 public:
  // Inserts return the stored value with its new id (and, for tickets, number).
  // kAlreadyExists on a unique clash (slug, email).
  virtual Result<domain::Organization> InsertOrg(domain::Organization o) = 0;
  virtual Result<domain::Contract> InsertContract(domain::Contract c) = 0;
  virtual Result<domain::User> InsertUser(domain::User u) = 0;
  virtual Status UpdateUser(const domain::User& u) = 0;

  virtual Result<domain::Ticket> InsertTicket(domain::Ticket t) = 0;
  // Writes every field of `t` when the stored version equals t.version, then stores version+1
  // and returns it; kAborted when the stored version differs (someone else changed it).
  virtual Result<domain::Ticket> UpdateTicket(domain::Ticket t) = 0;

  virtual Result<domain::Article> InsertArticle(domain::Article a) = 0;
  virtual Result<domain::Attachment> InsertAttachment(domain::Attachment a) = 0;
  virtual Status AppendEvent(domain::TicketEvent e) = 0;

  virtual Status InsertSession(const SessionRecord& s) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Removes sessions that expired before `now`; returns how many.
  virtual Result<std::int64_t> DeleteExpiredSessions(Instant now) = 0;
  virtual Result<ApiTokenRecord> InsertApiToken(ApiTokenRecord t) = 0;
  // Removes every API token of the user (a deactivated account's integrations end); returns how many.
  virtual Result<std::int64_t> DeleteUserApiTokens(UserId user) = 0;
  // Appends one change to a user's history. kInvalidArgument for a record without user or
  // field; kFailedPrecondition when the user (or a given actor) does not exist.
  virtual Status AppendUserEvent(UserEventRecord e) = 0;

  // --- email channel ---
  // kAlreadyExists when the id is already recorded (a message seen twice).
  virtual Status InsertMessageId(const MessageIdRecord& r) = 0;
  // Returns the row with its id. kAlreadyExists on a duplicate message_id.
  virtual Result<OutboxRecord> InsertOutbox(OutboxRecord r) = 0;
  // Claims up to `limit` unsent, not failed rows due at `now` (next_attempt_at <= now) whose lease is free
  // (claimed_until absent or < now) by setting claimed_until = lease_until; oldest first.
  virtual Result<std::vector<OutboxRecord>> ClaimOutbox(Instant now, Instant lease_until, int limit) = 0;
  // Stores attempts, next_attempt_at, claimed_until, sent_at, last_error, failed_at and retried_at of row r.id.
  // kNotFound when there is no such row.
  virtual Status UpdateOutboxDelivery(const OutboxRecord& r) = 0;
  // Stores the record and its attachments; returns it with its id.
  virtual Result<InboundUnassignedRecord> InsertInboundUnassigned(InboundUnassignedRecord r) = 0;
  // Stores status, resolved_at, resolved_by, resolution_note and ticket_id of row r.id (the
  // message itself never changes and is never deleted). kNotFound when there is no such row.
  virtual Status ResolveInboundUnassigned(const InboundUnassignedRecord& r) = 0;
  // Inserts or replaces the mailbox's position, and forgets the MarkImapUid records at or below
  // it (and those of another UIDVALIDITY).
  virtual Status PutImapState(const ImapStateRecord& r) = 0;
  // Records that message `uid` of the mailbox was committed (in the transaction that stored it).
  virtual Status MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity, std::int64_t uid) = 0;
  // Records one automatic answer to `address` (lower-case) at `at`.
  virtual Status RecordAutoReply(const std::string& address, Instant at) = 0;

  // --- web UI ---
  // Stores the user's reset link, replacing any earlier one of the same user.
  virtual Status PutPasswordReset(const PasswordResetRecord& r) = 0;
  // Removes the user's reset link (Ok when there is none).
  virtual Status DeletePasswordReset(UserId user) = 0;
  // Ends every session of the user; returns how many.
  virtual Result<std::int64_t> DeleteUserSessions(UserId user) = 0;
  // Inserts or replaces one setting.
  virtual Status PutSetting(const SettingRecord& r) = 0;
  // --- customer profile ---
  // Returns the entry with its new id. kFailedPrecondition when the organisation or the parent
  // does not exist.
  virtual Result<domain::ProfileEntry> InsertProfileEntry(domain::ProfileEntry e) = 0;
  // Replaces parent, fields and updated_at of entry e.id. kNotFound when absent.
  virtual Status UpdateProfileEntry(const domain::ProfileEntry& e) = 0;
  // Removes the entry, its fields and its secrets. kNotFound when absent; kFailedPrecondition
  // while other entries hang from it (the caller removes children first).
  virtual Status DeleteProfileEntry(domain::ProfileEntryId id) = 0;
  // Inserts or replaces the secret of (r.entry_id, r.field); returns it with its id (kept on
  // replace).
  virtual Result<SecretRecord> PutSecret(SecretRecord r) = 0;
  // Removes the secret of (entry, field); Ok when there was none.
  virtual Status DeleteSecret(domain::ProfileEntryId entry, const std::string& field) = 0;
  virtual Status AppendReveal(RevealRecord r) = 0;
  virtual Status AppendProfileEvent(ProfileEventRecord e) = 0;
  // Records the intake answer `item` of ticket `t` (replacing an earlier one).
  virtual Status PutTicketIntake(TicketId t, const std::string& item, const std::string& text) = 0;

  // --- calendars ---
  // Stores a valid definition (hours and closures too) as version 1 and returns it with its id.
  // kInvalidArgument for an invalid one; kAlreadyExists when the name is taken.
  virtual Result<domain::calendar::CalendarDefinition> InsertCalendar(
      domain::calendar::CalendarDefinition c) = 0;
  // Replaces every field, the hours and the closure days of calendar c.id when the stored version
  // equals c.version, stores version+1 and returns it. kAborted when the stored version differs,
  // kNotFound when there is no such calendar, kAlreadyExists when the name is taken.
  virtual Result<domain::calendar::CalendarDefinition> UpdateCalendar(
      domain::calendar::CalendarDefinition c) = 0;
  // Points the contract at a calendar (an invalid id: back to the built-in one). kNotFound when
  // there is no such contract; a missing calendar is a MissingReference (kInvalidArgument).
  virtual Status SetContractCalendar(ContractId contract, CalendarId calendar) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a read transaction (a consistent snapshot). Returns fn's status.
  virtual Status Read(const std::function<Status(ReadTx&)>& fn) = 0;

  // Runs `fn` in a write transaction; commits when fn returns Ok, rolls back otherwise. Returns
  // after the commit (durable against a process crash) with fn's status, or kUnavailable when
  // the store could not commit. Blocks the calling thread: call it from a storage pool thread,
  // never from an io thread.
  virtual Status Write(const std::function<Status(WriteTx&)>& fn) = 0;
};

// Convenience: runs `fn(ReadTx&) -> Result<T>` and returns its result.
template <class F>
auto ReadValue(Store& store, F&& fn) -> decltype(fn(std::declval<ReadTx&>())) {
  using R = decltype(fn(std::declval<ReadTx&>()));
  std::optional<R> out;
  Status st = store.Read([&](ReadTx& tx) -> Status {
    out.emplace(fn(tx));
    if (!*out) return tl::make_unexpected(out->error());
    return Ok();
  });
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
