#include "main/commands.hpp"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/accounts/principal.hpp"
#include "domain/calendar/zones.hpp"
#include "main/command_options.hpp"
#include "main/config_file.hpp"
#include "main/listen_address.hpp"
#include "main/serve.hpp"
#include "main/serve_steps.hpp"
#include "main/wiring.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::main {

int Report(const Error& e) {
  std::cerr << "error: " << e.message << "\n";
  return transport::cli::ExitCodeFor(e.code);
}

void AddDataOption(CLI::App* cmd, std::string& data) {
  const char* env = std::getenv("SOPORTE_DATA");
  if (env != nullptr) data = env;
  auto* opt = cmd->add_option("--data", data, "data directory (or SOPORTE_DATA)");
  if (env == nullptr) opt->required();
}

namespace {

// The value of `option` on `cmd` when it was given, else nullopt.
std::optional<std::string> Given(CLI::App* cmd, const char* option, const std::string& value) {
  if (cmd->count(option) == 0) return std::nullopt;
  return value;
}

// Opens the desk at `data`, runs `act(desk)` and, when it succeeds, prints its result with
// `print`. Returns kExitOk, or Report's exit code for the first error (opening or acting).
template <class Act, class Print>
int RunOnDesk(const std::string& data, Act&& act, Print&& print) {
  auto desk = OpenDesk(data);
  if (!desk) return Report(desk.error());
  auto r = act(**desk);
  if (!r) return Report(r.error());
  print(*r);
  return transport::cli::kExitOk;
}

// ---- init
void AddInitCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("init", "create a data directory (database, blobs, secret key)");
  auto data = std::make_shared<std::string>();  // lives as long as the callback (the App)
  auto store = std::make_shared<std::string>();
  AddDataOption(cmd, *data);
  if (const char* env = std::getenv("SOPORTE_STORE"); env != nullptr) *store = env;
  cmd->add_option("--store", *store,
                  "sqlite (default: DATA/soporte.db) or postgresql://USER@HOST:PORT/DATABASE "
                  "(or SOPORTE_STORE): where the schema is created");
  cmd->callback([data, store, &exit_code] {
    if (auto st = InitDataDir(*data, *store); !st) {
      exit_code = Report(st.error());
      return;
    }
    std::cout << "initialised " << *data << "\n";
  });
}

// ---- org add
void AddOrgCommand(CLI::App& app, int& exit_code) {
  auto* org = app.add_subcommand("org", "manage customer organisations");
  org->require_subcommand(1);
  auto* cmd = org->add_subcommand("add", "add an organisation");
  struct Opts {
    std::string data, slug, name;
  };
  auto o = std::make_shared<Opts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--slug", o->slug, "short name used in URLs: a-z, 0-9, '-'")->required();
  cmd->add_option("--name", o->name, "display name")->required();
  cmd->callback([o, &exit_code] {
    exit_code = RunOnDesk(
        o->data,
        [&](Desk& desk) { return desk.admin->CreateOrg(app::SystemPrincipal(), o->slug, o->name); },
        [](const auto& r) { std::cout << r.slug << "\n"; });
  });
}

// ---- contract add
void AddContractCommand(CLI::App& app, int& exit_code) {
  auto* contract = app.add_subcommand("contract", "manage support contracts");
  contract->require_subcommand(1);
  auto* cmd = contract->add_subcommand("add", "add a contract to an organisation");
  struct Opts {
    std::string data, org;
    ContractOptions contract;
  };
  auto o = std::make_shared<Opts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--org", o->org, "organisation slug")->required();
  cmd->add_option("--modality", o->contract.modality, "24x7 or 8x5")->required();
  cmd->add_option(
      "--tz", o->contract.tz,
      "IANA zone of the contract (default " + std::string(domain::calendar::kDefaultZone) + ")");
  cmd->add_option("--valid-from", o->contract.from,
                  "first day in force, YYYY-MM-DD (default today)");
  cmd->add_option("--valid-to", o->contract.to,
                  "last day in force, YYYY-MM-DD (default open-ended)");
  cmd->callback([o, &exit_code] {
    auto in = ContractOf(o->contract);
    if (!in) {
      exit_code = Report(in.error());
      return;
    }
    exit_code = RunOnDesk(
        o->data,
        [&](Desk& desk) { return desk.admin->CreateContract(app::SystemPrincipal(), o->org, *in); },
        [](const auto& r) { std::cout << r.id.value() << "\n"; });
  });
}

