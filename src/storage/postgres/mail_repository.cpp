#include "storage/postgres/mail_repository.hpp"

#include <algorithm>
#include <string>

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"
#include "storage/validate_mail.hpp"

namespace soporte::storage::pg_internal {
namespace {

constexpr std::string_view kOutboxCols =
    "id, created_at, kind, to_address, subject, body_text, message_id, in_reply_to, refs, "
    "auto_submitted, lang, ticket_id, attempts, next_attempt_at, claimed_until, sent_at, "
    "last_error, failed_at, retried_at, facts, f_number, f_subject, f_criticality, f_channel, "
    "f_contract_id, f_received_at, f_due, f_zone, f_recipient_name, f_author_name, f_article_id, "
    "f_missing, f_alert";

std::string OutboxSelect(std::string_view rest) {
  return "SELECT " + std::string(kOutboxCols) + " FROM outbox " + std::string(rest);
}

// The intake checklist's item names in one column: joined by ',' (names hold no ','; see
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

// A NULL text column as "" (the f_* columns store an empty fact as NULL).
std::string TextOrEmpty(const PgRows& r, int i, int col) {
  return r.IsNull(i, col) ? std::string() : r.Text(i, col);
}

app::OutboxRecord OutboxFrom(const PgRows& r, int i) {
  app::OutboxRecord o;
  o.id = r.Int(i, 0);
  o.created_at = At(r.Int(i, 1));
  o.kind = r.Text(i, 2);
  o.to_address = r.Text(i, 3);
  o.subject = r.Text(i, 4);
  o.body_text = r.Text(i, 5);
  o.message_id = r.Text(i, 6);
  o.in_reply_to = r.Text(i, 7);
  o.references = r.Text(i, 8);
  o.auto_submitted = r.Text(i, 9);
  o.lang = r.Text(i, 10);
  o.ticket_id = TicketId{IdOrZero(r, i, 11)};
  o.attempts = static_cast<int>(r.Int(i, 12));
  o.next_attempt_at = At(r.Int(i, 13));
  o.claimed_until = OptAt(r.OptInt(i, 14));
  o.sent_at = OptAt(r.OptInt(i, 15));
  o.last_error = r.Text(i, 16);
  o.failed_at = OptAt(r.OptInt(i, 17));
  o.retried_at = OptAt(r.OptInt(i, 18));
  if (!r.IsNull(i, 19)) {
    app::MailFacts f;
    f.ticket_number = IdOrZero(r, i, 20);
    f.subject = TextOrEmpty(r, i, 21);
    f.criticality = TextOrEmpty(r, i, 22);
    f.channel = TextOrEmpty(r, i, 23);
    f.contract_id = ContractId{IdOrZero(r, i, 24)};
    f.received_at = At(IdOrZero(r, i, 25));
    f.due = At(IdOrZero(r, i, 26));
    f.zone = TextOrEmpty(r, i, 27);
    f.recipient_name = TextOrEmpty(r, i, 28);
    f.author_name = TextOrEmpty(r, i, 29);
    f.article_id = ArticleId{IdOrZero(r, i, 30)};
    f.missing_items = SplitItems(TextOrEmpty(r, i, 31));
    f.alert = TextOrEmpty(r, i, 32);
    o.facts = std::move(f);
  }
  return o;
}

std::vector<app::OutboxRecord> OutboxesFrom(const PgRows& r) {
  std::vector<app::OutboxRecord> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) out.push_back(OutboxFrom(r, i));
  return out;
}

constexpr std::string_view kUnassignedCols =
    "id, received_at, from_address, subject, message_id, body_text, raw_sha256, raw_size, reason, "
    "language, status, resolved_at, resolved_by, resolution_note, ticket_id, follows_id";

app::InboundUnassignedRecord UnassignedFrom(const PgRows& r, int i) {
  app::InboundUnassignedRecord u;
  u.id = r.Int(i, 0);
  u.received_at = At(r.Int(i, 1));
  u.from_address = r.Text(i, 2);
  u.subject = r.Text(i, 3);
  u.message_id = r.Text(i, 4);
  u.body_text = r.Text(i, 5);
  u.raw_sha256 = r.Text(i, 6);
  u.raw_size = r.Int(i, 7);
  u.reason = r.Text(i, 8);
  u.language = r.Text(i, 9);
  u.status = r.Text(i, 10);
  u.resolved_at = OptAt(r.OptInt(i, 11));
  u.resolved_by = UserId{IdOrZero(r, i, 12)};
  u.resolution_note = r.Text(i, 13);
  u.ticket_id = TicketId{IdOrZero(r, i, 14)};
  u.follows_id = IdOrZero(r, i, 15);
  return u;
}

app::MessageIdRecord MessageIdFrom(const PgRows& r, int i) {
  app::MessageIdRecord m;
  m.message_id = r.Text(i, 0);
  m.ticket_id = TicketId{r.Int(i, 1)};
  if (!r.IsNull(i, 2)) m.article_id = ArticleId{r.Int(i, 2)};
  m.outbound = r.Bool(i, 3);
  m.created_at = At(r.Int(i, 4));
  return m;
}

}  // namespace

