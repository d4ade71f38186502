#include "storage/sqlite/mail_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"
#include "storage/validate_mail.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

constexpr const char* kOutboxCols =
    "id, created_at, kind, to_address, subject, body_text, message_id, in_reply_to, refs, "
    "auto_submitted, lang, ticket_id, attempts, next_attempt_at, claimed_until, sent_at, "
    "last_error, "
    "failed_at, retried_at, facts, f_number, f_subject, f_criticality, f_channel, f_contract_id, "
    "f_received_at, f_due, f_zone, f_recipient_name, f_author_name, f_article_id, f_missing, "
    "f_alert";

// The intake checklist's item names in one column (0022): joined by ',' (names hold no ','; see
// ValidateOutbox).
std::string JoinItems(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitItems(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < joined.size()) {
    std::size_t comma = joined.find(',', from);
    if (comma == std::string::npos) comma = joined.size();
    out.push_back(joined.substr(from, comma - from));
    from = comma + 1;
  }
  return out;
}

constexpr const char* kUnassignedCols =
    "id, received_at, from_address, subject, message_id, body_text, raw_sha256, raw_size, reason, "
    "language, status, resolved_at, resolved_by, resolution_note, ticket_id, follows_id";

app::InboundUnassignedRecord ReadUnassigned(const Stmt& s) {
  app::InboundUnassignedRecord r;
  r.id = s.Int(0);
  r.received_at = At(s.Int(1));
  r.from_address = s.Text(2);
  r.subject = s.Text(3);
  r.message_id = s.Text(4);
  r.body_text = s.Text(5);
  r.raw_sha256 = s.Text(6);
  r.raw_size = s.Int(7);
  r.reason = s.Text(8);
  r.language = s.Text(9);
  r.status = s.Text(10);
  if (!s.IsNull(11)) r.resolved_at = At(s.Int(11));
  r.resolved_by = UserId{s.IsNull(12) ? 0 : s.Int(12)};
  r.resolution_note = s.Text(13);
  r.ticket_id = TicketId{s.IsNull(14) ? 0 : s.Int(14)};
  r.follows_id = s.IsNull(15) ? 0 : s.Int(15);
  return r;
}

app::OutboxRecord ReadOutbox(const Stmt& s) {
  app::OutboxRecord r;
  r.id = s.Int(0);
  r.created_at = At(s.Int(1));
  r.kind = s.Text(2);
  r.to_address = s.Text(3);
  r.subject = s.Text(4);
  r.body_text = s.Text(5);
  r.message_id = s.Text(6);
  r.in_reply_to = s.Text(7);
  r.references = s.Text(8);
  r.auto_submitted = s.Text(9);
  r.lang = s.Text(10);
  r.ticket_id = TicketId{s.IsNull(11) ? 0 : s.Int(11)};
  r.attempts = static_cast<int>(s.Int(12));
  r.next_attempt_at = At(s.Int(13));
  if (!s.IsNull(14)) r.claimed_until = At(s.Int(14));
  if (!s.IsNull(15)) r.sent_at = At(s.Int(15));
  r.last_error = s.Text(16);
  if (!s.IsNull(17)) r.failed_at = At(s.Int(17));
  if (!s.IsNull(18)) r.retried_at = At(s.Int(18));
  if (!s.IsNull(19)) {
    app::MailFacts f;
    f.ticket_number = s.IsNull(20) ? 0 : s.Int(20);
    f.subject = s.Text(21);
    f.criticality = s.Text(22);
    f.channel = s.Text(23);
    f.contract_id = ContractId{s.IsNull(24) ? 0 : s.Int(24)};
    f.received_at = At(s.IsNull(25) ? 0 : s.Int(25));
    f.due = At(s.IsNull(26) ? 0 : s.Int(26));
    f.zone = s.Text(27);
    f.recipient_name = s.Text(28);
    f.author_name = s.Text(29);
    f.article_id = ArticleId{s.IsNull(30) ? 0 : s.Int(30)};
    f.missing_items = SplitItems(s.Text(31));
    f.alert = s.Text(32);
    r.facts = std::move(f);
  }
  return r;
}

app::MessageIdRecord ReadMessageId(const Stmt& s) {
  app::MessageIdRecord r;
  r.message_id = s.Text(0);
  r.ticket_id = TicketId{s.Int(1)};
  if (!s.IsNull(2)) r.article_id = ArticleId{s.Int(2)};
  r.outbound = s.Int(3) != 0;
  r.created_at = At(s.Int(4));
  return r;
}

}  // namespace

