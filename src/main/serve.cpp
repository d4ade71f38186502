#include "main/serve.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <cstdio>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "main/commands.hpp"
#include "main/listen_address.hpp"
#include "main/log.hpp"
#include "main/serve_steps.hpp"
#include "main/upgrade.hpp"
#include "main/wiring.hpp"
#include "jobs/sla_watch_job.hpp"
#include "transport/api/alert_handlers.hpp"
#include "transport/api/resolution_handlers.hpp"
#include "transport/api/api_context.hpp"
#include "transport/api/audit_handlers.hpp"
#include "transport/api/webhook_handlers.hpp"
#include "transport/api/chat_handlers.hpp"
#include "transport/api/report_handlers.hpp"
#include "transport/api/calendar_handlers.hpp"
#include "transport/api/codec/intake_rules_codec.hpp"
#include "transport/api/content_sniffer.hpp"
#include "transport/api/oncall_handlers.hpp"
#include "transport/api/web_api.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/http/server.hpp"
#include "transport/web/static_assets.hpp"

namespace soporte::main {
namespace {

// This process's name in the chat jobs' leases: unique per process across nodes (host, pid and
// a random part, so a pid reused on another host or after a restart never shares a lease).
std::string ChatNodeId() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device rd;
  char rnd[17];
  std::snprintf(rnd, sizeof rnd, "%08x%08x", rd(), rd());
  return std::string(host[0] ? host : "host") + "-" + std::to_string(::getpid()) + "-" + rnd;
}

namespace asio = boost::asio;
namespace cli = transport::cli;
namespace http = transport::http;

// The threads and pools one server runs on. `ioc` accepts connections and runs the signal
// handler and the mail jobs' timers; each connection then lives on one of `session_contexts`,
// one io_context per io thread (see HttpServer::SpreadSessions).
struct Runtime {
  explicit Runtime(const ServeOptions& options)
      : db_pool(static_cast<std::size_t>(std::max(1, options.db_threads))),
        read_pool(std::max(2u, std::thread::hardware_concurrency())) {
    const int io_threads = IoThreadsOf(options, std::thread::hardware_concurrency());
    for (int i = 0; i < io_threads; ++i) {
      session_contexts.push_back(std::make_unique<asio::io_context>(1));
      session_guards.push_back(asio::make_work_guard(*session_contexts.back()));
    }
  }

  std::vector<asio::io_context*> Sessions() {
    std::vector<asio::io_context*> out;
    for (auto& c : session_contexts) out.push_back(c.get());
    return out;
  }

  // Runs every io thread until `ioc` stops (nothing accepts, the mail jobs have ended); then the
  // sessions finish their current request and end, and every pool is joined.
  void RunUntilStopped() {
    std::vector<std::thread> threads;
    for (auto& c : session_contexts) threads.emplace_back([&c] { c->run(); });
    ioc.run();
    session_guards.clear();
    for (auto& t : threads) t.join();
    db_pool.join();
    read_pool.join();
    hash_pool.join();
    costly_pool.join();
  }

  asio::io_context ioc{1};
  std::vector<std::unique_ptr<asio::io_context>> session_contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> session_guards;
  asio::thread_pool db_pool;
  asio::thread_pool hash_pool{2};  // argon2id: 64 MiB each; two at a time on this machine size
  // Exports and imports with secrets (argon2id at up to 256 MiB): one at a time, apart from the
  // logins' pool, admitted by the gate (one per user, four running or waiting in all).
  asio::thread_pool costly_pool{1};
  transport::http::WorkGate costly_gate{4};
  // Reads get a pool the size of the machine (see ApiContext::read_pool).
  asio::thread_pool read_pool;
};

// Raises the soft open-files limit to the hard one when --max-connections needs more than the
// soft allows (one file per connection), and warns when even the hard one is too low
// (PlanFileLimit).
void RaiseFileLimit(const ServeOptions& options, Logger& logger) {
  rlimit now{};
  if (::getrlimit(RLIMIT_NOFILE, &now) != 0) {
    logger.Log(LogLevel::kWarning,
               std::string("cannot read the open-files limit: ") + std::strerror(errno));
    return;
  }
  auto as_u64 = [](rlim_t v) {
    return v == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max()
                              : static_cast<std::uint64_t>(v);
  };
  const FileLimitPlan plan =
      PlanFileLimit(as_u64(now.rlim_cur), as_u64(now.rlim_max), options.max_connections);
  if (plan.raise_soft_to) {
    rlimit raised = now;
    raised.rlim_cur = static_cast<rlim_t>(*plan.raise_soft_to);
    if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      logger.Log(LogLevel::kWarning,
                 "cannot raise the open-files limit from " + std::to_string(now.rlim_cur) + " to " +
                     std::to_string(raised.rlim_cur) + ": " + std::strerror(errno));
    } else {
      logger.Log(LogLevel::kInfo, "open-files limit raised from " + std::to_string(now.rlim_cur) +
                                      " to " + std::to_string(raised.rlim_cur) +
                                      " for --max-connections " +
                                      std::to_string(options.max_connections));
    }
  }
  if (!plan.warning.empty()) logger.Log(LogLevel::kWarning, plan.warning);
}