Result<app::MessageIdRecord> PgMailRepository::FindMessageId(const std::string& message_id) {
  PgParams p;
  p.Add(message_id);
  SOPORTE_TRY(rows, conn_.Query("SELECT message_id, ticket_id, article_id, outbound, created_at "
                                "FROM mail_message_ids WHERE message_id = $1",
                                p));
  if (rows.empty()) return Fail(ErrorCode::kNotFound, "message id <" + message_id + "> not found");
  return MessageIdFrom(rows, 0);
}

Result<std::vector<app::MessageIdRecord>> PgMailRepository::ListMessageIds(TicketId t) {
  PgParams p;
  p.Add(t.value());
  SOPORTE_TRY(rows, conn_.Query("SELECT message_id, ticket_id, article_id, outbound, created_at "
                                "FROM mail_message_ids WHERE ticket_id = $1 ORDER BY seq",
                                p));
  std::vector<app::MessageIdRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(MessageIdFrom(rows, i));
  return out;
}

Result<std::vector<app::OutboxRecord>> PgMailRepository::ListOutbox(std::optional<TicketId> t) {
  static const std::string kAll = OutboxSelect("ORDER BY id");
  static const std::string kOne = OutboxSelect("WHERE ticket_id = $1 ORDER BY id");
  PgParams p;
  if (t) p.Add(t->value());
  SOPORTE_TRY(rows, conn_.Query(t ? kOne : kAll, p));
  return OutboxesFrom(rows);
}

Result<app::OutboxRecord> PgMailRepository::GetOutbox(std::int64_t id) {
  static const std::string kSql = OutboxSelect("WHERE id = $1");
  PgParams p;
  p.Add(id);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return Fail(ErrorCode::kNotFound, "no outgoing mail " + std::to_string(id));
  return OutboxFrom(rows, 0);
}

Result<std::vector<app::OutboxRecord>> PgMailRepository::ListFailedOutbox(int limit) {
  // The partial index outbox_failed serves this order.
  static const std::string kSql =
      OutboxSelect("WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1");
  PgParams p;
  p.Add(std::int64_t{limit});
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  return OutboxesFrom(rows);
}

Result<app::OutboxRecord> PgMailRepository::FindOutboxByMessageId(const std::string& message_id) {
  static const std::string kSql = OutboxSelect("WHERE message_id = $1");
  PgParams p;
  p.Add(message_id);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return Fail(ErrorCode::kNotFound, "no outgoing mail <" + message_id + ">");
  return OutboxFrom(rows, 0);
}

Result<app::OutboxCounts> PgMailRepository::CountOutbox() {
  SOPORTE_TRY(rows, conn_.Query("SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND "
                                "failed_at IS NULL), (SELECT count(*) FROM outbox WHERE "
                                "failed_at IS NOT NULL)"));
  return app::OutboxCounts{rows.Int(0, 0), rows.Int(0, 1)};
}

Result<std::vector<app::InboundUnassignedRecord>> PgMailRepository::ListInboundUnassigned() {
  static const std::string kSql =
      "SELECT " + std::string(kUnassignedCols) + " FROM inbound_unassigned ORDER BY id";
  SOPORTE_TRY(rows, conn_.Query(kSql));
  std::vector<app::InboundUnassignedRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(UnassignedFrom(rows, i));
  return out;
}

Result<app::InboundUnassignedRecord> PgMailRepository::GetInboundUnassigned(std::int64_t id) {
  static const std::string kSql =
      "SELECT " + std::string(kUnassignedCols) + " FROM inbound_unassigned WHERE id = $1";
  PgParams p;
  p.Add(id);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(id));
  app::InboundUnassignedRecord r = UnassignedFrom(rows, 0);
  SOPORTE_TRY(files, conn_.Query("SELECT sha256, filename, content_type, size, is_inline "
                                 "FROM inbound_unassigned_files WHERE unassigned_id = $1 "
                                 "ORDER BY id",
                                 p));
  for (int i = 0; i < files.size(); ++i) {
    r.attachments.push_back(app::UnassignedAttachment{
        files.Text(i, 0), files.Text(i, 1), files.Text(i, 2), files.Int(i, 3), files.Bool(i, 4)});
  }
  return r;
}