Result<app::MessageIdRecord> SqliteMailRepository::FindMessageId(const std::string& message_id) {
  SOPORTE_TRY(s, db_.Prepare("SELECT message_id, ticket_id, article_id, outbound, created_at "
                             "FROM mail_message_ids WHERE message_id = ?"));
  s.Bind(1, message_id);
  return One<app::MessageIdRecord>(
      s, ReadMessageId, Error{ErrorCode::kNotFound, "message id <" + message_id + "> not found"});
}

Result<std::vector<app::MessageIdRecord>> SqliteMailRepository::ListMessageIds(TicketId t) {
  SOPORTE_TRY(s, db_.Prepare("SELECT message_id, ticket_id, article_id, outbound, created_at "
                             "FROM mail_message_ids WHERE ticket_id = ? ORDER BY seq"));
  s.Bind(1, t.value());
  return Collect<app::MessageIdRecord>(s, ReadMessageId);
}

Result<std::vector<app::OutboxRecord>> SqliteMailRepository::ListOutbox(std::optional<TicketId> t) {
  const std::string sql = std::string("SELECT ") + kOutboxCols + " FROM outbox" +
                          (t ? " WHERE ticket_id = ?" : "") + " ORDER BY id";
  SOPORTE_TRY(s, db_.Prepare(sql));
  if (t) s.Bind(1, t->value());
  return Collect<app::OutboxRecord>(s, ReadOutbox);
}

Result<app::OutboxRecord> SqliteMailRepository::GetOutbox(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kOutboxCols + " FROM outbox WHERE id = ?"));
  s.Bind(1, id);
  return One<app::OutboxRecord>(
      s, ReadOutbox, Error{ErrorCode::kNotFound, "no outgoing mail " + std::to_string(id)});
}

Result<std::vector<app::OutboxRecord>> SqliteMailRepository::ListFailedOutbox(int limit) {
  SOPORTE_TRY(
      s, db_.Prepare(
             std::string("SELECT ") + kOutboxCols +
             " FROM outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT ?"));
  s.Bind(1, std::int64_t{limit});
  return Collect<app::OutboxRecord>(s, ReadOutbox);
}

Result<app::OutboxRecord> SqliteMailRepository::FindOutboxByMessageId(
    const std::string& message_id) {
  SOPORTE_TRY(
      s, db_.Prepare(std::string("SELECT ") + kOutboxCols + " FROM outbox WHERE message_id = ?"));
  s.Bind(1, message_id);
  return One<app::OutboxRecord>(
      s, ReadOutbox, Error{ErrorCode::kNotFound, "no outgoing mail <" + message_id + ">"});
}

Result<app::OutboxCounts> SqliteMailRepository::CountOutbox() {
  SOPORTE_TRY(
      s, db_.Prepare(
             "SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL), "
             "(SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL)"));
  SOPORTE_TRY(row, s.Step());
  if (!row) return app::OutboxCounts{};
  return app::OutboxCounts{s.Int(0), s.Int(1)};
}

Result<std::vector<app::InboundUnassignedRecord>> SqliteMailRepository::ListInboundUnassigned() {
  SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kUnassignedCols +
                             " FROM inbound_unassigned ORDER BY id"));
  return Collect<app::InboundUnassignedRecord>(s, ReadUnassigned);
}

Result<app::InboundUnassignedRecord> SqliteMailRepository::GetInboundUnassigned(std::int64_t id) {
  app::InboundUnassignedRecord r;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kUnassignedCols +
                               " FROM inbound_unassigned WHERE id = ?"));
    s.Bind(1, id);
    SOPORTE_TRY(read, One<app::InboundUnassignedRecord>(
                          s, ReadUnassigned,
                          Error{ErrorCode::kNotFound, "no kept message " + std::to_string(id)}));
    r = std::move(read);
  }
  SOPORTE_TRY(f, db_.Prepare("SELECT sha256, filename, content_type, size, is_inline "
                             "FROM inbound_unassigned_files WHERE unassigned_id = ? ORDER BY id"));
  f.Bind(1, id);
  SOPORTE_TRY(
      files, Collect<app::UnassignedAttachment>(f, [](const Stmt& x) {
        return app::UnassignedAttachment{x.Text(0), x.Text(1), x.Text(2), x.Int(3), x.Int(4) != 0};
      }));
  r.attachments = std::move(files);
  return r;
}

