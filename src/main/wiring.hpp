// Wiring: the only place that knows every concrete type. Opens a data directory (SQLite store,
// blob store, secret key) and builds the use cases over it; `soporte serve` then adds the HTTP
// server. Everything is owned by one Desk value per data directory and passed down by
// reference; nothing is global.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/accounts/admin_service.hpp"
#include "app/alerts/staff_alerts.hpp"
#include "app/chat/chat_service.hpp"
#include "app/live/relayed_events.hpp"
#include "app/audit/audit_log.hpp"
#include "app/calendars/calendar_service.hpp"
#include "app/accounts/auth_service.hpp"
#include "app/accounts/login_throttle.hpp"
#include "app/accounts/password_reset.hpp"
#include "app/mail/inbound_desk.hpp"
#include "app/mail/ingest_message.hpp"
#include "app/mail/outbox.hpp"
#include "app/mail/mail_notifier.hpp"
#include "app/mail/outbox_render.hpp"
#include "app/oncall/oncall_service.hpp"
#include "app/oncall/paging.hpp"
#include "app/oncall/staffed_hours.hpp"
#include "app/profiles/profile_service.hpp"
#include "app/profiles/profile_transfer.hpp"
#include "app/reports/report_service.hpp"
#include "app/ports/event_bus.hpp"
#include "app/settings/contact_settings.hpp"
#include "app/sla/resolution_target.hpp"
#include "app/sla/sla_watch.hpp"
#include "app/tickets/sla_view.hpp"
#include "app/tickets/ticket_service.hpp"
#include "app/webhooks/webhook_observer.hpp"
#include "app/webhooks/webhook_service.hpp"
#include "common/clock.hpp"
#include "domain/sla/sla_engine.hpp"
#include "storage/fs/fs_blob_store.hpp"
#include "main/store_choice.hpp"
#include "storage/postgres/pg_live_relay.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "transport/mail/gmime_parser.hpp"
#include "transport/mail/mail_renderer.hpp"
#include "transport/security/passphrase_box.hpp"
#include "transport/security/secret_box.hpp"
#include "transport/security/sodium_security.hpp"
#include "transport/api/codec/webhook_codec.hpp"
#include "transport/api/page_cache.hpp"
#include "transport/web/event_hub.hpp"
#include "transport/chat/chat_hub.hpp"