Result<app::InboundUnassignedRecord> PgMailRepository::FindInboundUnassigned(
    const std::string& message_id) {
  static const std::string kSql = "SELECT " + std::string(kUnassignedCols) +
                                  " FROM inbound_unassigned WHERE message_id = $1 "
                                  "ORDER BY id LIMIT 1";
  PgParams p;
  p.Add(message_id);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return Fail(ErrorCode::kNotFound, "no kept message <" + message_id + ">");
  return UnassignedFrom(rows, 0);
}

Result<app::ImapStateRecord> PgMailRepository::GetImapState(const std::string& mailbox) {
  PgParams p;
  p.Add(mailbox);
  SOPORTE_TRY(rows, conn_.Query("SELECT mailbox, uidvalidity, last_uid FROM imap_state "
                                "WHERE mailbox = $1",
                                p));
  if (rows.empty()) return tl::make_unexpected(NotFound("mailbox " + mailbox));
  return app::ImapStateRecord{rows.Text(0, 0), rows.Int(0, 1), rows.Int(0, 2)};
}

Result<std::vector<std::int64_t>> PgMailRepository::ListImapUids(const std::string& mailbox,
                                                                 std::int64_t uidvalidity,
                                                                 std::int64_t after_uid) {
  PgParams p;
  p.Add(mailbox).Add(uidvalidity).Add(after_uid);
  SOPORTE_TRY(rows, conn_.Query("SELECT uid FROM imap_done WHERE mailbox = $1 AND "
                                "uidvalidity = $2 AND uid > $3 ORDER BY uid",
                                p));
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows.Int(i, 0));
  return out;
}

Result<std::int64_t> PgMailRepository::CountAutoReplies(const std::string& address, Instant since) {
  PgParams p;
  p.Add(address).Add(Secs(since));
  SOPORTE_TRY(
      rows,
      conn_.Query("SELECT count(*) FROM mail_auto_replies WHERE address = $1 AND at >= $2", p));
  return rows.Int(0, 0);
}

Status PgMailRepository::InsertMessageId(const app::MessageIdRecord& r) {
  SOPORTE_TRY_STATUS(ValidateMessageId(r));
  if (FindMessageId(r.message_id)) return tl::make_unexpected(MessageIdTaken(r.message_id));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", r.ticket_id.value(), "ticket"));
  if (r.article_id)
    SOPORTE_TRY_STATUS(CheckExists(conn_, "articles", r.article_id->value(), "article"));
  PgParams p;
  p.Add(r.message_id)
      .Add(r.ticket_id.value())
      .AddOpt(r.article_id ? std::optional<std::int64_t>(r.article_id->value()) : std::nullopt)
      .Add(r.outbound)
      .Add(Secs(r.created_at));
  // A Message-ID recorded by a transaction that committed after this one began inserts nothing
  // (no unique violation aborts the transaction) and is answered as taken.
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO mail_message_ids(message_id, ticket_id, article_id, "
                                "outbound, created_at, seq) VALUES ($1, $2, $3, $4, $5, "
                                "(SELECT coalesce(max(seq), 0) + 1 FROM mail_message_ids "
                                "WHERE ticket_id = $2)) "
                                "ON CONFLICT (message_id) DO NOTHING RETURNING seq",
                                p));
  if (rows.empty()) return tl::make_unexpected(MessageIdTaken(r.message_id));
  return Ok();
}

