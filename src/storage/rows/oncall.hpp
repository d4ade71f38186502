// Row readers of on-call rotas, pages and page deliveries, for both SQL stores: column order
// matches these column lists; a reader reads from column 0 of any row type with Int, Text,
// IsNull and Bool by column (storage/rows/values.hpp). Internal to storage.
#pragma once

#include "app/ports/oncall_repository.hpp"
#include "storage/rows/values.hpp"

namespace soporte::storage::rows {

inline constexpr const char* kRotaSelect =
    "SELECT id, name, zone, version, created_at, updated_at FROM oncall_rotas";
template <class Row>
domain::oncall::Rota RotaFrom(const Row& s) {
  domain::oncall::Rota r;
  r.id = s.Int(0);
  r.name = s.Text(1);
  r.zone = s.Text(2);
  r.version = s.Int(3);
  r.created_at = At(s.Int(4));
  r.updated_at = At(s.Int(5));
  return r;
}

inline constexpr const char* kPageCols =
    "id, ticket_id, reason, due, level, rota_id, created_at, escalate_at, claimed_until, "
    "acknowledged_at, acknowledged_by, acknowledged_via";
template <class Row>
app::PageRecord PageFrom(const Row& s) {
  app::PageRecord p;
  p.id = s.Int(0);
  p.ticket_id = TicketId{s.Int(1)};
  p.reason = s.Text(2);
  p.due = At(s.Int(3));
  p.level = static_cast<int>(s.Int(4));
  p.rota_id = IdOrZero(s, 5);
  p.created_at = At(s.Int(6));
  p.escalate_at = OptAtCol(s, 7);
  p.claimed_until = OptAtCol(s, 8);
  p.acknowledged_at = OptAtCol(s, 9);
  p.acknowledged_by = UserId{IdOrZero(s, 10)};
  p.acknowledged_via = s.Text(11);
  return p;
}

inline constexpr const char* kDeliveryCols =
    "id, page_id, level, user_id, ack_hash, ack_expires_at, attempts, next_attempt_at, "
    "claimed_until, sent_at, last_error, skipped_at, pending_token";
template <class Row>
app::PageDeliveryRecord DeliveryFrom(const Row& s) {
  app::PageDeliveryRecord d;
  d.id = s.Int(0);
  d.page_id = s.Int(1);
  d.level = static_cast<int>(s.Int(2));
  d.user_id = UserId{s.Int(3)};
  d.ack_hash = s.Text(4);
  d.ack_expires_at = At(s.Int(5));
  d.attempts = static_cast<int>(s.Int(6));
  d.next_attempt_at = At(s.Int(7));
  d.claimed_until = OptAtCol(s, 8);
  d.sent_at = OptAtCol(s, 9);
  d.last_error = s.Text(10);
  d.skipped_at = OptAtCol(s, 11);
  d.pending_token = s.Text(12);
  return d;
}

}  // namespace soporte::storage::rows
