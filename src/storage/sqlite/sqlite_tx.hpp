// The SQL behind the storage port: one SqliteTx runs every ReadTx/WriteTx method on a single
// connection that is already inside a transaction (SqliteStore opens and ends it). Internal to
// storage/sqlite; used by one thread, inside one Read or Write call.
#pragma once

#include "app/ports/store.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteTx final : public app::WriteTx {
 public:
  explicit SqliteTx(Db& db) : db_(db) {}

  Result<domain::Organization> GetOrg(OrgId id) override;
  Result<domain::Organization> GetOrgBySlug(const std::string& slug) override;
  Result<std::vector<domain::Organization>> ListOrgs() override;
  Result<domain::Contract> GetContract(ContractId id) override;
  Result<std::vector<domain::Contract>> ListContracts(OrgId org) override;
  Result<domain::User> GetUser(UserId id) override;
  Result<domain::User> GetUserByEmail(const std::string& normalized_email) override;
  Result<std::vector<domain::User>> ListUsers(std::optional<OrgId> org) override;
  Result<domain::Ticket> GetTicket(TicketId id) override;
  Result<domain::Ticket> GetTicketByNumber(std::int64_t number) override;
  Result<app::TicketContext> GetTicketContext(std::int64_t number) override;
  Result<app::TicketPage> ListTickets(const app::TicketQuery& q) override;
  Result<app::TicketStats> GetTicketStats(Instant now) override;
  Result<std::vector<domain::Article>> ListArticles(TicketId t, bool include_internal) override;
  Result<std::vector<domain::Attachment>> ListAttachments(TicketId t) override;
  Result<domain::Attachment> GetAttachment(AttachmentId id) override;
  Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) override;
  Result<app::SessionRecord> GetSession(const std::string& token_hash) override;
  Result<app::ApiTokenRecord> GetApiToken(const std::string& token_hash) override;

  Result<domain::Organization> InsertOrg(domain::Organization o) override;
  Result<domain::Contract> InsertContract(domain::Contract c) override;
  Result<domain::User> InsertUser(domain::User u) override;
  Status UpdateUser(const domain::User& u) override;
  Result<domain::Ticket> InsertTicket(domain::Ticket t) override;
  Result<domain::Ticket> UpdateTicket(domain::Ticket t) override;
  Result<domain::Article> InsertArticle(domain::Article a) override;
  Result<domain::Attachment> InsertAttachment(domain::Attachment a) override;
  Status AppendEvent(domain::TicketEvent e) override;
  Status InsertSession(const app::SessionRecord& s) override;
  Status DeleteSession(const std::string& token_hash) override;
  Result<std::int64_t> DeleteExpiredSessions(Instant now) override;
  Result<app::ApiTokenRecord> InsertApiToken(app::ApiTokenRecord t) override;

  // User accounts (sqlite_user_tx.cpp).
  Result<std::vector<app::UserEventRecord>> ListUserEvents(UserId user) override;
  Result<std::int64_t> DeleteUserApiTokens(UserId user) override;
  Status AppendUserEvent(app::UserEventRecord e) override;

  // Email channel (sqlite_mail_tx.cpp).
  Result<app::MessageIdRecord> FindMessageId(const std::string& message_id) override;
  Result<std::vector<app::MessageIdRecord>> ListMessageIds(TicketId t) override;
  Result<std::vector<app::OutboxRecord>> ListOutbox(std::optional<TicketId> t) override;
  Result<std::vector<app::InboundUnassignedRecord>> ListInboundUnassigned() override;
  Result<app::InboundUnassignedRecord> FindInboundUnassigned(const std::string& message_id) override;
  Result<app::InboundUnassignedRecord> GetInboundUnassigned(std::int64_t id) override;
  Result<app::OutboxRecord> GetOutbox(std::int64_t id) override;
  Result<std::vector<app::OutboxRecord>> ListFailedOutbox(int limit) override;
  Result<app::OutboxRecord> FindOutboxByMessageId(const std::string& message_id) override;
  Result<app::OutboxCounts> CountOutbox() override;
  Result<app::ImapStateRecord> GetImapState(const std::string& mailbox) override;
  Result<std::vector<std::int64_t>> ListImapUids(const std::string& mailbox, std::int64_t uidvalidity,
                                                 std::int64_t after_uid) override;
  Result<std::int64_t> CountAutoReplies(const std::string& address, Instant since) override;
  Status InsertMessageId(const app::MessageIdRecord& r) override;
  Result<app::OutboxRecord> InsertOutbox(app::OutboxRecord r) override;
  Result<std::vector<app::OutboxRecord>> ClaimOutbox(Instant now, Instant lease_until,
                                                      int limit) override;
  Status UpdateOutboxDelivery(const app::OutboxRecord& r) override;
  Result<app::InboundUnassignedRecord> InsertInboundUnassigned(app::InboundUnassignedRecord r) override;
  Status ResolveInboundUnassigned(const app::InboundUnassignedRecord& r) override;
  Status PutImapState(const app::ImapStateRecord& r) override;
  Status MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity, std::int64_t uid) override;
  Status RecordAutoReply(const std::string& address, Instant at) override;

  // Web UI (sqlite_web_tx.cpp).
  Result<app::PasswordResetRecord> GetPasswordReset(const std::string& token_hash) override;
  Result<std::vector<app::SettingRecord>> ListSettings() override;
  Status PutPasswordReset(const app::PasswordResetRecord& r) override;
  Status DeletePasswordReset(UserId user) override;
  Result<std::int64_t> DeleteUserSessions(UserId user) override;
  Status PutSetting(const app::SettingRecord& r) override;
  // Customer profile (sqlite_profile_tx.cpp).
  Result<std::vector<domain::ProfileEntry>> ListProfileEntries(OrgId org) override;
  Result<domain::ProfileEntry> GetProfileEntry(domain::ProfileEntryId id) override;
  Result<std::vector<app::SecretRecord>> ListSecrets(std::optional<OrgId> org) override;
  Result<app::SecretRecord> GetSecret(std::int64_t id) override;
  Result<std::vector<app::RevealRecord>> ListReveals(OrgId org) override;
  Result<std::vector<app::ProfileEventRecord>> ListProfileEvents(OrgId org) override;
  Result<domain::ProfileEntry> InsertProfileEntry(domain::ProfileEntry e) override;
  Status UpdateProfileEntry(const domain::ProfileEntry& e) override;
  Status DeleteProfileEntry(domain::ProfileEntryId id) override;
  Result<app::SecretRecord> PutSecret(app::SecretRecord r) override;
  Status DeleteSecret(domain::ProfileEntryId entry, const std::string& field) override;
  Status AppendReveal(app::RevealRecord r) override;
  Status AppendProfileEvent(app::ProfileEventRecord e) override;
  Result<std::map<std::string, std::string>> ListTicketIntake(TicketId t) override;
  Status PutTicketIntake(TicketId t, const std::string& item, const std::string& text) override;

  // Calendars (sqlite_calendar_tx.cpp).
  Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) override;
  Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() override;
  Result<domain::calendar::CalendarDefinition> InsertCalendar(domain::calendar::CalendarDefinition c) override;
  Result<domain::calendar::CalendarDefinition> UpdateCalendar(domain::calendar::CalendarDefinition c) override;
  Status SetContractCalendar(ContractId contract, CalendarId calendar) override;

 private:
  Status WriteFields(const domain::ProfileEntry& e);
  // Ok when `e` has no parent or its parent exists and may hold it; MissingReference otherwise.
  Status CheckEntryParent(const domain::ProfileEntry& e);
  // Ok when `table` has a row with this id; MissingReference(what) otherwise.
  Status CheckExists(const char* table, std::int64_t id, std::string_view what);
  // Reads the hours and closure days of `c` (whose calendars row is already read).
  Status ReadCalendarParts(domain::calendar::CalendarDefinition& c);
  // Replaces the hours and closure days of calendar c.id with those of `c`.
  Status WriteCalendarParts(const domain::calendar::CalendarDefinition& c);

  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