// ---- user add
void AddUserAddCommand(CLI::App& app, int& exit_code) {
  auto* user = app.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* cmd = user->add_subcommand("add", "add a user");
  struct Opts {
    std::string data;
    UserAddOptions user;
  };
  auto o = std::make_shared<Opts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--email", o->user.email, "login email")->required();
  cmd->add_option("--name", o->user.name, "full name")->required();
  cmd->add_option("--role", o->user.role, "customer, agent, supervisor or admin")->required();
  cmd->add_option("--org", o->user.org, "organisation slug (customers only)");
  cmd->add_flag("--password-stdin", o->user.password_stdin,
                "read the password from standard input");
  cmd->add_flag("--org-admin", o->user.org_admin,
                "a customer who administers its organisation's profile");
  cmd->callback([o, &exit_code] {
    auto in = NewUserOf(o->user, std::cin);
    if (!in) {
      exit_code = Report(in.error());
      return;
    }
    exit_code = RunOnDesk(
        o->data, [&](Desk& desk) { return desk.admin->CreateUser(app::SystemPrincipal(), *in); },
        [](const auto& r) { std::cout << r.id.value() << "\n"; });
  });
}

// ---- user set (after user add, which creates the "user" command)
void AddUserSetCommand(CLI::App& app, int& exit_code) {
  auto* user = app.get_subcommand("user");
  auto* cmd = user->add_subcommand(
      "set", "change a user: organisation administrator, name, mail language, role, active");
  struct Opts {
    std::string data, email, org_admin, name, lang, role, active;
  };
  auto o = std::make_shared<Opts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--email", o->email, "the user's login email")->required();
  cmd->add_option("--org-admin", o->org_admin,
                  "true or false: a customer who administers its organisation's profile");
  cmd->add_option("--name", o->name, "full name");
  cmd->add_option("--lang", o->lang, "language of the user's mail: es or en");
  cmd->add_option("--role", o->role, "agent, supervisor or admin (staff only)");
  cmd->add_option("--active", o->active,
                  "true or false: false ends the user's sessions and API tokens");
  cmd->callback([o, cmd, &exit_code] {
    auto change = UserChangeOf(
        UserSetOptions{Given(cmd, "--org-admin", o->org_admin), Given(cmd, "--name", o->name),
                       Given(cmd, "--lang", o->lang), Given(cmd, "--role", o->role),
                       Given(cmd, "--active", o->active)});
    if (!change) {
      exit_code = Report(change.error());
      return;
    }
    exit_code = RunOnDesk(
        o->data,
        [&](Desk& desk) {
          return desk.admin->UpdateUserByEmail(app::SystemPrincipal(), o->email, *change);
        },
        [](const auto& r) {
          std::cout << r.email << " " << domain::RoleName(r.role)
                    << (r.org_admin ? " org_admin" : "")
                    << (r.lang.empty() ? "" : " lang=" + r.lang) << (r.active ? "" : " inactive")
                    << "\n";
        });
  });
}

