// The MemoryStore's state: every table as a map or vector, and the next ids as SQLite would
// give them. One MemoryState is shared by the repositories of one transaction; MemoryStore
// copies it for each Write and swaps the copy in only on success (memory_store.hpp), so the
// repositories just change it in place. Also the small helpers every memory repository uses.
// Internal to storage/memory; not thread-safe on its own (MemoryStore's mutex guards it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "app/ports/store.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

// A chat as 0017_chat.sql keeps it: the value and its wait alert's due instant and lease.
struct MemoryChatRow {
  domain::chat::Chat chat;
  std::optional<Instant> wait_alert_due, wait_alert_done;
  std::string claimed_by;
  std::optional<Instant> lease_until;
  // 0019_chat_limits.sql: when a waiting chat is closed as abandoned, and that job's lease.
  std::optional<Instant> abandon_due;
  std::string abandon_claimed_by;
  std::optional<Instant> abandon_lease_until;
};

struct MemoryState {
  std::map<std::int64_t, domain::Organization> orgs;
  std::map<std::int64_t, domain::Contract> contracts;
  std::map<std::int64_t, domain::User> users;
  std::map<std::int64_t, domain::Ticket> tickets;
  std::map<std::int64_t, domain::Article> articles;
  std::map<std::int64_t, domain::Attachment> attachments;
  std::map<std::int64_t, domain::TicketEvent> events;
  std::map<std::string, app::SessionRecord> sessions;
  std::map<std::int64_t, app::ApiTokenRecord> api_tokens;
  // Next ids, as an SQLite rowid would give them.
  std::int64_t next_org = 1, next_contract = 1, next_user = 1, next_ticket = 1, next_article = 1,
               next_attachment = 1, next_event = 1, next_api_token = 1;
  std::int64_t next_ticket_number = 1001;
  // Email channel (0002_mail.sql).
  std::vector<app::MessageIdRecord> message_ids;  // in insertion order
  std::map<std::int64_t, app::OutboxRecord> outbox;
  std::map<std::int64_t, app::InboundUnassignedRecord> unassigned;
  std::map<std::string, app::ImapStateRecord> imap;
  std::set<std::tuple<std::string, std::int64_t, std::int64_t>> imap_done;
  std::vector<std::pair<std::string, Instant>> auto_replies;
  std::int64_t next_outbox = 1, next_unassigned = 1;
  // Web UI (0003_web.sql).
  std::map<std::int64_t, app::PasswordResetRecord> password_resets;  // by user id
  std::map<std::string, app::SettingRecord> settings;
  // Throttle windows (0027_throttle.sql): each key's failures, oldest first.
  std::map<std::string, std::vector<Instant>> throttle;
  // Customer profile (0005_profile.sql).
  std::map<std::int64_t, domain::ProfileEntry> profile_entries;
  std::map<std::int64_t, app::SecretRecord> secrets;
  std::vector<app::RevealRecord> reveals;
  std::vector<app::ProfileEventRecord> profile_events;
  std::int64_t next_profile_entry = 1, next_secret = 1, next_reveal = 1, next_profile_event = 1;
  std::map<std::int64_t, std::map<std::string, std::string>> ticket_intake;
  // Calendars (0006_calendars.sql).
  std::map<std::int64_t, domain::calendar::CalendarDefinition> calendars;
  std::int64_t next_calendar = 1;
  // User accounts (0007_user_events.sql).
  std::vector<app::UserEventRecord> user_events;
  std::int64_t next_user_event = 1;
  // The audit log (0009_audit.sql), oldest first.
  std::vector<app::AuditEntryRecord> audit_log;
  std::int64_t next_audit_entry = 1;
  // On-call rotas and pages (0012_oncall.sql).
  std::map<std::int64_t, domain::oncall::Rota> rotas;
  std::map<std::int64_t, app::PageRecord> pages;
  std::map<std::int64_t, app::PageDeliveryRecord> page_deliveries;
  std::int64_t next_rota = 1, next_page = 1, next_page_delivery = 1;
  // Webhooks and their deliveries (0013_webhooks.sql).
  std::map<std::int64_t, app::WebhookRecord> webhooks;
  std::map<std::int64_t, app::WebhookDeliveryRecord> webhook_deliveries;
  std::int64_t next_webhook = 1, next_webhook_delivery = 1;
  // The SLA watch (0014_sla_watch.sql).
  std::map<std::int64_t, app::SlaThresholdRecord> sla_thresholds;
  std::int64_t next_sla_threshold = 1;
  std::set<std::int64_t> sla_arm_queue;
  std::map<std::int64_t, Seconds> resolution_targets;                  // by contract id
  std::map<std::int64_t, domain::AlertPreferences> alert_preferences;  // by user id
  std::map<std::int64_t, app::AlertRecord> alerts;
  std::int64_t next_alert = 1;
  // Live chats (0017_chat.sql): messages by (chat id, seq).
  std::map<std::int64_t, MemoryChatRow> chats;
  std::map<std::pair<std::int64_t, std::int64_t>, domain::chat::ChatMessage> chat_messages;
  std::vector<domain::chat::ChatHandoff> chat_handoffs;
  std::int64_t next_chat = 1;
  // 0021_chat_files.sql: files by id.
  std::map<std::int64_t, domain::chat::ChatFile> chat_files;
  std::int64_t next_chat_file = 1;
};

// kNotFound: "<what> not found" (the wording of every store).
inline Error NotFound(std::string what) {
  return Error{ErrorCode::kNotFound, std::move(what) + " not found"};
}

// Ok when `m` holds `id`; MissingReference(what + id) (kFailedPrecondition) otherwise, as
// SQLite's foreign keys refuse it.
template <class Map>
Status CheckExists(const Map& m, std::int64_t id, std::string_view what) {
  if (!m.count(id))
    return tl::make_unexpected(MissingReference(std::string(what) + " " + std::to_string(id)));
  return Ok();
}

// The value at `id`, or NotFound(what).
template <class Map>
auto Find(const Map& m, std::int64_t id, std::string what) -> Result<typename Map::mapped_type> {
  auto it = m.find(id);
  if (it == m.end()) return tl::make_unexpected(NotFound(std::move(what)));
  return it->second;
}

// The values of a map in key order.
template <class Map>
std::vector<typename Map::mapped_type> Values(const Map& m) {
  std::vector<typename Map::mapped_type> out;
  for (const auto& [k, v] : m) out.push_back(v);
  return out;
}

}  // namespace soporte::storage::memory_internal