// Replaces the intake checklist's rules with the JSON file at `path` ("" keeps the protocol's).
Status LoadIntakeRules(Desk& desk, const std::string& path) {
  if (path.empty()) return Ok();
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "--intake-rules: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto rules = transport::api::codec::ParseIntakeRules(text.str());
  if (!rules) return Fail(ErrorCode::kInvalidArgument, "--intake-rules: " + rules.error().message);
  desk.tickets->SetIntakeRules(std::move(*rules));
  return Ok();
}

// Who may read /metrics: anyone on a loopback listener; elsewhere the holder of the token read
// from --metrics-token FILE (nobody when none is given).
Status SetMetricsAccess(transport::api::ApiOptions& api, const ServeOptions& options,
                        const HostPort& listen) {
  api.metrics_open = IsLoopbackHost(listen.host);
  if (options.metrics_token_file.empty()) return Ok();
  std::ifstream in(options.metrics_token_file);
  if (!in)
    return Fail(ErrorCode::kInvalidArgument,
                "--metrics-token: cannot read " + options.metrics_token_file);
  std::stringstream text;
  text << in.rdbuf();
  SOPORTE_TRY(token, MetricsTokenOf(text.str()));
  api.metrics_token = std::move(token);
  return Ok();
}

// The desk's gauges and counters on /metrics: open tickets, SLA breaches, the store's group
// commit and checkpoints, the outbox.
void AddDeskMetrics(http::Metrics& metrics, Desk& desk) {
  metrics.AddGauge("soporte_open_tickets", "Active tickets (new, open, waiting) by criticality", [&desk] {
    std::vector<http::Metrics::GaugeSample> out;
    auto stats = app::ReadValue(*desk.store, [&](app::ReadTx& tx) {
      return tx.tickets().GetTicketStats(desk.clock.Now());
    });
    if (!stats) return out;
    out.push_back({{{"criticality", "normal"}}, static_cast<double>(stats->open_normal)});
    out.push_back({{{"criticality", "important"}}, static_cast<double>(stats->open_important)});
    out.push_back({{{"criticality", "critical"}}, static_cast<double>(stats->open_critical)});
    return out;
  });
  metrics.AddGauge("soporte_sla_breaches", "Tickets whose response promise is broken", [&desk] {
    std::vector<http::Metrics::GaugeSample> out;
    auto stats = app::ReadValue(*desk.store, [&](app::ReadTx& tx) {
      return tx.tickets().GetTicketStats(desk.clock.Now());
    });
    if (!stats) return out;
    out.push_back({{{"scope", "open"}}, static_cast<double>(stats->breached_open)});
    out.push_back({{{"scope", "all"}}, static_cast<double>(stats->breached_total)});
    return out;
  });

  // Group commit at work: writes per transaction is the batch size the writer achieves
  // (SQLite's single writer; PostgreSQL has none of these figures).
  if (desk.sqlite != nullptr) {
    metrics.AddCounter("soporte_store_writes_total",
                       "Write calls and the transactions that committed them, since start",
                       [&desk] {
                         const auto s = desk.sqlite->writer_stats();
                         return std::vector<http::Metrics::GaugeSample>{
                             {{{"unit", "calls"}}, static_cast<double>(s.jobs)},
                             {{{"unit", "transactions"}}, static_cast<double>(s.batches)}};
                       });
    // The WAL kept short off the commit path: checkpoints run by the checkpointer thread, those
    // SQLite refused, and batches that had to wait because the WAL reached its limit.
    metrics.AddCounter(
        "soporte_store_checkpoints_total",
        "WAL checkpoints since start: run in the background, failed, and waited for by the writer",
        [&desk] {
          const auto s = desk.sqlite->writer_stats();
          return std::vector<http::Metrics::GaugeSample>{
              {{{"outcome", "run"}}, static_cast<double>(s.checkpoints)},
              {{{"outcome", "failed"}}, static_cast<double>(s.checkpoint_failures)},
              {{{"outcome", "writer_waited"}}, static_cast<double>(s.writer_waits)}};
        });
  }
  // The list's pages: served from the page kept since the last change, or read afresh.
  metrics.AddCounter("soporte_list_pages_total",
                     "Ticket list pages served since start: kept since the last change, or read",
                     [&desk] {
                       const auto s = desk.page_cache->stats();
                       return std::vector<http::Metrics::GaugeSample>{
                           {{{"source", "kept"}}, static_cast<double>(s.hits)},
                           {{{"source", "read"}}, static_cast<double>(s.misses)}};
                     });
  // Live events across nodes (PostgreSQL): notes sent, dropped, heard, refused, and resyncs.
  if (desk.relay != nullptr) {
    metrics.AddCounter("soporte_live_relay_notes_total",
                       "Live event notes exchanged with the other nodes since start, by outcome",
                       [&desk] {
                         const auto s = desk.relay->stats();
                         return std::vector<http::Metrics::GaugeSample>{
                             {{{"outcome", "sent"}}, static_cast<double>(s.sent)},
                             {{{"outcome", "dropped"}}, static_cast<double>(s.dropped)},
                             {{{"outcome", "received"}}, static_cast<double>(s.received)},
                             {{{"outcome", "malformed"}}, static_cast<double>(s.malformed)},
                             {{{"outcome", "resync"}}, static_cast<double>(s.resyncs)}};
                       });
  }
  metrics.AddCounter(
      "soporte_sla_thresholds_fired_total",
      "SLA thresholds fired by this process's watch since start, by kind", [&desk] {
        return std::vector<http::Metrics::GaugeSample>{
            {{{"kind", "warning"}}, static_cast<double>(desk.sla_watch->warnings_fired())},
            {{{"kind", "breach"}}, static_cast<double>(desk.sla_watch->breaches_fired())}};
      });
  metrics.AddGauge("soporte_outbox_mail", "Outgoing mail waiting to be sent, and given up (failed)", [&desk] {
    std::vector<http::Metrics::GaugeSample> out;
    auto counts = desk.outbox_admin->Counts();
    if (!counts) return out;
    out.push_back({{{"state", "pending"}}, static_cast<double>(counts->pending)});
    out.push_back({{{"state", "failed"}}, static_cast<double>(counts->failed)});
    return out;
  });
}