// ---- token create
void AddTokenCommand(CLI::App& app, int& exit_code) {
  auto* token = app.add_subcommand("token", "manage API tokens");
  token->require_subcommand(1);
  auto* cmd = token->add_subcommand("create", "create an API token for a user (printed once)");
  struct Opts {
    std::string data, email, name = "cli";
  };
  auto o = std::make_shared<Opts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--email", o->email, "the user's email")->required();
  cmd->add_option("--name", o->name, "what the token is for");
  cmd->callback([o, &exit_code] {
    exit_code = RunOnDesk(
        o->data, [&](Desk& desk) { return desk.auth->CreateApiToken(o->email, o->name); },
        [](const auto& r) { std::cout << r << "\n"; });
  });

  auto* list = token->add_subcommand(
      "list", "list a user's API tokens: id, name, created, first used (never the tokens)");
  auto lo = std::make_shared<Opts>();
  AddDataOption(list, lo->data);
  list->add_option("--email", lo->email, "the user's email")->required();
  list->callback([lo, &exit_code] {
    exit_code = RunOnDesk(
        lo->data, [&](Desk& desk) { return desk.auth->ListApiTokens(lo->email); },
        [](const auto& tokens) {
          const date::time_zone* utc = domain::calendar::ZoneOrUtc("UTC");
          if (tokens.empty()) std::cout << "no API tokens\n";
          for (const auto& t : tokens) {
            std::cout << t.id << "\t" << t.name << "\tcreated "
                      << transport::text::FormatIso8601(t.created_at, utc) << "\t"
                      << (t.first_used_at ? "first used " + transport::text::FormatIso8601(
                                                                *t.first_used_at, utc)
                                          : std::string("never used"))
                      << "\n";
          }
        });
  });

  auto* revoke = token->add_subcommand(
      "revoke", "revoke an API token by its id (see token list); recorded in the audit log");
  struct RevokeOpts {
    std::string data;
    std::int64_t id = 0;
  };
  auto ro = std::make_shared<RevokeOpts>();
  AddDataOption(revoke, ro->data);
  revoke->add_option("--id", ro->id, "the token's id (token list)")
      ->required()
      ->check(CLI::PositiveNumber);
  revoke->callback([ro, &exit_code] {
    exit_code = RunOnDesk(
        ro->data,
        [&](Desk& desk) -> Result<bool> {
          SOPORTE_TRY_STATUS(desk.auth->RevokeApiToken(ro->id));
          return true;
        },
        [&](bool) { std::cout << "revoked API token " << ro->id << "\n"; });
  });
}

// ---- demo
void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "demo", "load a demo organisation with users and tickets; prints the logins");
  auto data = std::make_shared<std::string>();
  AddDataOption(cmd, *data);
  cmd->callback([data, &exit_code] { exit_code = RunDemo(*data); });
}

