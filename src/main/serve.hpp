// `soporte serve`: opens the data directory, builds the HTTP server with the API routes, prints
// "listening on http://HOST:PORT" and runs until SIGINT or SIGTERM (graceful stop).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "main/mail_serve.hpp"
#include "main/webhook_serve.hpp"

namespace soporte::main {

struct ServeOptions {
  std::string
      config_file;  // --config: the TOML file the options were completed from (config_file.hpp)
  std::string data_dir;
  // --store: "" or "sqlite" (DATA/soporte.db) or postgresql://… (main/wiring.hpp CheckStoreChoice).
  std::string store;
  // --backup-before-migrate (default on): copy the database before applying pending migrations.
  bool backup_before_migrate = true;
  std::string listen = "127.0.0.1:8080";
  int io_threads = 0;   // 0: the number of cores
  int db_threads = 32;  // blocking storage calls; many, so concurrent writes share a commit
  // --max-connections: connections open at once in all (chat WebSockets, event streams and
  // requests); past it a new connection is closed at once. Enough for 10,000 idle chat
  // connections on one node with room for the console and the API (issue 13, part 5).
  std::int64_t max_connections = 16384;
  // --max-connections-per-address: connections from one client address (a --trusted-proxy is
  // exempt); past it only that address is refused, so one client never shuts out the others.
  std::int64_t max_connections_per_address = 256;
  bool access_log = false;
  std::string log_format = "text";  // --log-format: text (logfmt) or json (main/log.hpp)
  std::string log_level = "info";   // --log-level: debug, info, warning or error
  // --print-routes: print the route table the server would serve ("METHOD PATTERN NAME" a line,
  // in registration order) and exit without listening; docs/openapi.yaml is checked against it.
  bool print_routes = false;
  std::int64_t attachment_limit_mb = 100;
  bool fast_password_hashing = false;
  bool secure_cookies = false;  // --secure-cookies: the session cookie only over HTTPS (a TLS proxy in front)
  std::string secret_key;  // --secret-key: the key file (default DATA/secret.key)
  std::string metrics_token_file;  // --metrics-token: file holding the Bearer token of /metrics
  // --trusted-proxy: addresses or CIDR networks whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  std::string intake_rules;  // --intake-rules: JSON rules of the intake checklist (default: the protocol's)
  int sla_watch_seconds = 30;    // --sla-watch-interval: seconds between SLA watch runs (>= 1)
  int sla_warning_percent = 75;  // --sla-warning-percent: the warning's share of the target (1..99)
  MailServeOptions mail;  // --mail-from, --smtp-url, --imap-url, --imap-poll-seconds
  WebhookServeOptions webhook;  // --webhook-interval, --webhook-allow-private, retries
  // The vendor's contact settings shown to customers (GET /api/v1/settings); empty: not shown.
  std::string support_email;
  std::string support_phone;
  std::string portal_url;
  std::string support_hours_es;
  std::string support_hours_en;
  // Paging: the SMS/voice gateway command (empty: mail only), how long a page waits for an
  // acknowledgement before it escalates, how often the paging job looks, the command's timeout.
  std::string page_command;
  double page_escalate_minutes = 15;
  int page_interval_seconds = 5;
  int page_command_timeout_seconds = 30;
  int page_retry_seconds = 30;  // a failed page command is retried after this, doubling to 10 min
  // Live chat: the sites allowed to open chats (--chat-origins), the wait that alerts the agents
  // on shift (0: never) and the cap on chats waiting at once.
  std::vector<std::string> chat_origins;
  std::int64_t chat_wait_alert_seconds = 120;
  std::int64_t chat_max_waiting = 50;
  std::int64_t chat_max_waiting_per_address = 3;
  std::int64_t chat_abandon_seconds = 600;
  std::int64_t chat_abandon_check_seconds = 15;  // how often the abandon and session jobs run
};

// Runs the server; returns the process exit status (2 for a bad --listen, 75 when the port is
// taken or storage is unavailable).
int Serve(const ServeOptions& options);

}  // namespace soporte::main