Result<app::OutboxRecord> PgMailRepository::InsertOutbox(app::OutboxRecord r) {
  SOPORTE_TRY_STATUS(ValidateOutbox(r));
  if (r.ticket_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", r.ticket_id.value(), "ticket"));
  PgParams p;
  p.Add(Secs(r.created_at))
      .Add(r.kind)
      .Add(r.to_address)
      .Add(r.subject)
      .Add(r.body_text)
      .Add(r.message_id)
      .Add(r.in_reply_to)
      .Add(r.references)
      .Add(r.auto_submitted)
      .Add(r.lang)
      .AddOpt(OptId(r.ticket_id.value()))
      .Add(std::int64_t{r.attempts})
      .Add(Secs(r.next_attempt_at))
      .AddOpt(OptSecs(r.claimed_until))
      .AddOpt(OptSecs(r.sent_at))
      .Add(r.last_error);
  if (r.facts) {
    // Empty texts and unset ids are stored as NULL: a row kept as facts costs only what it says.
    const app::MailFacts& f = *r.facts;
    auto text = [&p](const std::string& v) {
      p.AddOpt(v.empty() ? std::nullopt : std::optional<std::string>(v));
    };
    auto id = [&p](std::int64_t v) { p.AddOpt(OptId(v)); };
    p.Add(true);
    id(f.ticket_number);
    text(f.subject);
    text(f.criticality);
    text(f.channel);
    id(f.contract_id.value());
    id(Secs(f.received_at));
    id(Secs(f.due));
    text(f.zone);
    text(f.recipient_name);
    text(f.author_name);
    id(f.article_id.value());
    text(JoinItems(f.missing_items));
    text(f.alert);
  } else {
    for (int i = 17; i <= 30; ++i) p.AddNull();
  }
  // A taken Message-ID inserts nothing (no failed statement, so the transaction goes on).
  SOPORTE_TRY(rows,
              conn_.Query("INSERT INTO outbox(created_at, kind, to_address, subject, body_text, "
                          "message_id, in_reply_to, refs, auto_submitted, lang, ticket_id, "
                          "attempts, next_attempt_at, claimed_until, sent_at, last_error, facts, "
                          "f_number, f_subject, f_criticality, f_channel, f_contract_id, "
                          "f_received_at, f_due, f_zone, f_recipient_name, f_author_name, "
                          "f_article_id, f_missing, f_alert) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                          "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
                          "$22, $23, $24, $25, $26, $27, $28, $29, $30) "
                          "ON CONFLICT (message_id) DO NOTHING RETURNING id",
                          p));
  if (rows.empty()) return tl::make_unexpected(MessageIdTaken(r.message_id));
  r.id = rows.Int(0, 0);
  return r;
}

Result<std::vector<app::OutboxRecord>> PgMailRepository::ClaimOutbox(Instant now,
                                                                     Instant lease_until,
                                                                     int limit) {
  // One statement claims and leases: the CTE walks the partial index outbox_due and locks up to
  // `limit` free rows due now, skipping those another node's claim holds locked; the UPDATE
  // repeats the conditions, so a row is leased only while it is still free. A row another node
  // claimed and committed after this transaction began cannot be taken twice either: locking it
  // is then a serialisation failure, and Write runs the claim again. The CTE is MATERIALIZED: as
  // a subquery joined to the UPDATE it may be run again for each row, and each run skips the
  // rows this statement already updated and locks more, past the limit.
  static const std::string kSql =
      "WITH due AS MATERIALIZED (SELECT id FROM outbox "
      "WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 "
      "AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY next_attempt_at, id LIMIT $3 "
      "FOR UPDATE SKIP LOCKED) UPDATE outbox o SET claimed_until = $2 FROM due "
      "WHERE o.id = due.id AND o.sent_at IS NULL AND o.failed_at IS NULL AND "
      "(o.claimed_until IS NULL OR o.claimed_until < $1) RETURNING " +
      Qualified("o", kOutboxCols);
  PgParams p;
  p.Add(Secs(now)).Add(Secs(lease_until)).Add(std::int64_t{limit});
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  std::vector<app::OutboxRecord> out = OutboxesFrom(rows);
  // RETURNING keeps no order: oldest first, as SQLite's.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.next_attempt_at != b.next_attempt_at) return a.next_attempt_at < b.next_attempt_at;
    return a.id < b.id;
  });
  return out;
}

Result<int> PgMailRepository::PurgeSentOutbox(Instant sent_before, int limit) {
  // A range over outbox_sent: the cost follows what is old enough, not the table's size. Rows
  // another node's purge holds are skipped, not waited for (MATERIALIZED: see ClaimOutbox).
  PgParams p;
  p.Add(Secs(sent_before)).Add(std::int64_t{limit});
  SOPORTE_TRY(rows, conn_.Query("WITH old AS MATERIALIZED (SELECT id FROM outbox "
                                "WHERE sent_at IS NOT NULL AND sent_at < $1 ORDER BY sent_at "
                                "LIMIT $2 FOR UPDATE SKIP LOCKED) "
                                "DELETE FROM outbox o USING old WHERE o.id = old.id",
                                p));
  return static_cast<int>(rows.affected());
}