// ---- serve and config check
// The options of `serve`: the one table the configuration file's keys and the SOPORTE_*
// variables come from (main/config_file.hpp). --data is not required here: it may come from the
// file or SOPORTE_DATA (checked after ApplyConfig).
void AddServeOptions(CLI::App* cmd, ServeOptions& o) {
  cmd->option_defaults()->always_capture_default();  // `config check` prints the defaults
  cmd->add_option("--config", o.config_file,
                  "TOML file with any of these options as keys, dashes as underscores (or "
                  "SOPORTE_CONFIG); the command line, then SOPORTE_<KEY>, win over it")
      ->option_text("FILE");
  cmd->add_option("--data", o.data_dir, "data directory (or SOPORTE_DATA)");
  cmd->add_option("--store", o.store,
                  "sqlite (default: DATA/soporte.db) or postgresql://USER@HOST:PORT/DATABASE (DATA "
                  "then keeps only the secret key and the attachments)");
  cmd->add_flag("--backup-before-migrate,!--no-backup-before-migrate", o.backup_before_migrate,
                "before applying pending schema migrations, copy the database to "
                "DATA/soporte.db.schema-FROM-before-TO (default on)")
      ->default_str("true");  // `config check` prints the default; a flag's is false otherwise
  cmd->add_option("--listen", o.listen, "HOST:PORT to listen on (port 0 picks a free one)");
  cmd->add_option("--threads", o.io_threads, "io threads (default: number of cores)");
  cmd->add_option("--db-threads", o.db_threads, "storage worker threads");
  cmd->add_option("--max-connections", o.max_connections,
                  "connections open at once in all (chat WebSockets, event streams, requests); "
                  "past it a new connection is closed at once (default 16384; the open-files "
                  "limit is raised to fit it at start)");
  cmd->add_option("--max-connections-per-address", o.max_connections_per_address,
                  "connections open at once from one client address (a --trusted-proxy is "
                  "exempt); past it only that address is refused (default 256)");
  cmd->add_flag("--access-log", o.access_log,
                "log one line per request to standard output (method, route, status, duration, "
                "user id, request id, client; never a body, query, token or cookie)");
  cmd->add_option("--log-format", o.log_format,
                  "text (logfmt, for journald) or json (one object a line, with a timestamp)");
  cmd->add_option("--log-level", o.log_level,
                  "least level logged: debug, info, warning or error (default info)");
  cmd->add_flag("--print-routes", o.print_routes,
                "print every route (METHOD PATTERN NAME) and exit without listening");
  cmd->add_option("--attachment-limit-mb", o.attachment_limit_mb,
                  "largest attachment, in MB (default 100)");
  cmd->add_option("--support-email", o.support_email,
                  "support address shown to customers (until an admin stores another in the UI)");
  cmd->add_option("--support-phone", o.support_phone,
                  "support phone line shown to customers (until an admin stores another)");
  cmd->add_option("--portal-url", o.portal_url,
                  "the portal's public URL, base of mailed links (until an admin stores another)");
  cmd->add_option("--support-hours-es", o.support_hours_es, "support hours text shown in Spanish");
  cmd->add_option("--support-hours-en", o.support_hours_en, "support hours text shown in English");
  cmd->add_flag("--secure-cookies", o.secure_cookies,
                "mark the session cookie Secure: browsers send it over HTTPS only (serve behind a "
                "TLS proxy)");
  cmd->add_flag("--fast-password-hashing", o.fast_password_hashing,
                "use the minimum argon2id cost (tests only; never in production)");
  cmd->add_option("--secret-key", o.secret_key,
                  "key file sealing the profiles' secrets (default DATA/secret.key)");
  cmd->add_option("--metrics-token", o.metrics_token_file,
                  "FILE holding the token (its first line, 16+ characters) that GET /metrics asks "
                  "for as 'Authorization: Bearer TOKEN'; a file, so the token is not seen in ps. "
                  "Without it /metrics answers only when --listen is a loopback address")
      ->option_text("FILE");
  cmd->add_option("--trusted-proxy", o.trusted_proxies,
                  "ADDRESS or CIDR of a proxy in front (nginx): its X-Forwarded-For names the "
                  "client for throttles, connection caps and the audit log (repeatable); without "
                  "it X-Forwarded-For is ignored")
      ->option_text("CIDR");
  cmd->add_option("--intake-rules", o.intake_rules,
                  "JSON file: which intake items to ask for, by ticket type and criticality");
  cmd->add_option("--mail-from", o.mail.mail_from,
                  "the support address mail is sent from (default soporte@example.com)");
  cmd->add_option(
      "--mail-auth-serv-id", o.mail.mail_auth_serv_id,
      "trust only the Authentication-Results headers (RFC 8601) of this authserv-id (your MTA's); "
      "mail whose author they do not verify waits unassigned as unverified");
  cmd->add_option("--smtp-url", o.mail.smtp_url,
                  "deliver the outbox through this SMTP server, smtp://HOST:PORT");
  cmd->add_option("--outbox-give-up-hours", o.mail.outbox_give_up_hours,
                  "mark outgoing mail failed after failing this long (default 72)");
  cmd->add_option("--outbox-retention-days", o.mail.outbox_retention_days,
                  "delete delivered mail from the outbox after this many days (default 30); "
                  "pending and failed mail is kept");
  cmd->add_option("--imap-url", o.mail.imap_urls,
                  "poll this mailbox, imap://USER:PASS@HOST:PORT/INBOX (repeatable)");
  cmd->add_option("--imap-poll-seconds", o.mail.imap_poll_seconds,
                  "seconds between IMAP polls (default 30)");
  cmd->add_option("--page-command", o.page_command,
                  "PATH of the SMS/voice gateway command: run once per page with the page as JSON "
                  "on stdin; exit 0 = sent, anything else is retried")
      ->option_text("PATH");
  cmd->add_option("--page-escalate-minutes", o.page_escalate_minutes,
                  "minutes a page waits for an acknowledgement before it escalates (default 15)");
  cmd->add_option("--page-interval-seconds", o.page_interval_seconds,
                  "seconds between runs of the paging job (default 5)");
  cmd->add_option("--page-command-timeout-seconds", o.page_command_timeout_seconds,
                  "a page command running longer is killed and retried (default 30)");
  cmd->add_option("--page-retry-seconds", o.page_retry_seconds,
                  "first retry of a failed page command, doubling up to 10 minutes (default 30)");
  cmd->add_option("--webhook-interval", o.webhook.interval_seconds,
                  "seconds between rounds of webhook delivery (default 5)");
  cmd->add_flag("--webhook-allow-private", o.webhook.allow_private,
                "let webhooks reach loopback, link-local and private addresses (refused by "
                "default: a subscription must not make the server probe its own network)");
  cmd->add_option("--webhook-first-retry-seconds", o.webhook.first_retry_seconds,
                  "wait before a failed webhook delivery's first retry; doubles each time up to "
                  "1 h (default 30)");
  cmd->add_option("--webhook-max-attempts", o.webhook.max_attempts,
                  "attempts before a webhook delivery is marked failed (default 8)");
  cmd->add_option("--chat-origins", o.chat_origins,
                  "ORIGIN of a site allowed to open chats with the widget, e.g. "
                  "https://www.vendor.com (repeatable; the desk's own origin is always allowed; "
                  "every other site's chats and WebSocket upgrades are refused with 403)")
      ->option_text("ORIGIN");
  cmd->add_option("--chat-wait-alert-seconds", o.chat_wait_alert_seconds,
                  "a chat nobody takes within this many seconds alerts the agents on shift "
                  "(default 120; 0: never)");
  cmd->add_option("--chat-max-waiting", o.chat_max_waiting,
                  "chats that may wait for an agent at once; more are refused with 429 "
                  "(default 50)");
  cmd->add_option("--chat-max-waiting-per-address", o.chat_max_waiting_per_address,
                  "chats one client address may have waiting at once; more from that address "
                  "are refused with 429 (reason chat_address_limit) (default 3)");
  cmd->add_option("--chat-abandon-seconds", o.chat_abandon_seconds,
                  "a waiting chat whose visitor has had no connection open this many seconds is "
                  "closed as abandoned (default 600; 0: never)");
  cmd->add_option("--chat-check-interval", o.chat_abandon_check_seconds,
                  "seconds between runs of the chat jobs that close abandoned chats and the "
                  "sockets of ended sessions (default 15)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--sla-watch-interval", o.sla_watch_seconds,
                  "seconds between runs of the SLA watch (default 30)");
  cmd->add_option("--sla-warning-percent", o.sla_warning_percent,
                  "warn when this share of the response target has passed, 1-99 (default 75)");
}

