#include "main/serve.hpp"

#include <fstream>
#include <sstream>
#include <charconv>
#include <csignal>
#include <iostream>
#include <mutex>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/thread_pool.hpp>

#include "main/commands.hpp"
#include "main/listen_address.hpp"
#include "main/wiring.hpp"
#include "transport/api/calendar_handlers.hpp"
#include "transport/api/api_context.hpp"
#include "transport/api/codec/intake_rules_codec.hpp"
#include "transport/api/content_sniffer.hpp"
#include "transport/api/web_api.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/http/server.hpp"
#include "transport/web/static_assets.hpp"

namespace soporte::main {
namespace {

namespace asio = boost::asio;
namespace cli = transport::cli;
namespace http = transport::http;

}  // namespace

int Serve(const ServeOptions& options) {
  auto listen = ParseListen(options.listen);
  if (!listen) return Report(listen.error());
  if (options.attachment_limit_mb < 1) {
    std::cerr << "error: --attachment-limit-mb must be at least 1\n";
    return cli::kExitUsage;
  }
  DeskOptions desk_options{options.fast_password_hashing};
  desk_options.mail_from = options.mail.mail_from;
  desk_options.contact = {options.support_email, options.support_phone, options.portal_url,
                          options.support_hours_es, options.support_hours_en};
  desk_options.secret_key_path = options.secret_key;
  auto opened = OpenDesk(options.data_dir, desk_options);
  if (!opened) return Report(opened.error());
  Desk& desk = **opened;
  if (!options.intake_rules.empty()) {
    std::ifstream in(options.intake_rules);
    if (!in) return Report(Error{ErrorCode::kInvalidArgument, "--intake-rules: cannot read " + options.intake_rules});
    std::stringstream text;
    text << in.rdbuf();
    auto rules = transport::api::codec::ParseIntakeRules(text.str());
    if (!rules) return Report(Error{ErrorCode::kInvalidArgument, "--intake-rules: " + rules.error().message});
    desk.tickets->SetIntakeRules(std::move(*rules));
  }
  auto sniffer = transport::api::ContentSniffer::Create();
  if (!sniffer) return Report(sniffer.error());

  const int io_threads = options.io_threads > 0
                             ? options.io_threads
                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // `ioc` accepts connections and runs the signal handler and the mail jobs' timers; each
  // connection then lives on one of `session_contexts`, one io_context per io thread (see
  // HttpServer::SpreadSessions).
  asio::io_context ioc(1);
  std::vector<std::unique_ptr<asio::io_context>> session_contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> session_guards;
  for (int i = 0; i < io_threads; ++i) {
    session_contexts.push_back(std::make_unique<asio::io_context>(1));
    session_guards.push_back(asio::make_work_guard(*session_contexts.back()));
  }
  asio::thread_pool db_pool(static_cast<std::size_t>(std::max(1, options.db_threads)));
  asio::thread_pool hash_pool(2);  // argon2id: 64 MiB each; two at a time on this machine size
  // Reads get a pool the size of the machine (see ApiContext::read_pool).
  asio::thread_pool read_pool(std::max(2u, std::thread::hardware_concurrency()));

  http::Metrics metrics;
  metrics.AddGauge("soporte_open_tickets", "Active tickets (new, open, waiting) by criticality", [&desk] {
    std::vector<http::Metrics::GaugeSample> out;
    auto stats = app::ReadValue(*desk.store, [&](app::ReadTx& tx) { return tx.tickets().GetTicketStats(desk.clock.Now()); });
    if (!stats) return out;
    out.push_back({{{"criticality", "normal"}}, static_cast<double>(stats->open_normal)});
    out.push_back({{{"criticality", "important"}}, static_cast<double>(stats->open_important)});
    out.push_back({{{"criticality", "critical"}}, static_cast<double>(stats->open_critical)});
    return out;
  });
  metrics.AddGauge("soporte_sla_breaches", "Tickets whose response promise is broken", [&desk] {
    std::vector<http::Metrics::GaugeSample> out;
    auto stats = app::ReadValue(*desk.store, [&](app::ReadTx& tx) { return tx.tickets().GetTicketStats(desk.clock.Now()); });
    if (!stats) return out;
    out.push_back({{{"scope", "open"}}, static_cast<double>(stats->breached_open)});
    out.push_back({{{"scope", "all"}}, static_cast<double>(stats->breached_total)});
    return out;
  });

  // Group commit at work: writes per transaction is the batch size the writer achieves.
  metrics.AddCounter("soporte_store_writes_total", "Write calls and the transactions that committed them, since start",
                   [&desk] {
                     const auto s = desk.store->writer_stats();
                     return std::vector<http::Metrics::GaugeSample>{
                         {{{"unit", "calls"}}, static_cast<double>(s.jobs)},
                         {{{"unit", "transactions"}}, static_cast<double>(s.batches)}};
                   });
  // The WAL kept short off the commit path: checkpoints run by the checkpointer thread, those
  // SQLite refused, and batches that had to wait because the WAL reached its limit.
  metrics.AddCounter("soporte_store_checkpoints_total",
                   "WAL checkpoints since start: run in the background, failed, and waited for by the writer",
                   [&desk] {
                     const auto s = desk.store->writer_stats();
                     return std::vector<http::Metrics::GaugeSample>{
                         {{{"outcome", "run"}}, static_cast<double>(s.checkpoints)},
                         {{{"outcome", "failed"}}, static_cast<double>(s.checkpoint_failures)},
                         {{{"outcome", "writer_waited"}}, static_cast<double>(s.writer_waits)}};
                   });
  metrics.AddGauge("soporte_outbox_mail", "Outgoing mail waiting to be sent, and given up (failed)", [&desk] {
    std::vector<http::Metrics::GaugeSample> out;
    auto counts = desk.outbox_admin->Counts();
    if (!counts) return out;
    out.push_back({{{"state", "pending"}}, static_cast<double>(counts->pending)});
    out.push_back({{{"state", "failed"}}, static_cast<double>(counts->failed)});
    return out;
  });

  transport::api::ApiOptions api_options;
  api_options.attachment_limit = options.attachment_limit_mb * 1024 * 1024;
  api_options.secure_cookies = options.secure_cookies;
  transport::api::ApiContext ctx{db_pool, hash_pool, *desk.auth, *desk.admin, *desk.tickets,
                                 *desk.blobs, metrics, desk.clock, api_options,
                                 [s = sniffer->get()](std::string_view head) { return s->Sniff(head); }};
  ctx.read_pool = &read_pool;
  ctx.point_reads_inline = true;  // the embedded SQLite store (see ApiContext::point_reads_inline)
  ctx.inbound = desk.inbound_desk.get();
  ctx.outbox = desk.outbox_admin.get();
  ctx.profiles = desk.profiles.get();
  ctx.profile_transfer = desk.profile_transfer.get();
  http::Router router;
  transport::api::RegisterApiRoutes(router, ctx);
  transport::api::WebApiDeps web_deps{*desk.event_hub, *desk.sla_view, *desk.settings,
                                       *desk.password_reset};
  transport::api::RegisterWebApiRoutes(router, ctx, web_deps);
  transport::api::RegisterCalendarRoutes(router, ctx, *desk.calendars);
  transport::web::RegisterStaticRoutes(router);

  http::ServerLimits limits;
  http::LogSink access_log;
  std::mutex log_mutex;  // one line at a time on stdout
  if (options.access_log) {
    access_log = [&log_mutex](std::string_view line) {
      std::lock_guard lock(log_mutex);
      std::cout << line << "\n";
    };
  }
  http::HttpServer server(ioc, router, limits, metrics, access_log);
  std::vector<asio::io_context*> spread;
  for (auto& c : session_contexts) spread.push_back(c.get());
  server.SpreadSessions(std::move(spread));
  auto endpoint = server.Listen(listen->host, listen->port);
  if (!endpoint) return Report(endpoint.error());
  const std::string host = endpoint->address().is_v6() ? "[" + endpoint->address().to_string() + "]"
                                                       : endpoint->address().to_string();
  std::cout << "listening on http://" << host << ":" << endpoint->port() << std::endl;

  // The email channel's jobs (outbox delivery, IMAP polling) on their own pool.
  auto mail = MailRuntime::Start(desk, options.mail, ioc, [&log_mutex](const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::cerr << line << std::endl;
  });
  if (!mail) return Report(mail.error());

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) {
      server.Stop();
      desk.event_hub->Shutdown();  // live streams end now, not at their next heartbeat
    }
  });

  std::vector<std::thread> threads;
  for (auto& c : session_contexts) threads.emplace_back([&c] { c->run(); });
  ioc.run();  // returns once stopped: nothing accepts, the mail jobs have ended
  // The sessions finish their current request (Stop) and end; then their threads return.
  session_guards.clear();
  for (auto& t : threads) t.join();
  db_pool.join();
  read_pool.join();
  hash_pool.join();
  std::cout << "stopped" << std::endl;
  return cli::kExitOk;
}

}  // namespace soporte::main