Result<app::InboundUnassignedRecord> SqliteMailRepository::FindInboundUnassigned(
    const std::string& message_id) {
  SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kUnassignedCols +
                             " FROM inbound_unassigned WHERE message_id = ? ORDER BY id LIMIT 1"));
  s.Bind(1, message_id);
  return One<app::InboundUnassignedRecord>(
      s, ReadUnassigned, Error{ErrorCode::kNotFound, "no kept message <" + message_id + ">"});
}

Result<app::ImapStateRecord> SqliteMailRepository::GetImapState(const std::string& mailbox) {
  SOPORTE_TRY(
      s, db_.Prepare("SELECT mailbox, uidvalidity, last_uid FROM imap_state WHERE mailbox = ?"));
  s.Bind(1, mailbox);
  return One<app::ImapStateRecord>(
      s,
      [](const Stmt& r) {
        return app::ImapStateRecord{r.Text(0), r.Int(1), r.Int(2)};
      },
      "mailbox " + mailbox);
}

Result<std::vector<std::int64_t>> SqliteMailRepository::ListImapUids(const std::string& mailbox,
                                                                     std::int64_t uidvalidity,
                                                                     std::int64_t after_uid) {
  SOPORTE_TRY(
      s, db_.Prepare("SELECT uid FROM imap_done WHERE mailbox = ? AND uidvalidity = ? AND uid > ? "
                     "ORDER BY uid"));
  s.Bind(1, mailbox).Bind(2, uidvalidity).Bind(3, after_uid);
  return Collect<std::int64_t>(s, [](const Stmt& r) { return r.Int(0); });
}

Result<std::int64_t> SqliteMailRepository::CountAutoReplies(const std::string& address,
                                                            Instant since) {
  SOPORTE_TRY(s,
              db_.Prepare("SELECT count(*) FROM mail_auto_replies WHERE address = ? AND at >= ?"));
  s.Bind(1, address).Bind(2, Secs(since));
  SOPORTE_TRY(row, s.Step());
  return row ? s.Int(0) : 0;
}

Status SqliteMailRepository::InsertMessageId(const app::MessageIdRecord& r) {
  SOPORTE_TRY_STATUS(ValidateMessageId(r));
  if (FindMessageId(r.message_id)) return tl::make_unexpected(MessageIdTaken(r.message_id));
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", r.ticket_id.value(), "ticket"));
  if (r.article_id)
    SOPORTE_TRY_STATUS(CheckExists(db_, "articles", r.article_id->value(), "article"));
  SOPORTE_TRY(
      s,
      db_.Prepare("INSERT INTO mail_message_ids(message_id, ticket_id, article_id, "
                  "outbound, created_at, seq) VALUES (?, ?, ?, ?, ?, "
                  "(SELECT coalesce(max(seq), 0) + 1 FROM mail_message_ids WHERE ticket_id = ?))"));
  s.Bind(1, r.message_id)
      .Bind(2, r.ticket_id.value())
      .BindOpt(3, r.article_id ? std::optional<std::int64_t>(r.article_id->value()) : std::nullopt)
      .Bind(4, std::int64_t{r.outbound ? 1 : 0})
      .Bind(5, Secs(r.created_at))
      .Bind(6, r.ticket_id.value());
  return s.Run();
}