// Completes `o` from the environment and the configuration file and checks every value that
// can be checked before anything is opened; the error names where a bad value was set.
Result<AppliedConfig> Configure(CLI::App* cmd, const ServeOptions& o) {
  SOPORTE_TRY(applied, ApplyConfig(*cmd, ProcessEnvironment()));
  if (o.data_dir.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--data is required (or 'data' in the configuration file, or SOPORTE_DATA)");
  }
  if (auto listen = ParseListen(o.listen); !listen)
    return tl::make_unexpected(Attributed(listen.error(), applied));
  if (auto st = CheckServeOptions(o); !st)
    return tl::make_unexpected(Attributed(st.error(), applied));
  return applied;
}

// Gives `cmd` serve's options; once they are configured (file, environment, command line), the
// exit code is `then(options, applied)`; a configuration that does not apply is reported instead.
template <typename Then>
void OnConfiguredServeOptions(CLI::App* cmd, int& exit_code, Then then) {
  auto o = std::make_shared<ServeOptions>();
  AddServeOptions(cmd, *o);
  cmd->callback([o, cmd, &exit_code, then] {
    auto applied = Configure(cmd, *o);
    exit_code = applied ? then(*o, *applied) : Report(applied.error());
  });
}

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "run the HTTP server");
  OnConfiguredServeOptions(cmd, exit_code,
                           [](const ServeOptions& o, const auto&) { return Serve(o); });
}

void AddConfigCommand(CLI::App& app, int& exit_code) {
  auto* config = app.add_subcommand("config", "check a configuration file");
  config->require_subcommand(1);
  auto* cmd = config->add_subcommand(
      "check",
      "validate the configuration of serve (file, environment, options) and print it, secrets "
      "masked");
  OnConfiguredServeOptions(cmd, exit_code, [cmd](const ServeOptions&, const auto& applied) {
    std::cout << EffectiveConfig(*cmd, applied);
    return 0;
  });
}

}  // namespace

void AddDataCommands(CLI::App& app, int& exit_code) {
  AddInitCommand(app, exit_code);
  AddOrgCommand(app, exit_code);
  AddContractCommand(app, exit_code);
  AddUserAddCommand(app, exit_code);
  AddUserSetCommand(app, exit_code);
  AddTokenCommand(app, exit_code);
  AddDemoCommand(app, exit_code);
  AddServeCommand(app, exit_code);
  AddConfigCommand(app, exit_code);
}

}  // namespace soporte::main
