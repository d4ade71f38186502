#include "main/wiring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <sodium.h>

#include "app/live/write_count.hpp"

namespace soporte::main {
namespace fs = std::filesystem;

namespace {

// Writes a new 32-byte key to `path` with mode 0600, unless the file exists.
Status EnsureSecretKey(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Ok();
    return Fail(ErrorCode::kUnavailable, "cannot create " + path.string() + ": " + std::strerror(errno));
  }
  unsigned char key[crypto_secretbox_KEYBYTES];
  randombytes_buf(key, sizeof key);
  const bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  sodium_memzero(key, sizeof key);
  ::close(fd);
  if (!ok) {
    fs::remove(path);
    return Fail(ErrorCode::kUnavailable, "cannot write " + path.string());
  }
  return Ok();
}

// This process's name in the claims of jobs that run on several nodes: host, pid and a random
// part (a restarted process on the same host is another claimant).
std::string NodeName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(randombytes_uniform(1000000));
}

// The live chat's events go to the chat sockets (the hub); a wait alert ("waiting", one per
// agent on shift, raised once per chat by ChatService::RunWaitAlerts) also nudges that agent's
// console stream (what "chat_waiting", number = the chat id, to that user only), which shows it
// on every staff page with a link to #/chats.
class ChatEventsToConsoles final : public app::ChatEvents {
 public:
  ChatEventsToConsoles(app::ChatEvents& hub, app::EventBus& consoles)
      : hub_(hub), consoles_(consoles) {}
  void Publish(const app::ChatEvent& e) override {
    hub_.Publish(e);
    if (e.kind == "waiting" && e.to_user.valid())
      consoles_.Publish(app::TicketChanged{e.chat.id, OrgId{}, "chat_waiting", e.to_user});
  }
  // The consoles resync through their own bus (RelayedEvents::OnResync).
  void Resync() override { hub_.Resync(); }

 private:
  app::ChatEvents& hub_;
  app::EventBus& consoles_;
};

}  // namespace