namespace soporte::main {

struct DeskOptions {
  bool fast_password_hashing = false;  // tests only: libsodium's minimum argon2id cost
  std::string mail_from = "soporte@example.com";  // the support address (From:, Message-ID domain)
  // The authserv-id whose Authentication-Results the mail intake trusts; "" = trust From as is.
  std::string mail_auth_serv_id;
  app::ContactSettings contact;  // defaults of the contact settings never stored (serve options)
  // The key that seals the profile's secrets; empty = DATA/secret.key.
  std::string secret_key_path;
  // Refuse to open when a stored secret is sealed under another key (off only for rotate-key).
  bool check_secret_key = true;
  // Refresh the store's planner statistics when stale (serve; not one-shot commands).
  bool refresh_statistics = false;
  // Paging (serve --page-command, --page-escalate-minutes); portal_url and the support address
  // are filled from `contact` and `mail_from`.
  app::PagingOptions paging;
  // Webhook subscriptions may name loopback, link-local and private hosts (tests, a LAN receiver).
  bool webhook_allow_private = false;
  // The SLA watch: its warning share (1..99) and this node's name in its claims ("" = host:pid).
  int sla_warning_percent = 75;
  std::string node_name;
  // Live chat: the cap on waiting chats and the wait alert (serve --chat-*).
  app::ChatOptions chat;
  // The store: "" = SOPORTE_STORE, else the embedded SQLite DATA/soporte.db; a PostgreSQL URL
  // (postgresql://…) opens that database with `postgres` (the data directory then keeps the
  // secret key and the attachments, which every node must share).
  std::string store;
  storage::PostgresOptions postgres;
  // serve: on PostgreSQL, every live event also reaches the live views of the other nodes of
  // the database (storage/postgres/pg_live_relay.hpp), and theirs reach ours.
  bool relay_live_events = false;
  // Where the relay's warnings go (dropped notes, reconnects); may be empty.
  std::function<void(const std::string&)> log;
};

// One data directory's services.
struct Desk {
  std::string data_dir;
  SystemClock clock;
  std::unique_ptr<app::Store> store;
  // The same store when it is the embedded SQLite one (its writer's figures in /metrics), else
  // null.
  storage::SqliteStore* sqlite = nullptr;
  std::unique_ptr<storage::FsBlobStore> blobs;
  std::unique_ptr<domain::sla::SlaEngine> sla;
  std::unique_ptr<transport::security::Argon2PasswordHasher> hasher;
  transport::security::SodiumTokenService tokens;
  std::unique_ptr<app::LoginThrottle> throttle;
  // This node's live event streams (the console's); live views subscribe to event_hub.
  std::unique_ptr<app::EventBus> events;
  transport::web::EventHub* event_hub = nullptr;  // `events` itself: live views subscribe here
  // What the use cases publish to: `events`, or on a relayed PostgreSQL desk relayed->bus()
  // (this node's views and the other nodes').
  app::EventBus* bus = nullptr;
  // The ticket list's pages kept between writes (the store counts them), and the bus in front of
  // `events` that drops them when another node's change is heard.
  std::unique_ptr<transport::api::PageCache> page_cache;
  std::unique_ptr<app::EventBus> pages_bus;
  std::unique_ptr<app::AuthService> auth;
  std::unique_ptr<app::AdminService> admin;
  std::unique_ptr<app::TicketService> tickets;
  std::unique_ptr<app::SlaView> sla_view;
  // The SLA watch: arms thresholds on every ticket change (an observer of `tickets`, on every
  // path); `soporte serve` runs its Tick (jobs/sla_watch_job).
  std::unique_ptr<app::SlaWatch> sla_watch;
  // Staff alerts: an observer of `tickets` (new Crítico tickets, the watch's firings) writing
  // alert rows and alert mail; each staff user's alert settings and alerts (API /api/v1/me/…).
  std::unique_ptr<app::StaffAlerts> staff_alerts;
  std::unique_ptr<app::AlertPreferencesService> alert_preferences;
  // Contracts' resolution targets (the resolution clock; API only).
  std::unique_ptr<app::ResolutionTargetService> resolution_targets;
  // Customer profile: secrets sealed with the key file's key.
  std::string secret_key_path;
  std::unique_ptr<transport::security::SodiumSecretBox> secret_box;
  std::unique_ptr<app::ProfileService> profiles;
  // Export and import of a profile; exported secrets are encrypted to a passphrase.
  std::unique_ptr<transport::security::SodiumPassphraseCrypto> passphrase_crypto;
  std::unique_ptr<app::ProfileTransfer> profile_transfer;
  // Email channel: ticket changes write their mail into the outbox (MailNotifier, in the same
  // transaction); inbound mail goes through mail_ingest.
  std::unique_ptr<transport::mail::CatalogMailRenderer> mail_renderer;
  std::unique_ptr<app::MailNotifier> mail_notifier;
  // Renders outbox rows kept as facts, at delivery and for staff's list (after mail_renderer).
  std::unique_ptr<app::OutboxRenderer> outbox_renderer;
  std::unique_ptr<transport::mail::GmimeParser> mail_parser;
  std::unique_ptr<app::IngestMessage> mail_ingest;
  // Web UI: the admin-editable contact settings and forgotten passwords (mail via the outbox).
  std::unique_ptr<app::ContactSettingsService> settings;
  std::unique_ptr<app::PasswordResetService> password_reset;
  // Staff's side: inbound mail kept for them, outgoing mail that could not be delivered.
  std::unique_ptr<app::InboundDesk> inbound_desk;
  std::unique_ptr<app::OutboxAdmin> outbox_admin;
  // Calendars and closure days (admin UI; contracts' SLA calendars).
  std::unique_ptr<app::CalendarService> calendars;
  // Reading the audit log (admin UI: Administración › Auditoría).
  std::unique_ptr<app::AuditService> audit;
  // On call: the rota, the staffed hours and paging (a ticket observer: pages are rows written
  // with the change; serve's paging job escalates and delivers them).
  std::unique_ptr<app::StaffedHours> staffed;
  std::unique_ptr<app::OnCallService> oncall;
  std::unique_ptr<app::Paging> paging;
  // Webhooks: admins' subscriptions (secrets sealed by secret_box) and the observer that writes a
  // delivery row per matching subscription in every ticket change's transaction.
  transport::api::codec::JsonWebhookPayloadEncoder webhook_encoder;
  std::unique_ptr<app::WebhookService> webhooks;
  std::unique_ptr<app::WebhookObserver> webhook_observer;
  // SLA compliance reports (API, CSV, `soporte report sla`).
  std::unique_ptr<app::ReportService> reports;
  // Live chat: the conversations' use cases and this node's fan-out to their WebSockets.
  std::unique_ptr<transport::chat::ChatHub> chat_hub;
  // What ChatService publishes: to chat_hub (the chat sockets), and a chat's wait alert also to
  // the consoles of the agents it names (`events`, ChatEventsToConsoles in wiring.cpp).
  std::unique_ptr<app::ChatEvents> chat_events;
  // What ChatService publishes to: chat_events, or relayed->chats() on a relayed desk.
  app::ChatEvents* chat_bus = nullptr;
  std::unique_ptr<app::ChatService> chats;
  // Live events across nodes (DeskOptions::relay_live_events on PostgreSQL), else null. Last, so
  // that the relay's threads stop before anything they reach is destroyed.
  std::unique_ptr<app::RelayedEvents> relayed;
  std::unique_ptr<storage::PostgresLiveRelay> relay;
};

// Creates DATA (and DATA/blobs), the database with its schema, and DATA/secret.key (0600) when
// missing; with a PostgreSQL `store` ("" = SOPORTE_STORE; see CheckStoreChoice in
// store_choice.hpp) the schema is created there instead of DATA/soporte.db. Idempotent.
// kUnavailable when the directory cannot be written or the database reached.
Status InitDataDir(const std::string& data_dir, std::string store = "");

// Opens an initialised data directory. kFailedPrecondition when it was never initialised
// ("run soporte init --data DIR first"), when the secret key file is unsafe (group/other
// permissions, wrong size) or does not open the stored secrets. A missing key file is created
// (0600) only while no secret is stored.
Result<std::unique_ptr<Desk>> OpenDesk(const std::string& data_dir, DeskOptions options = {});

// The key file of `data_dir` under `options` (DATA/secret.key unless configured).
std::string SecretKeyPath(const std::string& data_dir, const DeskOptions& options);

}  // namespace soporte::main