Status PgMailRepository::UpdateOutboxDelivery(const app::OutboxRecord& r) {
  PgParams p;
  p.Add(std::int64_t{r.attempts})
      .Add(Secs(r.next_attempt_at))
      .AddOpt(OptSecs(r.claimed_until))
      .AddOpt(OptSecs(r.sent_at))
      .Add(r.last_error)
      .AddOpt(OptSecs(r.failed_at))
      .AddOpt(OptSecs(r.retried_at))
      .Add(r.body_text)
      .Add(r.id);
  SOPORTE_TRY(rows, conn_.Query("UPDATE outbox SET attempts = $1, next_attempt_at = $2, "
                                "claimed_until = $3, sent_at = $4, last_error = $5, "
                                "failed_at = $6, retried_at = $7, body_text = $8 WHERE id = $9",
                                p));
  if (rows.affected() == 0)
    return Fail(ErrorCode::kNotFound, "outbox row " + std::to_string(r.id) + " not found");
  return Ok();
}

Result<app::InboundUnassignedRecord> PgMailRepository::InsertInboundUnassigned(
    app::InboundUnassignedRecord r) {
  PgParams p;
  p.Add(Secs(r.received_at))
      .Add(r.from_address)
      .Add(r.subject)
      .Add(r.message_id)
      .Add(r.body_text)
      .Add(r.raw_sha256)
      .Add(r.raw_size)
      .Add(r.reason)
      .Add(r.language)
      .Add(r.status)
      .AddOpt(OptSecs(r.resolved_at))
      .AddOpt(OptId(r.resolved_by.value()))
      .Add(r.resolution_note)
      .AddOpt(OptId(r.ticket_id.value()))
      .AddOpt(OptId(r.follows_id));
  SOPORTE_TRY(rows,
              conn_.Query("INSERT INTO inbound_unassigned(received_at, from_address, subject, "
                          "message_id, body_text, raw_sha256, raw_size, reason, language, status, "
                          "resolved_at, resolved_by, resolution_note, ticket_id, follows_id) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                          "$15) RETURNING id",
                          p));
  r.id = rows.Int(0, 0);
  for (const auto& a : r.attachments) {
    PgParams f;
    f.Add(r.id).Add(a.sha256).Add(a.filename).Add(a.content_type).Add(a.size).Add(a.is_inline);
    SOPORTE_TRY_STATUS(
        conn_.Query("INSERT INTO inbound_unassigned_files(unassigned_id, sha256, filename, "
                    "content_type, size, is_inline) VALUES ($1, $2, $3, $4, $5, $6)",
                    f));
  }
  return r;
}

Status PgMailRepository::ResolveInboundUnassigned(const app::InboundUnassignedRecord& r) {
  PgParams p;
  p.Add(r.status)
      .AddOpt(OptSecs(r.resolved_at))
      .AddOpt(OptId(r.resolved_by.value()))
      .Add(r.resolution_note)
      .AddOpt(OptId(r.ticket_id.value()))
      .Add(r.id);
  SOPORTE_TRY(rows, conn_.Query("UPDATE inbound_unassigned SET status = $1, resolved_at = $2, "
                                "resolved_by = $3, resolution_note = $4, ticket_id = $5 "
                                "WHERE id = $6",
                                p));
  if (rows.affected() == 0)
    return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(r.id));
  return Ok();
}

Status PgMailRepository::PutImapState(const app::ImapStateRecord& r) {
  PgParams p;
  p.Add(r.mailbox).Add(r.uidvalidity).Add(r.last_uid);
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO imap_state(mailbox, uidvalidity, last_uid) VALUES ($1, $2, $3) "
                  "ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
                  "last_uid = excluded.last_uid",
                  p));
  SOPORTE_TRY_STATUS(conn_.Query(
      "DELETE FROM imap_done WHERE mailbox = $1 AND (uidvalidity <> $2 OR uid <= $3)", p));
  return Ok();
}

Status PgMailRepository::MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity,
                                     std::int64_t uid) {
  PgParams p;
  p.Add(mailbox).Add(uidvalidity).Add(uid);
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO imap_done(mailbox, uidvalidity, uid) "
                  "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  p));
  return Ok();
}

Status PgMailRepository::RecordAutoReply(const std::string& address, Instant at) {
  PgParams p;
  p.Add(address).Add(Secs(at));
  SOPORTE_TRY_STATUS(conn_.Query("INSERT INTO mail_auto_replies(address, at) VALUES ($1, $2)", p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