// Every route: the API, the web API, calendars, the audit log and the UI's files. The router keeps
// references to `ctx`, `web_deps` and `desk`'s services: all three must outlive it.
void RegisterRoutes(http::Router& router, transport::api::ApiContext& ctx,
                    transport::api::WebApiDeps& web_deps, Desk& desk) {
  transport::api::RegisterApiRoutes(router, ctx);
  transport::api::RegisterWebApiRoutes(router, ctx, web_deps);
  transport::api::RegisterCalendarRoutes(router, ctx, *desk.calendars);
  transport::api::RegisterAuditRoutes(router, ctx, *desk.audit);
  transport::api::RegisterOnCallRoutes(router, ctx, *desk.oncall, *desk.paging);
  transport::api::RegisterWebhookRoutes(router, ctx, *desk.webhooks);
  transport::api::RegisterAlertRoutes(router, ctx, *desk.alert_preferences);
  transport::api::RegisterResolutionRoutes(router, ctx, *desk.resolution_targets);
  transport::api::RegisterReportRoutes(router, ctx, *desk.reports);
  transport::web::RegisterStaticRoutes(router);
}

// The live chat's routes (they need the serve options: the allowed origins).
void RegisterChat(http::Router& router, transport::api::ApiContext& ctx, Desk& desk,
                  const ServeOptions& options) {
  transport::api::RegisterChatRoutes(router, ctx, *desk.chats, *desk.chat_hub,
                                     transport::api::ChatRouteOptions{options.chat_origins});
}

