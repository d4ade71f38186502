#include "storage/memory/memory_mail_repository.hpp"

#include <algorithm>
#include <string>

#include "storage/validate.hpp"
#include "storage/validate_mail.hpp"

namespace soporte::storage::memory_internal {

Result<app::MessageIdRecord> MemoryMailRepository::FindMessageId(const std::string& message_id) {
  for (const auto& r : s_.message_ids) {
    if (r.message_id == message_id) return r;
  }
  return Fail(ErrorCode::kNotFound, "message id <" + message_id + "> not found");
}

Result<std::vector<app::MessageIdRecord>> MemoryMailRepository::ListMessageIds(TicketId t) {
  std::vector<app::MessageIdRecord> out;
  for (const auto& r : s_.message_ids) {
    if (r.ticket_id == t) out.push_back(r);
  }
  return out;
}

Result<std::vector<app::OutboxRecord>> MemoryMailRepository::ListOutbox(std::optional<TicketId> t) {
  std::vector<app::OutboxRecord> out;
  for (const auto& [id, r] : s_.outbox) {
    if (!t || r.ticket_id == *t) out.push_back(r);
  }
  return out;
}

Result<app::OutboxRecord> MemoryMailRepository::GetOutbox(std::int64_t id) {
  auto it = s_.outbox.find(id);
  if (it == s_.outbox.end())
    return Fail(ErrorCode::kNotFound, "no outgoing mail " + std::to_string(id));
  return it->second;
}

Result<std::vector<app::OutboxRecord>> MemoryMailRepository::ListFailedOutbox(int limit) {
  std::vector<app::OutboxRecord> out;
  for (const auto& [id, r] : s_.outbox) {
    if (r.failed_at) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(*b.failed_at, b.id) < std::tie(*a.failed_at, a.id);
  });
  if (static_cast<int>(out.size()) > limit)
    out.resize(static_cast<std::size_t>(std::max(limit, 0)));
  return out;
}

Result<app::OutboxRecord> MemoryMailRepository::FindOutboxByMessageId(
    const std::string& message_id) {
  for (const auto& [id, r] : s_.outbox) {
    if (r.message_id == message_id) return r;
  }
  return Fail(ErrorCode::kNotFound, "no outgoing mail <" + message_id + ">");
}

Result<app::OutboxCounts> MemoryMailRepository::CountOutbox() {
  app::OutboxCounts c;
  for (const auto& [id, r] : s_.outbox) {
    if (r.failed_at) {
      ++c.failed;
    } else if (!r.sent_at) {
      ++c.pending;
    }
  }
  return c;
}

Result<std::vector<app::InboundUnassignedRecord>> MemoryMailRepository::ListInboundUnassigned() {
  auto list = Values(s_.unassigned);
  for (auto& r : list) r.attachments.clear();  // as the SQL store: files only through Get
  return list;
}

Result<app::InboundUnassignedRecord> MemoryMailRepository::GetInboundUnassigned(std::int64_t id) {
  auto it = s_.unassigned.find(id);
  if (it == s_.unassigned.end())
    return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(id));
  return it->second;
}

Result<app::InboundUnassignedRecord> MemoryMailRepository::FindInboundUnassigned(
    const std::string& message_id) {
  for (const auto& [id, r] : s_.unassigned) {
    if (r.message_id == message_id) {
      auto copy = r;
      copy.attachments.clear();
      return copy;
    }
  }
  return Fail(ErrorCode::kNotFound, "no kept message <" + message_id + ">");
}

Result<app::ImapStateRecord> MemoryMailRepository::GetImapState(const std::string& mailbox) {
  auto it = s_.imap.find(mailbox);
  if (it == s_.imap.end()) return Fail(ErrorCode::kNotFound, "mailbox " + mailbox + " not found");
  return it->second;
}

Result<std::vector<std::int64_t>> MemoryMailRepository::ListImapUids(const std::string& mailbox,
                                                                     std::int64_t uidvalidity,
                                                                     std::int64_t after_uid) {
  std::vector<std::int64_t> out;
  for (const auto& [m, v, uid] : s_.imap_done) {
    if (m == mailbox && v == uidvalidity && uid > after_uid) out.push_back(uid);
  }
  return out;  // the set is ordered by (mailbox, uidvalidity, uid): ascending
}

Result<std::int64_t> MemoryMailRepository::CountAutoReplies(const std::string& address,
                                                            Instant since) {
  return static_cast<std::int64_t>(
      std::count_if(s_.auto_replies.begin(), s_.auto_replies.end(),
                    [&](const auto& e) { return e.first == address && e.second >= since; }));
}

