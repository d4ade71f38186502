#include "main/serve_steps.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <thread>

#include <boost/asio/ip/address.hpp>

#include "main/log.hpp"

namespace soporte::main {

Status CheckServeOptions(const ServeOptions& options) {
  SOPORTE_TRY_STATUS(CheckStoreChoice(options.store));
  if (options.attachment_limit_mb < 1)
    return Fail(ErrorCode::kInvalidArgument, "--attachment-limit-mb must be at least 1");
  SOPORTE_TRY_STATUS(ServerLimitsOf(options));
  if (!(options.page_escalate_minutes > 0) || options.page_escalate_minutes > 24 * 60)
    return Fail(ErrorCode::kInvalidArgument,
                "--page-escalate-minutes must be more than 0 and at most 1440");
  if (options.page_interval_seconds < 1)
    return Fail(ErrorCode::kInvalidArgument, "--page-interval-seconds must be at least 1");
  if (options.page_retry_seconds < 1)
    return Fail(ErrorCode::kInvalidArgument, "--page-retry-seconds must be at least 1");
  if (options.page_command_timeout_seconds < 1)
    return Fail(ErrorCode::kInvalidArgument, "--page-command-timeout-seconds must be at least 1");
  if (options.sla_watch_seconds < 1)
    return Fail(ErrorCode::kInvalidArgument, "--sla-watch-interval must be at least 1 (seconds)");
  if (options.sla_warning_percent < 1 || options.sla_warning_percent > 99)
    return Fail(ErrorCode::kInvalidArgument, "--sla-warning-percent must be between 1 and 99");
  SOPORTE_TRY_STATUS(LogOptionsOf(options.log_format, options.log_level));
  return Ok();
}

Result<transport::http::ServerLimits> ServerLimitsOf(const ServeOptions& options) {
  transport::http::ServerLimits limits;
  if (options.max_connections < 1 || options.max_connections > kMaxConnectionsCeiling) {
    return Fail(ErrorCode::kInvalidArgument, "--max-connections must be between 1 and " +
                                                 std::to_string(kMaxConnectionsCeiling) + ", not " +
                                                 std::to_string(options.max_connections));
  }
  if (options.max_connections_per_address < 1 ||
      options.max_connections_per_address > options.max_connections) {
    return Fail(ErrorCode::kInvalidArgument,
                "--max-connections-per-address must be between 1 and --max-connections (" +
                    std::to_string(options.max_connections) + "), not " +
                    std::to_string(options.max_connections_per_address));
  }
  limits.max_connections = static_cast<std::size_t>(options.max_connections);
  limits.max_connections_per_address =
      static_cast<std::size_t>(options.max_connections_per_address);
  auto trusted = transport::http::TrustedProxies::Parse(options.trusted_proxies);
  if (!trusted) {
    return Fail(ErrorCode::kInvalidArgument, "--trusted-proxy: " + trusted.error().message);
  }
  limits.trusted_proxies = std::move(*trusted);
  return limits;
}

FileLimitPlan PlanFileLimit(std::uint64_t soft, std::uint64_t hard, std::int64_t max_connections) {
  FileLimitPlan plan;
  plan.needed = static_cast<std::uint64_t>(std::max<std::int64_t>(0, max_connections)) +
                kFilesBesideConnections;
  // The soft limit up to the hard one, as Go does at start: a limit an administrator set is the
  // one meant. An unlimited hard limit (RLIM_INFINITY) is not a value setrlimit takes for it.
  const bool unlimited = hard == std::numeric_limits<std::uint64_t>::max();
  // Already at the hard limit: nothing to raise (the log said "raised from 64 to 64").
  if (soft < plan.needed && soft < hard) plan.raise_soft_to = unlimited ? plan.needed : hard;
  if (hard < plan.needed) {
    plan.warning =
        "the open-files limit (RLIMIT_NOFILE) is " + std::to_string(hard) +
        " at most, but --max-connections " + std::to_string(max_connections) + " needs " +
        std::to_string(plan.needed) + " (" + std::to_string(kFilesBesideConnections) +
        " beside the connections): connections past about " +
        std::to_string(hard > kFilesBesideConnections ? hard - kFilesBesideConnections : 0) +
        " will fail to open (too many open files); raise the hard limit (LimitNOFILE= in the "
        "systemd unit, "
        "ulimit -Hn) or lower --max-connections";
  }
  return plan;
}

DeskOptions DeskOptionsOf(const ServeOptions& options) {
  DeskOptions desk_options{options.fast_password_hashing};
  desk_options.mail_from = options.mail.mail_from;
  desk_options.mail_auth_serv_id = options.mail.mail_auth_serv_id;
  desk_options.contact = {options.support_email, options.support_phone, options.portal_url,
                          options.support_hours_es, options.support_hours_en};
  desk_options.secret_key_path = options.secret_key;
  desk_options.refresh_statistics = true;
  desk_options.paging.escalate_after = Seconds{
      std::max<std::int64_t>(1, static_cast<std::int64_t>(options.page_escalate_minutes * 60))};
  desk_options.paging.gateway = !options.page_command.empty();
  desk_options.paging.first_retry = Seconds{options.page_retry_seconds};
  desk_options.paging.lease = Seconds{options.page_command_timeout_seconds * 2 + 30};
  desk_options.webhook_allow_private = options.webhook.allow_private;
  desk_options.sla_warning_percent = options.sla_warning_percent;
  desk_options.chat.wait_alert =
      Seconds{std::max<std::int64_t>(0, options.chat_wait_alert_seconds)};
  desk_options.chat.max_waiting = std::max<std::int64_t>(1, options.chat_max_waiting);
  desk_options.chat.max_waiting_per_address =
      std::max<std::int64_t>(1, options.chat_max_waiting_per_address);
  desk_options.chat.abandon_after =
      Seconds{std::max<std::int64_t>(0, options.chat_abandon_seconds)};
  desk_options.store = options.store;
  desk_options.postgres = PostgresOptionsOf(options, std::thread::hardware_concurrency());
  desk_options.relay_live_events = true;  // on PostgreSQL: other nodes may serve the desk
  return desk_options;
}

int IoThreadsOf(const ServeOptions& options, unsigned cores) {
  return options.io_threads > 0 ? options.io_threads : static_cast<int>(std::max(1u, cores));
}

storage::PostgresOptions PostgresOptionsOf(const ServeOptions& options, unsigned cores) {
  storage::PostgresOptions pg;
  const int wanted = 2 * IoThreadsOf(options, cores) + 2;
  pg.max_connections = std::max(1, std::min({wanted, options.db_threads, 64}));
  return pg;
}

transport::api::ApiOptions ApiOptionsOf(const ServeOptions& options) {
  transport::api::ApiOptions api_options;
  api_options.attachment_limit = options.attachment_limit_mb * 1024 * 1024;
  api_options.secure_cookies = options.secure_cookies;
  return api_options;
}

bool IsLoopbackHost(const std::string& host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return address.to_v6().to_v4().is_loopback();
  }
  return address.is_loopback();
}

Result<std::string> MetricsTokenOf(const std::string& text) {
  std::string token = text.substr(0, text.find('\n'));
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  std::size_t start = 0;
  while (start < token.size() && std::isspace(static_cast<unsigned char>(token[start]))) ++start;
  token.erase(0, start);
  if (token.size() < 16) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "--metrics-token: the token (the file's first line) must have at least 16 characters");
  }
  return token;
}

std::string ListenUrl(const boost::asio::ip::tcp::endpoint& endpoint) {
  // Appended piece by piece: `"[" + std::string&&` inlines basic_string::insert, where GCC 12
  // at -O2 reports an impossible overlap (-Wrestrict, GCC PR 105329).
  std::string url = "http://";
  const bool v6 = endpoint.address().is_v6();
  if (v6) url += '[';
  url += endpoint.address().to_string();
  if (v6) url += ']';
  url += ':';
  url += std::to_string(endpoint.port());
  return url;
}

}  // namespace soporte::main