// Listens, announces the address, starts the mail jobs and runs until SIGINT or SIGTERM.
int ListenAndRun(Runtime& rt, http::HttpServer& server, Desk& desk, const ServeOptions& options,
                 const HostPort& listen, Logger& logger) {
  auto log = [&logger](const std::string& line) { logger.Log(LogLevel::kInfo, line); };
  server.SpreadSessions(rt.Sessions());
  auto endpoint = server.Listen(listen.host, listen.port);
  if (!endpoint) return Report(endpoint.error());
  std::cout << "listening on " << ListenUrl(*endpoint) << std::endl;

  // The email channel's jobs (outbox delivery, IMAP polling) on their own pool.
  auto mail = MailRuntime::Start(desk, options.mail, rt.ioc, log);
  if (!mail) return Report(mail.error());
  // Paging: escalation and the gateway command.
  auto paging = PagingRuntime::Start(desk, options.page_command, options.page_interval_seconds,
                                     options.page_command_timeout_seconds, rt.ioc, log);
  // Webhook delivery on its own pool (leases: any number of nodes).
  auto hooks = WebhookRuntime::Start(desk, options.webhook, rt.ioc, log);
  if (!hooks) return Report(hooks.error());

  // The SLA watch on its own thread: a tick never waits behind mail delivery.
  asio::thread_pool watch_pool(1);
  jobs::Scheduler watch_scheduler(rt.ioc, watch_pool, log);
  jobs::SlaWatchJob watch_job(*desk.sla_watch, log);
  watch_scheduler.Every("sla-watch", std::chrono::seconds(options.sla_watch_seconds),
                        [&watch_job] { watch_job.Run(); });
  // Chats waiting too long alert the agents on shift (claims with a lease: once across nodes).
  const std::string chat_node = ChatNodeId();
  watch_scheduler.Every("chat-wait", std::chrono::seconds(5), [&desk, &chat_node, &logger] {
    auto n = desk.chats->RunWaitAlerts(chat_node, Seconds{60}, 100);
    if (!n && !app::StoreUnreachable(n.error()))
      logger.Log(LogLevel::kError, "chat-wait: " + n.error().message);
  });
  // Waiting chats whose visitor left close as abandoned (leases too), so the caps free up.
  watch_scheduler.Every("chat-abandon", std::chrono::seconds(options.chat_abandon_check_seconds),
                        [&desk, &chat_node, &logger] {
                          auto n = desk.chats->RunAbandons(chat_node, Seconds{60}, 100);
                          if (!n && !app::StoreUnreachable(n.error()))
                            logger.Log(LogLevel::kError, "chat-abandon: " + n.error().message);
                        });
  // Throttle failures that left every window go (bounded batches; any node may run it).
  watch_scheduler.Every("throttle-prune", std::chrono::minutes(5), [&desk, &logger] {
    const Seconds keep_for = std::max(desk.throttle->window(), desk.password_reset->window());
    auto n = app::PruneThrottleWindows(*desk.store, desk.clock, keep_for);
    if (!n && !app::StoreUnreachable(n.error()))
      logger.Log(LogLevel::kError, "throttle-prune: " + n.error().message);
  });
  // Signed-in chat sockets whose session expired, or ended on another node, close.
  watch_scheduler.Every("chat-sessions", std::chrono::seconds(options.chat_abandon_check_seconds),
                        [&desk] {
                          for (const auto& token : desk.chat_hub->Credentials()) {
                            auto still = desk.auth->FromSession(token);
                            if (!still && still.error().code == ErrorCode::kUnauthenticated)
                              desk.chat_hub->CloseCredential(token);
                          }
                        });

  asio::signal_set signals(rt.ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) {
      watch_scheduler.Stop();
      server.Stop();
      desk.event_hub->Shutdown();  // live streams end now, not at their next heartbeat
      desk.chat_hub->Shutdown();   // chat WebSockets too (clients reconnect and resume)
    }
  });
  rt.RunUntilStopped();
  watch_scheduler.Stop();
  watch_pool.join();
  std::cout << "stopped" << std::endl;
  return cli::kExitOk;
}

}  // namespace

