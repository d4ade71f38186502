// The mail port: what the email channel remembers (records in mail_records.hpp): Message-IDs
// seen and sent, the outbox, inbound mail kept without a ticket, the IMAP position and the
// automatic answers sent. Reached as tx.mail() inside a Store transaction (store.hpp).
// Implemented by storage/sqlite/mail_repository.* and storage/memory/memory_mail_repository.*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/mail_records.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::app {

// Reads; used by one thread inside one Read or Write call.
class MailReader {
 public:
  virtual ~MailReader() = default;

  // The record of a Message-ID (without brackets); kNotFound when never seen.
  virtual Result<MessageIdRecord> FindMessageId(const std::string& message_id) = 0;
  // A ticket's Message-IDs in the order they were recorded.
  virtual Result<std::vector<MessageIdRecord>> ListMessageIds(TicketId t) = 0;

  // Outbox rows, oldest first: every row, or only those of one ticket.
  virtual Result<std::vector<OutboxRecord>> ListOutbox(std::optional<TicketId> t) = 0;
  // One outbox row; kNotFound when absent.
  virtual Result<OutboxRecord> GetOutbox(std::int64_t id) = 0;
  // Rows given up (failed_at set), newest failure first, at most `limit`.
  virtual Result<std::vector<OutboxRecord>> ListFailedOutbox(int limit) = 0;
  // The outbox row that sent `message_id` (without brackets); kNotFound when none.
  virtual Result<OutboxRecord> FindOutboxByMessageId(const std::string& message_id) = 0;
  // How many rows are pending, sent and failed.
  virtual Result<OutboxCounts> CountOutbox() = 0;

  // Kept inbound mail, oldest first (attachments not filled in; see GetInboundUnassigned).
  virtual Result<std::vector<InboundUnassignedRecord>> ListInboundUnassigned() = 0;
  // One kept message with its attachments; kNotFound when absent.
  virtual Result<InboundUnassignedRecord> GetInboundUnassigned(std::int64_t id) = 0;
  // The kept message with this Message-ID (the first one); kNotFound when none.
  virtual Result<InboundUnassignedRecord> FindInboundUnassigned(const std::string& message_id) = 0;

  // kNotFound when the mailbox was never read.
  virtual Result<ImapStateRecord> GetImapState(const std::string& mailbox) = 0;
  // UIDs above `after_uid` recorded by MarkImapUid for this mailbox and UIDVALIDITY, ascending.
  virtual Result<std::vector<std::int64_t>> ListImapUids(const std::string& mailbox,
                                                         std::int64_t uidvalidity,
                                                         std::int64_t after_uid) = 0;

  // Automatic answers sent to `address` (lower-case) at or after `since`.
  virtual Result<std::int64_t> CountAutoReplies(const std::string& address, Instant since) = 0;
};

class MailRepository : public MailReader {
 public:
  // kAlreadyExists when the id is already recorded (a message seen twice).
  virtual Status InsertMessageId(const MessageIdRecord& r) = 0;

  // Returns the row with its id. kAlreadyExists on a duplicate message_id.
  virtual Result<OutboxRecord> InsertOutbox(OutboxRecord r) = 0;
  // Claims up to `limit` unsent, not failed rows due at `now` (next_attempt_at <= now) whose lease
  // is free (claimed_until absent or < now) by setting claimed_until = lease_until; oldest first.
  virtual Result<std::vector<OutboxRecord>> ClaimOutbox(Instant now, Instant lease_until,
                                                        int limit) = 0;
  // Stores attempts, next_attempt_at, claimed_until, sent_at, last_error, failed_at, retried_at
  // and body_text of row r.id (body_text: so that delivery can blank a body that held a secret in
  // the same write that marks it sent or failed). kNotFound when there is no such row.
  virtual Status UpdateOutboxDelivery(const OutboxRecord& r) = 0;
  // Deletes up to `limit` rows delivered before `sent_before` (oldest first; failed and pending
  // rows are kept) and returns how many. The Message-IDs that thread replies are kept apart.
  virtual Result<int> PurgeSentOutbox(Instant sent_before, int limit) = 0;

  // Stores the record and its attachments; returns it with its id.
  virtual Result<InboundUnassignedRecord> InsertInboundUnassigned(InboundUnassignedRecord r) = 0;
  // Stores status, resolved_at, resolved_by, resolution_note and ticket_id of row r.id (the
  // message itself never changes and is never deleted). kNotFound when there is no such row.
  virtual Status ResolveInboundUnassigned(const InboundUnassignedRecord& r) = 0;

  // Inserts or replaces the mailbox's position, and forgets the MarkImapUid records at or below
  // it (and those of another UIDVALIDITY).
  virtual Status PutImapState(const ImapStateRecord& r) = 0;
  // Records that message `uid` of the mailbox was committed (in the transaction that stored it).
  virtual Status MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity,
                             std::int64_t uid) = 0;

  // Records one automatic answer to `address` (lower-case) at `at`.
  virtual Status RecordAutoReply(const std::string& address, Instant at) = 0;
};

}  // namespace soporte::app