Status MemoryMailRepository::InsertMessageId(const app::MessageIdRecord& r) {
  SOPORTE_TRY_STATUS(ValidateMessageId(r));
  if (FindMessageId(r.message_id)) return tl::make_unexpected(MessageIdTaken(r.message_id));
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
  if (r.article_id) SOPORTE_TRY_STATUS(CheckExists(s_.articles, r.article_id->value(), "article"));
  s_.message_ids.push_back(r);
  return Ok();
}

Result<app::OutboxRecord> MemoryMailRepository::InsertOutbox(app::OutboxRecord r) {
  SOPORTE_TRY_STATUS(ValidateOutbox(r));
  if (r.ticket_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
  for (const auto& [id, o] : s_.outbox) {
    if (o.message_id == r.message_id) return tl::make_unexpected(MessageIdTaken(r.message_id));
  }
  r.id = s_.next_outbox++;
  s_.outbox[r.id] = r;
  return r;
}

Result<std::vector<app::OutboxRecord>> MemoryMailRepository::ClaimOutbox(Instant now,
                                                                         Instant lease_until,
                                                                         int limit) {
  std::vector<app::OutboxRecord*> due;
  for (auto& [id, r] : s_.outbox) {
    if (!r.sent_at && !r.failed_at && r.next_attempt_at <= now &&
        (!r.claimed_until || *r.claimed_until < now)) {
      due.push_back(&r);
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    return std::tie(a->next_attempt_at, a->id) < std::tie(b->next_attempt_at, b->id);
  });
  std::vector<app::OutboxRecord> out;
  for (auto* r : due) {
    if (static_cast<int>(out.size()) >= limit) break;
    r->claimed_until = lease_until;
    out.push_back(*r);
  }
  return out;
}

Result<int> MemoryMailRepository::PurgeSentOutbox(Instant sent_before, int limit) {
  std::vector<const app::OutboxRecord*> old;
  for (const auto& [id, r] : s_.outbox)
    if (r.sent_at && *r.sent_at < sent_before) old.push_back(&r);
  std::sort(old.begin(), old.end(),
            [](const auto* a, const auto* b) { return *a->sent_at < *b->sent_at; });
  if (static_cast<int>(old.size()) > limit) old.resize(static_cast<std::size_t>(limit));
  std::vector<std::int64_t> ids;
  for (const auto* r : old) ids.push_back(r->id);
  for (auto id : ids) s_.outbox.erase(id);
  return static_cast<int>(ids.size());
}

Status MemoryMailRepository::UpdateOutboxDelivery(const app::OutboxRecord& r) {
  auto it = s_.outbox.find(r.id);
  if (it == s_.outbox.end())
    return Fail(ErrorCode::kNotFound, "outbox row " + std::to_string(r.id) + " not found");
  it->second.attempts = r.attempts;
  it->second.next_attempt_at = r.next_attempt_at;
  it->second.claimed_until = r.claimed_until;
  it->second.sent_at = r.sent_at;
  it->second.last_error = r.last_error;
  it->second.failed_at = r.failed_at;
  it->second.retried_at = r.retried_at;
  it->second.body_text = r.body_text;
  return Ok();
}

Result<app::InboundUnassignedRecord> MemoryMailRepository::InsertInboundUnassigned(
    app::InboundUnassignedRecord r) {
  r.id = s_.next_unassigned++;
  s_.unassigned[r.id] = r;
  return r;
}

Status MemoryMailRepository::ResolveInboundUnassigned(const app::InboundUnassignedRecord& r) {
  auto it = s_.unassigned.find(r.id);
  if (it == s_.unassigned.end())
    return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(r.id));
  if (r.resolved_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.users, r.resolved_by.value(), "user"));
  if (r.ticket_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
  it->second.status = r.status;
  it->second.resolved_at = r.resolved_at;
  it->second.resolved_by = r.resolved_by;
  it->second.resolution_note = r.resolution_note;
  it->second.ticket_id = r.ticket_id;
  return Ok();
}

Status MemoryMailRepository::PutImapState(const app::ImapStateRecord& r) {
  s_.imap[r.mailbox] = r;
  std::erase_if(s_.imap_done, [&](const auto& d) {
    return std::get<0>(d) == r.mailbox &&
           (std::get<1>(d) != r.uidvalidity || std::get<2>(d) <= r.last_uid);
  });
  return Ok();
}

Status MemoryMailRepository::MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity,
                                         std::int64_t uid) {
  s_.imap_done.emplace(mailbox, uidvalidity, uid);
  return Ok();
}

Status MemoryMailRepository::RecordAutoReply(const std::string& address, Instant at) {
  s_.auto_replies.emplace_back(address, at);
  return Ok();
}

}  // namespace soporte::storage::memory_internal
