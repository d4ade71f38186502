#include "app/mail/outbox.hpp"

#include <algorithm>

namespace soporte::app {

// Reset links and page acknowledge links are secrets: their bodies are blanked once sent.
bool HoldsSecret(const OutboxRecord& r) {
  return r.kind == MailKindName(MailKind::kPasswordReset) ||
         r.kind == MailKindName(MailKind::kPage);
}

Seconds Backoff(const OutboxOptions& o, int attempts) {
  Seconds wait = o.first_backoff;
  for (int i = 1; i < attempts && wait < o.max_backoff; ++i) wait *= 2;
  return std::min(wait, o.max_backoff);
}

OutboxDelivery::OutboxDelivery(Store& store, MailSender& sender, const OutboxRenderer& renderer,
                               const Clock& clock, OutboxOptions options)
    : store_(store), sender_(sender), renderer_(renderer), clock_(clock), options_(options) {}

Result<int> OutboxDelivery::Purge() {
  const Instant before = clock_.Now() - options_.retention;
  int total = 0;
  for (;;) {
    SOPORTE_TRY(n, WriteValue(store_, [&](WriteTx& tx) {
                  return tx.mail().PurgeSentOutbox(before, options_.purge_batch);
                }));
    total += n;
    if (n < options_.purge_batch) return total;
  }
}

Result<DeliveryReport> OutboxDelivery::RunOnce() {
  const Instant now = clock_.Now();
  SOPORTE_TRY(claimed, WriteValue(store_, [&](WriteTx& tx) {
                return tx.mail().ClaimOutbox(now, now + options_.lease, options_.batch);
              }));
  DeliveryReport report;
  if (claimed.empty()) return report;
  // The text of every claimed row, in one read: rendering is the delivery's work, not the
  // writer's (the row keeps its facts, not the text).
  std::vector<Result<RenderedMail>> texts;
  SOPORTE_TRY_STATUS(store_.Read([&](ReadTx& tx) -> Status {
    texts.clear();
    for (const OutboxRecord& row : claimed) {
      auto text = renderer_.Render(tx, row);
      if (!text && text.error().code != ErrorCode::kNotFound &&
          text.error().code != ErrorCode::kInvalidArgument) {
        return tl::make_unexpected(text.error());
      }
      texts.push_back(std::move(text));
    }
    return Ok();
  }));
  for (std::size_t i = 0; i < claimed.size(); ++i) {
    OutboxRecord& row = claimed[i];
    Status sent = Ok();
    if (texts[i]) {
      OutboxRecord mail = row;
      mail.subject = std::move(texts[i]->subject);
      mail.body_text = std::move(texts[i]->body);
      sent = sender_.Send(mail);
    } else {
      // What the mail needs is gone (or its kind is unknown): no retry would render it.
      sent = Fail(ErrorCode::kInvalidArgument, "cannot render: " + texts[i].error().message);
    }
    const Instant after = clock_.Now();
    row.attempts += 1;
    row.claimed_until.reset();
    if (sent) {
      row.sent_at = after;
      row.last_error.clear();
      ++report.sent;
    } else {
      const bool permanent = sent.error().code == ErrorCode::kInvalidArgument;
      const Instant window_start = row.retried_at.value_or(row.created_at);
      row.next_attempt_at = after + Backoff(options_, row.attempts);
      row.last_error = sent.error().message.substr(0, 500);
      if (permanent || after - window_start >= options_.give_up_after) {
        row.failed_at = after;
        ++report.given_up;
      }
      ++report.failed;
    }
    // A password-reset mail holds a live link: once delivered or given up it is not kept in clear.
    if (HoldsSecret(row) && (row.sent_at || row.failed_at)) row.body_text.clear();
    SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) -> Status {
      SOPORTE_TRY_STATUS(tx.mail().UpdateOutboxDelivery(row));
      if (row.failed_at && row.ticket_id.valid()) {
        // The ticket's history: "mail to X could not be delivered: reason".
        SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
            domain::TicketEvent{0, row.ticket_id, UserId{}, *row.failed_at, "mail_failed",
                                row.to_address, row.last_error}));
      }
      return Ok();
    }));
  }
  return report;
}

}  // namespace soporte::app

namespace soporte::app {

namespace {

Result<OutboxView> ViewOf(ReadTx& tx, const OutboxRenderer& renderer, OutboxRecord r) {
  OutboxView v;
  if (r.ticket_id.valid()) {
    SOPORTE_TRY(t, tx.tickets().GetTicket(r.ticket_id));
    v.ticket_number = t.number;
  }
  if (r.facts) {
    // Shown as it would be sent; a row that cannot be rendered shows why instead of a subject.
    auto text = renderer.Render(tx, r);
    if (text) {
      r.subject = std::move(text->subject);
      r.body_text = std::move(text->body);
    } else if (text.error().code == ErrorCode::kNotFound ||
               text.error().code == ErrorCode::kInvalidArgument) {
      r.subject = "(" + text.error().message + ")";
    } else {
      return tl::make_unexpected(text.error());
    }
  }
  v.mail = std::move(r);
  return v;
}

}  // namespace

Result<std::vector<OutboxView>> OutboxAdmin::ListFailed(const Principal& who, int limit) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only support staff may read outgoing mail");
  if (limit < 1 || limit > 200) return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  return ReadValue(store_, [this, limit](ReadTx& tx) -> Result<std::vector<OutboxView>> {
    SOPORTE_TRY(rows, tx.mail().ListFailedOutbox(limit));
    std::vector<OutboxView> out;
    for (auto& r : rows) {
      SOPORTE_TRY(v, ViewOf(tx, renderer_, std::move(r)));
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<OutboxView> OutboxAdmin::Retry(const Principal& who, std::int64_t id) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only support staff may retry outgoing mail");
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<OutboxView> {
    SOPORTE_TRY(row, tx.mail().GetOutbox(id));
    if (!row.failed_at) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "outgoing mail " + std::to_string(id) + (row.sent_at ? " was sent" : " is still being retried"));
    }
    if (HoldsSecret(row)) {
      return Fail(
          ErrorCode::kFailedPrecondition,
          "outgoing mail " + std::to_string(id) +
              " held a password-reset link, which is not kept: the user asks for a new one");
    }
    row.failed_at.reset();
    row.claimed_until.reset();
    row.retried_at = now;
    row.next_attempt_at = now;
    SOPORTE_TRY_STATUS(tx.mail().UpdateOutboxDelivery(row));
    if (row.ticket_id.valid()) {
      SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::TicketEvent{
          0, row.ticket_id, who.user_id, now, "mail_retry", "", row.to_address}));
    }
    return ViewOf(tx, renderer_, std::move(row));
  });
}

Result<OutboxCounts> OutboxAdmin::Counts() {
  return ReadValue(store_, [](ReadTx& tx) { return tx.mail().CountOutbox(); });
}

Result<OutboxState> OutboxAdmin::State(const Principal& who) {
  if (!who.staff())
    return Fail(ErrorCode::kPermissionDenied, "only support staff may read outgoing mail");
  SOPORTE_TRY(counts, Counts());
  return OutboxState{counts, delivering_.load()};
}

}  // namespace soporte::app