int Serve(const ServeOptions& options) {
  auto listen = ParseListen(options.listen);
  if (!listen) return Report(listen.error());
  if (auto st = CheckServeOptions(options); !st) return Report(st.error());
  transport::api::ApiOptions api_options = ApiOptionsOf(options);
  if (auto st = SetMetricsAccess(api_options, options, *listen); !st) return Report(st.error());
  auto log_options = LogOptionsOf(options.log_format, options.log_level);
  if (!log_options) return Report(log_options.error());
  SystemClock log_clock;
  Logger logger(*log_options, log_clock, std::cout, std::cerr);
  RaiseFileLimit(options, logger);
  // PostgreSQL is backed up by its own tools (pg_dump); this copies the embedded database.
  if (options.backup_before_migrate && !storage::IsPostgresUrl(options.store)) {
    auto copy = BackupBeforeMigrate(options.data_dir);
    if (!copy) return Report(copy.error());
    if (!copy->empty())
      logger.Log(LogLevel::kWarning, "database copied to " + *copy + " before migrating");
  }
  DeskOptions desk_options = DeskOptionsOf(options);
  desk_options.log = [&logger](const std::string& line) { logger.Log(LogLevel::kWarning, line); };
  // A PostgreSQL outage is logged once when it starts and once when it ends (PostgresOptions::log);
  // requests answer 503 meanwhile and the jobs skip their rounds without a line each.
  desk_options.postgres.log = desk_options.log;
  auto opened = OpenDesk(options.data_dir, std::move(desk_options));
  if (!opened) return Report(opened.error());
  Desk& desk = **opened;
  if (auto st = LoadIntakeRules(desk, options.intake_rules); !st) return Report(st.error());
  auto sniffer = transport::api::ContentSniffer::Create();
  if (!sniffer) return Report(sniffer.error());

  Runtime rt(options);
  http::Metrics metrics;
  AddDeskMetrics(metrics, desk);
  transport::api::ApiContext ctx{
      rt.db_pool,    rt.hash_pool,
      *desk.auth,    *desk.admin,
      *desk.tickets, *desk.blobs,
      metrics,       desk.clock,
      api_options,   [s = sniffer->get()](std::string_view head) { return s->Sniff(head); }};
  ctx.read_pool = &rt.read_pool;
  ctx.costly_pool = &rt.costly_pool;
  ctx.costly_gate = &rt.costly_gate;
  ctx.live = desk.event_hub;
  ctx.pages = desk.page_cache.get();
  ctx.chat_live = desk.chat_hub.get();
  // Point reads run inline on the embedded SQLite store only (ApiContext::point_reads_inline): a
  // network thread never waits on PostgreSQL, least of all while its server does not answer.
  const bool postgres = desk.sqlite == nullptr;  // --store or SOPORTE_STORE named PostgreSQL
  ctx.point_reads_inline = !postgres;
  if (postgres) ctx.health_store = desk.store.get();
  ctx.inbound = desk.inbound_desk.get();
  ctx.outbox = desk.outbox_admin.get();
  ctx.profiles = desk.profiles.get();
  ctx.profile_transfer = desk.profile_transfer.get();
  transport::api::WebApiDeps web_deps{*desk.event_hub, *desk.sla_view, *desk.settings,
                                      *desk.password_reset};
  http::Router router;
  RegisterRoutes(router, ctx, web_deps, desk);
  RegisterChat(router, ctx, desk, options);
  if (options.print_routes) {
    for (const auto& route : router.routes())
      std::cout << http::VerbName(route->verb) << ' ' << route->pattern << ' '
                << route->options.name << '\n';
    return cli::kExitOk;
  }

  auto limits = ServerLimitsOf(options);  // checked by CheckServeOptions at the start
  if (!limits) return Report(limits.error());
  http::AccessLogSink access_log;
  if (options.access_log) {
    access_log = [&logger](const http::AccessRecord& r) { logger.Access(r); };
  }
  http::HttpServer server(rt.ioc, router, *limits, metrics, access_log,
                          [&logger](std::string_view line) { logger.Log(LogLevel::kError, line); });
  return ListenAndRun(rt, server, desk, options, *listen, logger);
}

}  // namespace soporte::main