Status InitDataDir(const std::string& data_dir, std::string store) {
  if (store.empty()) {
    if (const char* env = std::getenv("SOPORTE_STORE"); env != nullptr) store = env;
  }
  SOPORTE_TRY_STATUS(CheckStoreChoice(store));
  SOPORTE_TRY_STATUS(transport::security::InitSodium());
  const bool postgres = storage::IsPostgresUrl(store);
  if (postgres) {
    // First, so that a database that cannot be reached leaves no directory behind.
    SOPORTE_TRY(pg, storage::PostgresStore::Open(store));  // applies the migrations
    (void)pg;
  }
  std::error_code ec;
  fs::create_directories(fs::path(data_dir) / "blobs", ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot create " + data_dir + ": " + ec.message());
  ::chmod(data_dir.c_str(), 0700);
  SOPORTE_TRY_STATUS(EnsureSecretKey(fs::path(data_dir) / "secret.key"));
  if (postgres) return Ok();
  SOPORTE_TRY(sqlite, storage::SqliteStore::Open((fs::path(data_dir) / "soporte.db").string()));
  (void)sqlite;
  return Ok();
}

Result<std::unique_ptr<Desk>> OpenDesk(const std::string& data_dir, DeskOptions options) {
  SOPORTE_TRY_STATUS(transport::security::InitSodium());
  const fs::path dir(data_dir);
  if (options.store.empty()) {
    if (const char* env = std::getenv("SOPORTE_STORE"); env != nullptr) options.store = env;
  }
  SOPORTE_TRY_STATUS(CheckStoreChoice(options.store));
  const bool postgres = storage::IsPostgresUrl(options.store);
  if (!fs::exists(postgres ? dir / "secret.key" : dir / "soporte.db")) {
    return Fail(ErrorCode::kFailedPrecondition, "no soporte data in " + data_dir +
                                                    "; run `soporte init --data " + data_dir +
                                                    (postgres ? " --store URL" : "") + "` first");
  }
  ::chmod(data_dir.c_str(), 0700);  // a data directory made by an older version may be 0755
  auto desk = std::make_unique<Desk>();
  desk->data_dir = data_dir;
  if (postgres) {
    SOPORTE_TRY(store, storage::PostgresStore::Open(options.store, options.postgres));
    desk->store = std::move(store);
  } else {
    storage::SqliteOptions store_options;
    store_options.refresh_statistics = options.refresh_statistics;
    SOPORTE_TRY(store, storage::SqliteStore::Open((dir / "soporte.db").string(), store_options));
    desk->sqlite = store.get();
    desk->store = std::move(store);
  }
  {
    // Every write is counted: the list's pages are kept until the next one (PageCache).
    auto counted = std::make_unique<app::WriteCountingStore>(std::move(desk->store));
    desk->page_cache = std::make_unique<transport::api::PageCache>(
        desk->clock, [writes = counted.get()] { return writes->Writes(); });
    desk->store = std::move(counted);
  }
  SOPORTE_TRY(blobs, storage::FsBlobStore::Open((dir / "blobs").string()));
  desk->blobs = std::move(blobs);
  SOPORTE_TRY(sla, domain::sla::SlaEngine::Create());
  desk->sla = std::make_unique<domain::sla::SlaEngine>(std::move(sla));
  desk->hasher = std::make_unique<transport::security::Argon2PasswordHasher>(options.fast_password_hashing);
  // The throttles' windows are in the store: every node on one database counts the same failures.
  desk->throttle =
      std::make_unique<app::LoginThrottle>(*desk->store, desk->clock, app::ThrottleLimits{});
  // This node's live views: the console's event streams and the chat sockets.
  auto hub = std::make_unique<transport::web::EventHub>();
  desk->event_hub = hub.get();
  desk->events = std::move(hub);
  desk->chat_hub = std::make_unique<transport::chat::ChatHub>();
  desk->chat_events = std::make_unique<ChatEventsToConsoles>(*desk->chat_hub, *desk->events);
  // Changes reach the streams through the page cache, which drops its pages at other nodes'.
  desk->pages_bus =
      std::make_unique<transport::api::PageCache::Bus>(*desk->page_cache, *desk->events);
  desk->bus = desk->pages_bus.get();
  desk->chat_bus = desk->chat_events.get();
  if (postgres && options.relay_live_events) {
    // Several nodes may serve this database: each event also goes to the others' views.
    storage::PostgresLiveRelayOptions relay_options;
    relay_options.schema = options.postgres.schema;
    relay_options.log = options.log;
    SOPORTE_TRY(relay, storage::PostgresLiveRelay::Open(options.store, relay_options));
    desk->relay = std::move(relay);
    desk->relayed = std::make_unique<app::RelayedEvents>(*desk->pages_bus, *desk->chat_events,
                                                         *desk->relay, *desk->store, options.log);
    desk->relay->Start(*desk->relayed);
    desk->bus = &desk->relayed->bus();
    desk->chat_bus = &desk->relayed->chats();
  }
  desk->auth = std::make_unique<app::AuthService>(*desk->store, *desk->hasher, desk->tokens,
                                                  *desk->throttle, desk->clock, app::AuthOptions{});
  desk->admin = std::make_unique<app::AdminService>(*desk->store, *desk->hasher, *desk->sla, desk->clock);
  desk->tickets =
      std::make_unique<app::TicketService>(*desk->store, *desk->sla, *desk->bus, desk->clock);
  {
    app::SlaWatchOptions watch_options;
    watch_options.warning_percent = options.sla_warning_percent;
    watch_options.node = options.node_name.empty() ? NodeName() : options.node_name;
    SOPORTE_TRY_STATUS(app::CheckSlaWatchOptions(watch_options));
    desk->sla_watch = std::make_unique<app::SlaWatch>(*desk->store, *desk->sla, desk->clock,
                                                      desk->tickets->observers(), watch_options);
    desk->tickets->AddObserver(desk->sla_watch.get());
    desk->resolution_targets =
        std::make_unique<app::ResolutionTargetService>(*desk->store, desk->clock);
  }
  {
    std::error_code ec;
    fs::create_directories(dir / "tmp", ec);  // mail spool; a failure shows when mail is spooled
    desk->mail_renderer = std::make_unique<transport::mail::CatalogMailRenderer>(*desk->sla);
    app::MailNotifierOptions notifier_options;
    notifier_options.support_address = options.mail_from;
    desk->mail_notifier = std::make_unique<app::MailNotifier>(notifier_options);
    desk->outbox_renderer =
        std::make_unique<app::OutboxRenderer>(*desk->mail_renderer, *desk->sla, options.mail_from);
    desk->tickets->SetNotifier(desk->mail_notifier.get());
    app::StaffAlertOptions alert_options;
    alert_options.support_address = options.mail_from;
    desk->staff_alerts = std::make_unique<app::StaffAlerts>(*desk->bus, desk->clock, alert_options);
    desk->tickets->AddObserver(desk->staff_alerts.get());
    desk->alert_preferences =
        std::make_unique<app::AlertPreferencesService>(*desk->store, desk->clock);
    desk->mail_parser = std::make_unique<transport::mail::GmimeParser>(*desk->blobs, (dir / "tmp").string());
    app::IngestOptions ingest_options;
    ingest_options.support_address = options.mail_from;
    ingest_options.auth_serv_id = options.mail_auth_serv_id;
    desk->mail_ingest =
        std::make_unique<app::IngestMessage>(*desk->store, *desk->tickets, *desk->mail_notifier,
                                             *desk->bus, desk->clock, ingest_options);
    desk->inbound_desk = std::make_unique<app::InboundDesk>(
        *desk->store, *desk->tickets, desk->mail_notifier.get(), *desk->bus, desk->clock);
    desk->outbox_admin =
        std::make_unique<app::OutboxAdmin>(*desk->store, *desk->outbox_renderer, desk->clock);
  }
  desk->sla_view = std::make_unique<app::SlaView>(*desk->store, *desk->sla, desk->clock);
  desk->calendars = std::make_unique<app::CalendarService>(*desk->store, desk->clock);
  desk->audit = std::make_unique<app::AuditService>(*desk->store);
  desk->staffed = std::make_unique<app::StaffedHours>();
  // Out of staffed hours, the agents on shift for staff alerts are the on-call engineers.
  desk->staff_alerts->SetStaffedHours(desk->staffed.get());
  desk->oncall = std::make_unique<app::OnCallService>(*desk->store, *desk->staffed, desk->clock);
  {
    app::PagingOptions paging = options.paging;
    paging.support_address = options.mail_from;
    if (paging.portal_url.empty()) paging.portal_url = options.contact.portal_url;
    desk->paging =
        std::make_unique<app::Paging>(*desk->store, desk->tickets->observers(), desk->tokens,
                                      *desk->mail_renderer, *desk->staffed, desk->clock, paging);
    desk->tickets->AddObserver(desk->paging.get());
  }
  desk->reports = std::make_unique<app::ReportService>(*desk->store, *desk->sla, desk->clock);
  desk->settings = std::make_unique<app::ContactSettingsService>(*desk->store, desk->clock, options.contact);
  app::PasswordResetOptions reset_options;
  reset_options.support_address = options.mail_from;
  desk->password_reset = std::make_unique<app::PasswordResetService>(
      *desk->store, *desk->hasher, desk->tokens, *desk->mail_renderer, *desk->auth, desk->clock, reset_options);
  desk->secret_key_path = SecretKeyPath(data_dir, options);
  if (!fs::exists(desk->secret_key_path)) {
    auto secrets = app::ReadValue(
        *desk->store, [](app::ReadTx& tx) { return tx.profiles().ListSecrets(std::nullopt); });
    if (!secrets) return tl::make_unexpected(secrets.error());
    if (!secrets->empty()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "secret key file " + desk->secret_key_path + " is missing but " +
                      std::to_string(secrets->size()) + " secrets are stored under it: restore the file");
    }
    SOPORTE_TRY_STATUS(EnsureSecretKey(desk->secret_key_path));
  }
  SOPORTE_TRY(box, transport::security::SodiumSecretBox::FromKeyFile(desk->secret_key_path));
  desk->secret_box = std::move(box);
  if (options.check_secret_key) {
    SOPORTE_TRY_STATUS(app::ProfileService::CheckKey(*desk->store, *desk->secret_box));
    SOPORTE_TRY_STATUS(app::WebhookService::CheckKey(*desk->store, *desk->secret_box));
  }
  desk->profiles = std::make_unique<app::ProfileService>(*desk->store, *desk->secret_box, desk->clock);
  desk->webhooks =
      std::make_unique<app::WebhookService>(*desk->store, *desk->secret_box, desk->clock,
                                            app::WebhookOptions{options.webhook_allow_private});
  desk->webhook_observer =
      std::make_unique<app::WebhookObserver>(desk->webhook_encoder, desk->tokens, desk->clock);
  desk->tickets->AddObserver(desk->webhook_observer.get());
  desk->chats = std::make_unique<app::ChatService>(*desk->store, desk->tokens, desk->clock,
                                                   *desk->chat_bus, options.chat);
  desk->chats->SetTickets(desk->tickets.get());
  desk->chats->SetStaffedHours(desk->staffed.get());
  desk->chats->SetContactSettings(desk->settings.get());
  // Tests (fast_password_hashing) derive export keys at libsodium's minimum cost too.
  desk->passphrase_crypto = std::make_unique<transport::security::SodiumPassphraseCrypto>(
      options.fast_password_hashing ? transport::security::PassphraseCost{1, 8 * 1024 * 1024}
                                    : transport::security::PassphraseCost{});
  desk->profile_transfer = std::make_unique<app::ProfileTransfer>(*desk->store, *desk->secret_box,
                                                                  *desk->passphrase_crypto, desk->clock);
  return desk;
}

std::string SecretKeyPath(const std::string& data_dir, const DeskOptions& options) {
  if (!options.secret_key_path.empty()) return options.secret_key_path;
  return (fs::path(data_dir) / "secret.key").string();
}

}  // namespace soporte::main