Result<app::OutboxRecord> SqliteMailRepository::InsertOutbox(app::OutboxRecord r) {
  SOPORTE_TRY_STATUS(ValidateOutbox(r));
  if (r.ticket_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", r.ticket_id.value(), "ticket"));
  {
    SOPORTE_TRY(dup, db_.Prepare("SELECT 1 FROM outbox WHERE message_id = ?"));
    dup.Bind(1, r.message_id);
    SOPORTE_TRY(row, dup.Step());
    if (row) return tl::make_unexpected(MessageIdTaken(r.message_id));
  }
  SOPORTE_TRY(
      s,
      db_.Prepare(
          "INSERT INTO outbox(created_at, kind, to_address, subject, body_text, message_id, "
          "in_reply_to, refs, auto_submitted, lang, ticket_id, attempts, next_attempt_at, "
          "claimed_until, sent_at, last_error, facts, f_number, f_subject, f_criticality, "
          "f_channel, f_contract_id, f_received_at, f_due, f_zone, f_recipient_name, "
          "f_author_name, f_article_id, f_missing, f_alert) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, Secs(r.created_at))
      .Bind(2, r.kind)
      .Bind(3, r.to_address)
      .Bind(4, r.subject)
      .Bind(5, r.body_text)
      .Bind(6, r.message_id)
      .Bind(7, r.in_reply_to)
      .Bind(8, r.references)
      .Bind(9, r.auto_submitted)
      .Bind(10, r.lang)
      .BindOpt(
          11, r.ticket_id.valid() ? std::optional<std::int64_t>(r.ticket_id.value()) : std::nullopt)
      .Bind(12, std::int64_t{r.attempts})
      .Bind(13, Secs(r.next_attempt_at))
      .BindOpt(14, OptSecs(r.claimed_until))
      .BindOpt(15, OptSecs(r.sent_at))
      .Bind(16, r.last_error);
  if (r.facts) {
    // Empty texts and unset ids are stored as NULL: a row kept as facts costs only what it says.
    const app::MailFacts& f = *r.facts;
    auto text = [&s](int i, const std::string& v) {
      if (v.empty()) {
        s.BindNull(i);
      } else {
        s.Bind(i, v);
      }
    };
    auto id = [&s](int i, std::int64_t v) {
      s.BindOpt(i, v != 0 ? std::optional(v) : std::nullopt);
    };
    s.Bind(17, std::int64_t{1});
    id(18, f.ticket_number);
    text(19, f.subject);
    text(20, f.criticality);
    text(21, f.channel);
    id(22, f.contract_id.value());
    id(23, Secs(f.received_at));
    id(24, Secs(f.due));
    text(25, f.zone);
    text(26, f.recipient_name);
    text(27, f.author_name);
    id(28, f.article_id.value());
    text(29, JoinItems(f.missing_items));
    text(30, f.alert);
  } else {
    for (int i = 17; i <= 30; ++i) s.BindNull(i);
  }
  SOPORTE_TRY_STATUS(s.Run());
  r.id = db_.LastInsertId();
  return r;
}

Result<std::vector<app::OutboxRecord>> SqliteMailRepository::ClaimOutbox(Instant now,
                                                                         Instant lease_until,
                                                                         int limit) {
  std::vector<app::OutboxRecord> out;
  {
    SOPORTE_TRY(
        s,
        db_.Prepare(
            std::string("SELECT ") + kOutboxCols +
            " FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? AND "
            "(claimed_until IS NULL OR claimed_until < ?) "
            "ORDER BY next_attempt_at, id LIMIT ?"));
    s.Bind(1, Secs(now)).Bind(2, Secs(now)).Bind(3, std::int64_t{limit});
    SOPORTE_TRY(due, Collect<app::OutboxRecord>(s, ReadOutbox));
    out = std::move(due);
  }
  for (auto& r : out) {
    // One Stmt per row: a statement stepped to its end must be reset (the Stmt's destructor)
    // before new bindings take (sqlite3_bind_* answers SQLITE_MISUSE otherwise).
    SOPORTE_TRY(u, db_.Prepare("UPDATE outbox SET claimed_until = ? WHERE id = ?"));
    u.Bind(1, Secs(lease_until)).Bind(2, r.id);
    SOPORTE_TRY_STATUS(u.Run());
    r.claimed_until = lease_until;
  }
  return out;
}

Result<int> SqliteMailRepository::PurgeSentOutbox(Instant sent_before, int limit) {
  // A range over outbox_sent (0011): the cost follows what is old enough, not the table's size.
  SOPORTE_TRY(s,
              db_.Prepare("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                          "WHERE sent_at IS NOT NULL AND sent_at < ? ORDER BY sent_at LIMIT ?)"));
  s.Bind(1, Secs(sent_before)).Bind(2, std::int64_t{limit});
  SOPORTE_TRY_STATUS(s.Run());
  return static_cast<int>(db_.Changes());
}

Status SqliteMailRepository::UpdateOutboxDelivery(const app::OutboxRecord& r) {
  SOPORTE_TRY(
      s, db_.Prepare("UPDATE outbox SET attempts = ?, next_attempt_at = ?, claimed_until = ?, "
                     "sent_at = ?, last_error = ?, failed_at = ?, retried_at = ?, body_text = ? "
                     "WHERE id = ?"));
  s.Bind(1, std::int64_t{r.attempts})
      .Bind(2, Secs(r.next_attempt_at))
      .BindOpt(3, OptSecs(r.claimed_until))
      .BindOpt(4, OptSecs(r.sent_at))
      .Bind(5, r.last_error)
      .BindOpt(6, OptSecs(r.failed_at))
      .BindOpt(7, OptSecs(r.retried_at))
      .Bind(8, r.body_text)
      .Bind(9, r.id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0)
    return Fail(ErrorCode::kNotFound, "outbox row " + std::to_string(r.id) + " not found");
  return Ok();
}

Result<app::InboundUnassignedRecord> SqliteMailRepository::InsertInboundUnassigned(
    app::InboundUnassignedRecord r) {
  SOPORTE_TRY(s,
              db_.Prepare("INSERT INTO inbound_unassigned(received_at, from_address, subject, "
                          "message_id, body_text, raw_sha256, raw_size, reason, language, status, "
                          "resolved_at, resolved_by, resolution_note, ticket_id, follows_id) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, Secs(r.received_at))
      .Bind(2, r.from_address)
      .Bind(3, r.subject)
      .Bind(4, r.message_id)
      .Bind(5, r.body_text)
      .Bind(6, r.raw_sha256)
      .Bind(7, r.raw_size)
      .Bind(8, r.reason)
      .Bind(9, r.language)
      .Bind(10, r.status)
      .BindOpt(11, OptSecs(r.resolved_at))
      .BindOpt(12, r.resolved_by.valid() ? std::optional<std::int64_t>(r.resolved_by.value())
                                         : std::nullopt)
      .Bind(13, r.resolution_note)
      .BindOpt(
          14, r.ticket_id.valid() ? std::optional<std::int64_t>(r.ticket_id.value()) : std::nullopt)
      .BindOpt(15, r.follows_id > 0 ? std::optional<std::int64_t>(r.follows_id) : std::nullopt);
  SOPORTE_TRY_STATUS(s.Run());
  r.id = db_.LastInsertId();
  for (const auto& a : r.attachments) {
    SOPORTE_TRY(f,
                db_.Prepare("INSERT INTO inbound_unassigned_files(unassigned_id, sha256, filename, "
                            "content_type, size, is_inline) VALUES (?, ?, ?, ?, ?, ?)"));
    f.Bind(1, r.id)
        .Bind(2, a.sha256)
        .Bind(3, a.filename)
        .Bind(4, a.content_type)
        .Bind(5, a.size)
        .Bind(6, std::int64_t{a.is_inline ? 1 : 0});
    SOPORTE_TRY_STATUS(f.Run());
  }
  return r;
}

Status SqliteMailRepository::ResolveInboundUnassigned(const app::InboundUnassignedRecord& r) {
  SOPORTE_TRY(
      s, db_.Prepare("UPDATE inbound_unassigned SET status = ?, resolved_at = ?, resolved_by = ?, "
                     "resolution_note = ?, ticket_id = ? WHERE id = ?"));
  s.Bind(1, r.status)
      .BindOpt(2, OptSecs(r.resolved_at))
      .BindOpt(3, r.resolved_by.valid() ? std::optional<std::int64_t>(r.resolved_by.value())
                                        : std::nullopt)
      .Bind(4, r.resolution_note)
      .BindOpt(
          5, r.ticket_id.valid() ? std::optional<std::int64_t>(r.ticket_id.value()) : std::nullopt)
      .Bind(6, r.id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0)
    return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(r.id));
  return Ok();
}

Status SqliteMailRepository::PutImapState(const app::ImapStateRecord& r) {
  SOPORTE_TRY(s,
              db_.Prepare("INSERT INTO imap_state(mailbox, uidvalidity, last_uid) VALUES (?, ?, ?) "
                          "ON CONFLICT(mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
                          "last_uid = excluded.last_uid"));
  s.Bind(1, r.mailbox).Bind(2, r.uidvalidity).Bind(3, r.last_uid);
  SOPORTE_TRY_STATUS(s.Run());
  SOPORTE_TRY(
      prune,
      db_.Prepare("DELETE FROM imap_done WHERE mailbox = ? AND (uidvalidity <> ? OR uid <= ?)"));
  prune.Bind(1, r.mailbox).Bind(2, r.uidvalidity).Bind(3, r.last_uid);
  return prune.Run();
}

Status SqliteMailRepository::MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity,
                                         std::int64_t uid) {
  SOPORTE_TRY(
      s,
      db_.Prepare("INSERT OR IGNORE INTO imap_done(mailbox, uidvalidity, uid) VALUES (?, ?, ?)"));
  s.Bind(1, mailbox).Bind(2, uidvalidity).Bind(3, uid);
  return s.Run();
}

Status SqliteMailRepository::RecordAutoReply(const std::string& address, Instant at) {
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO mail_auto_replies(address, at) VALUES (?, ?)"));
  s.Bind(1, address).Bind(2, Secs(at));
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
