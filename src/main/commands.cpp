#include "main/commands.hpp"

#include <sodium.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <date/tz.h>

#include "app/accounts/principal.hpp"
#include "main/serve.hpp"
#include "main/wiring.hpp"
#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/cli/exit_codes.hpp"

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

namespace cli = transport::cli;
namespace sla = domain::sla;

std::string RandomPassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 14; ++i) out.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  return out;
}

// Globex's profile as support would have it on file (example.com addresses; the secrets are
// random, sealed like any other): what an agent sees beside Globex's tickets. Only into an
// empty profile, so a second `soporte demo` leaves an edited one alone.
Status DemoProfile(app::ProfileService& profiles, const app::Principal& system) {
  using K = domain::ProfileKind;
  const std::string org = "globex";
  SOPORTE_TRY(current, profiles.Get(system, org));
  if (!current.entries.empty()) return Ok();
  auto add = [&](K kind, std::optional<domain::ProfileEntryId> parent, std::map<std::string, std::string> fields,
                 std::map<std::string, std::optional<std::string>> secrets = {}) -> Result<domain::ProfileEntryId> {
    SOPORTE_TRY(v, profiles.Create(system, org, kind, app::ProfileEntryInput{parent, std::move(fields), std::move(secrets)}));
    return v.entry.id;
  };
  SOPORTE_TRY(dev, add(K::kEnvironment, std::nullopt, {{"kind", "dev"}, {"name", "Laboratorio Bogotá"}}));
  SOPORTE_TRY_STATUS(add(K::kHost, dev, {{"name", "dev01"}, {"address", "dev01.globex.example.com"}, {"port", "8080"}}));
  SOPORTE_TRY_STATUS(add(K::kOsUser, dev, {{"user", "polizas"}}, {{"password", RandomPassword()}}));
  SOPORTE_TRY_STATUS(add(K::kComponentPath, dev, {{"component", "Pólizas"}, {"path", "/opt/globex/polizas"}}));
  SOPORTE_TRY_STATUS(add(K::kStartCommand, dev, {{"component", "Pólizas"}, {"command", "sudo systemctl restart polizas"}}));
  SOPORTE_TRY_STATUS(add(K::kAdminConsole, dev,
                         {{"name", "Consola de pólizas"}, {"url", "https://dev01.globex.example.com:8080/admin"},
                          {"user", "soporte"}},
                         {{"password", RandomPassword()}}));
  SOPORTE_TRY_STATUS(add(K::kTestUser, dev, {{"user", "prueba.polizas"}}, {{"password", RandomPassword()}}));
  SOPORTE_TRY(policies, add(K::kComponent, dev, {{"name", "Pólizas"}, {"version", "3.1.0"}}));
  SOPORTE_TRY_STATUS(add(K::kPatch, policies, {{"name", "3.1.0-hotfix-2"}, {"applied_on", "2026-11-20"}}));
  SOPORTE_TRY_STATUS(add(K::kRemoteAccess, dev,
                         {{"method", "vpn"}, {"address", "vpn.globex.example.com"}, {"user", "soporte"},
                          {"instructions", "Pedir el token a la mesa de ayuda de Globex antes de conectar."}},
                         {{"password", RandomPassword()}}));
  SOPORTE_TRY(prod, add(K::kEnvironment, std::nullopt, {{"kind", "prod"}, {"name", "Centro de datos Bogotá"}}));
  SOPORTE_TRY_STATUS(add(K::kHost, prod, {{"name", "app01"}, {"address", "app01.globex.example.com"}, {"port", "8443"}}));
  SOPORTE_TRY_STATUS(add(K::kComponent, prod, {{"name", "Pólizas"}, {"version", "3.0.4"}}));
  SOPORTE_TRY(boss, add(K::kContact, std::nullopt,
                        {{"name", "Gabriela Jefe"}, {"role", "Gerente de TI"}, {"phone", "+57 601 555 0200"},
                         {"extension", "310"}, {"email", "gabriela@globex.example.com"}}));
  SOPORTE_TRY_STATUS(add(K::kContact, std::nullopt,
                         {{"name", "Germán Operador"}, {"role", "Operador de turno"}, {"phone", "+57 601 555 0201"},
                          {"email", "german@globex.example.com"}, {"reports_to", std::to_string(boss.value())}}));
  return Ok();
}

}  // namespace

int RunDemo(const std::string& data_dir);

void AddDataCommands(CLI::App& app, int& exit_code) {
  // ---- init
  {
    auto* cmd = app.add_subcommand("init", "create a data directory (database, blobs, secret key)");
    auto data = std::make_shared<std::string>();  // lives as long as the callback (the App)
    AddDataOption(cmd, *data);
    cmd->callback([data, &exit_code] {
      if (auto st = InitDataDir(*data); !st) {
        exit_code = Report(st.error());
        return;
      }
      std::cout << "initialised " << *data << "\n";
    });
  }
  // ---- org add
  {
    auto* org = app.add_subcommand("org", "manage customer organisations");
    org->require_subcommand(1);
    auto* cmd = org->add_subcommand("add", "add an organisation");
    struct Opts { std::string data, slug, name; };
    auto o = std::make_shared<Opts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--slug", o->slug, "short name used in URLs: a-z, 0-9, '-'")->required();
    cmd->add_option("--name", o->name, "display name")->required();
    cmd->callback([o, &exit_code] {
      auto desk = OpenDesk(o->data);
      if (!desk) { exit_code = Report(desk.error()); return; }
      auto r = (*desk)->admin->CreateOrg(app::SystemPrincipal(), o->slug, o->name);
      if (!r) { exit_code = Report(r.error()); return; }
      std::cout << r->slug << "\n";
    });
  }
  // ---- contract add
  {
    auto* contract = app.add_subcommand("contract", "manage support contracts");
    contract->require_subcommand(1);
    auto* cmd = contract->add_subcommand("add", "add a contract to an organisation");
    struct Opts { std::string data, org, modality, tz{domain::calendar::kDefaultZone}, from, to; };
    auto o = std::make_shared<Opts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--org", o->org, "organisation slug")->required();
    cmd->add_option("--modality", o->modality, "24x7 or 8x5")->required();
    cmd->add_option("--tz", o->tz, "IANA zone of the contract (default " + std::string(domain::calendar::kDefaultZone) + ")");
    cmd->add_option("--valid-from", o->from, "first day in force, YYYY-MM-DD (default today)");
    cmd->add_option("--valid-to", o->to, "last day in force, YYYY-MM-DD (default open-ended)");
    cmd->callback([o, &exit_code] {
      app::NewContract in;
      auto modality = sla::ParseModality(o->modality);
      if (!modality) {
        std::cerr << "error: --modality must be 24x7 or 8x5 (got '" << o->modality << "')\n";
        exit_code = cli::kExitUsage;
        return;
      }
      in.modality = *modality;
      try {
        (void)date::locate_zone(o->tz);
      } catch (const std::exception&) {
        std::cerr << "error: --tz: unknown time zone '" << o->tz << "'\n";
        exit_code = cli::kExitUsage;
        return;
      }
      in.zone = o->tz;
      if (!o->from.empty()) {
        auto d = transport::api::codec::ParseDate(o->from, "--valid-from");
        if (!d) { exit_code = Report(d.error()); return; }
        in.valid_from = *d;
      }
      if (!o->to.empty()) {
        auto d = transport::api::codec::ParseDate(o->to, "--valid-to");
        if (!d) { exit_code = Report(d.error()); return; }
        in.valid_to = *d;
      }
      auto desk = OpenDesk(o->data);
      if (!desk) { exit_code = Report(desk.error()); return; }
      auto r = (*desk)->admin->CreateContract(app::SystemPrincipal(), o->org, in);
      if (!r) { exit_code = Report(r.error()); return; }
      std::cout << r->id.value() << "\n";
    });
  }
  // ---- user add
  {
    auto* user = app.add_subcommand("user", "manage users");
    user->require_subcommand(1);
    auto* cmd = user->add_subcommand("add", "add a user");
    struct Opts { std::string data, email, name, role, org; bool password_stdin = false, org_admin = false; };
    auto o = std::make_shared<Opts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--email", o->email, "login email")->required();
    cmd->add_option("--name", o->name, "full name")->required();
    cmd->add_option("--role", o->role, "customer, agent, supervisor or admin")->required();
    cmd->add_option("--org", o->org, "organisation slug (customers only)");
    cmd->add_flag("--password-stdin", o->password_stdin, "read the password from standard input");
    cmd->add_flag("--org-admin", o->org_admin, "a customer who administers its organisation's profile");
    cmd->callback([o, &exit_code] {
      app::NewUser in;
      in.org_admin = o->org_admin;
      auto role = domain::ParseRole(o->role);
      if (!role) {
        std::cerr << "error: --role must be customer, agent, supervisor or admin (got '" << o->role << "')\n";
        exit_code = cli::kExitUsage;
        return;
      }
      in.role = *role;
      in.email = o->email;
      in.name = o->name;
      if (!o->org.empty()) in.org_slug = o->org;
      if (o->password_stdin) {
        std::getline(std::cin, in.password);
        if (!in.password.empty() && in.password.back() == '\r') in.password.pop_back();
        if (in.password.empty()) {
          std::cerr << "error: --password-stdin: no password on standard input\n";
          exit_code = cli::kExitUsage;
          return;
        }
      }
      auto desk = OpenDesk(o->data);
      if (!desk) { exit_code = Report(desk.error()); return; }
      auto r = (*desk)->admin->CreateUser(app::SystemPrincipal(), in);
      if (!r) { exit_code = Report(r.error()); return; }
      std::cout << r->id.value() << "\n";
    });
  }
  // ---- user set
  {
    auto* user = app.get_subcommand("user");
    auto* cmd = user->add_subcommand("set", "change a user: organisation administrator, name, mail language, role, active");
    struct Opts { std::string data, email, org_admin, name, lang, role, active; };
    auto o = std::make_shared<Opts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--email", o->email, "the user's login email")->required();
    cmd->add_option("--org-admin", o->org_admin, "true or false: a customer who administers its organisation's profile");
    cmd->add_option("--name", o->name, "full name");
    cmd->add_option("--lang", o->lang, "language of the user's mail: es or en");
    cmd->add_option("--role", o->role, "agent, supervisor or admin (staff only)");
    cmd->add_option("--active", o->active, "true or false: false ends the user's sessions and API tokens");
    cmd->callback([o, cmd, &exit_code] {
      app::UserChange change;
      // A true|false option; prints the usage error and returns false for anything else.
      auto flag = [&](const char* opt, const std::string& text, std::optional<bool>& out) {
        if (cmd->count(opt) == 0) return true;
        if (text == "true" || text == "false") {
          out = text == "true";
          return true;
        }
        std::cerr << "error: " << opt << " must be true or false (got '" << text << "')\n";
        exit_code = cli::kExitUsage;
        return false;
      };
      if (!flag("--org-admin", o->org_admin, change.org_admin) || !flag("--active", o->active, change.active)) return;
      if (cmd->count("--name") != 0) change.name = o->name;
      if (cmd->count("--lang") != 0) {
        if (!domain::IsMailLanguage(o->lang)) {
          std::cerr << "error: --lang must be es or en (got '" << o->lang << "')\n";
          exit_code = cli::kExitUsage;
          return;
        }
        change.lang = o->lang;
      }
      if (cmd->count("--role") != 0) {
        auto role = domain::ParseRole(o->role);
        if (!role) {
          std::cerr << "error: --role must be customer, agent, supervisor or admin (got '" << o->role << "')\n";
          exit_code = cli::kExitUsage;
          return;
        }
        change.role = *role;
      }
      if (change.empty()) {
        std::cerr << "error: nothing to change: give --org-admin, --name, --lang, --role or --active\n";
        exit_code = cli::kExitUsage;
        return;
      }
      auto desk = OpenDesk(o->data);
      if (!desk) { exit_code = Report(desk.error()); return; }
      auto r = (*desk)->admin->UpdateUserByEmail(app::SystemPrincipal(), o->email, change);
      if (!r) { exit_code = Report(r.error()); return; }
      std::cout << r->email << " " << domain::RoleName(r->role) << (r->org_admin ? " org_admin" : "")
                << (r->lang.empty() ? "" : " lang=" + r->lang) << (r->active ? "" : " inactive") << "\n";
    });
  }
  // ---- token create
  {
    auto* token = app.add_subcommand("token", "manage API tokens");
    token->require_subcommand(1);
    auto* cmd = token->add_subcommand("create", "create an API token for a user (printed once)");
    struct Opts { std::string data, email, name = "cli"; };
    auto o = std::make_shared<Opts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--email", o->email, "the user's email")->required();
    cmd->add_option("--name", o->name, "what the token is for");
    cmd->callback([o, &exit_code] {
      auto desk = OpenDesk(o->data);
      if (!desk) { exit_code = Report(desk.error()); return; }
      auto r = (*desk)->auth->CreateApiToken(o->email, o->name);
      if (!r) { exit_code = Report(r.error()); return; }
      std::cout << *r << "\n";
    });
  }
  // ---- demo
  {
    auto* cmd = app.add_subcommand("demo", "load a demo organisation with users and tickets; prints the logins");
    auto data = std::make_shared<std::string>();
    AddDataOption(cmd, *data);
    cmd->callback([data, &exit_code] { exit_code = RunDemo(*data); });
  }
  // ---- serve
  {
    auto* cmd = app.add_subcommand("serve", "run the HTTP server");
    auto o = std::make_shared<ServeOptions>();
    AddDataOption(cmd, o->data_dir);
    cmd->add_option("--listen", o->listen, "HOST:PORT to listen on (port 0 picks a free one)");
    cmd->add_option("--threads", o->io_threads, "io threads (default: number of cores)");
    cmd->add_option("--db-threads", o->db_threads, "storage worker threads");
    cmd->add_flag("--access-log", o->access_log, "log one line per request to standard output");
    cmd->add_option("--attachment-limit-mb", o->attachment_limit_mb, "largest attachment, in MB (default 100)");
    cmd->add_option("--support-email", o->support_email, "support address shown to customers (until an admin stores another in the UI)");
    cmd->add_option("--support-phone", o->support_phone, "support phone line shown to customers (until an admin stores another)");
    cmd->add_option("--portal-url", o->portal_url, "the portal's public URL, base of mailed links (until an admin stores another)");
    cmd->add_option("--support-hours-es", o->support_hours_es, "support hours text shown in Spanish");
    cmd->add_option("--support-hours-en", o->support_hours_en, "support hours text shown in English");
    cmd->add_flag("--secure-cookies", o->secure_cookies,
                  "mark the session cookie Secure: browsers send it over HTTPS only (serve behind a TLS proxy)");
    cmd->add_flag("--fast-password-hashing", o->fast_password_hashing,
                  "use the minimum argon2id cost (tests only; never in production)");
    cmd->add_option("--secret-key", o->secret_key, "key file sealing the profiles' secrets (default DATA/secret.key)");
    cmd->add_option("--intake-rules", o->intake_rules, "JSON file: which intake items to ask for, by ticket type and criticality");
    cmd->add_option("--mail-from", o->mail.mail_from, "the support address mail is sent from (default soporte@example.com)");
    cmd->add_option("--smtp-url", o->mail.smtp_url, "deliver the outbox through this SMTP server, smtp://HOST:PORT");
    cmd->add_option("--outbox-give-up-hours", o->mail.outbox_give_up_hours,
                    "mark outgoing mail failed after failing this long (default 72)");
    cmd->add_option("--imap-url", o->mail.imap_urls, "poll this mailbox, imap://USER:PASS@HOST:PORT/INBOX (repeatable)");
    cmd->add_option("--imap-poll-seconds", o->mail.imap_poll_seconds, "seconds between IMAP polls (default 30)");
    cmd->callback([o, &exit_code] { exit_code = Serve(*o); });
  }
}

int RunDemo(const std::string& data_dir) {
  if (auto st = InitDataDir(data_dir); !st) return Report(st.error());
  auto opened = OpenDesk(data_dir);
  if (!opened) return Report(opened.error());
  Desk& desk = **opened;
  const app::Principal system = app::SystemPrincipal();

  // Organisations and contracts (idempotent: what exists is kept).
  struct DemoOrg { const char* slug; const char* name; };
  for (DemoOrg o : {DemoOrg{"acme", "ACME Logística S.A.S."}, DemoOrg{"globex", "Globex Seguros"}}) {
    auto r = desk.admin->CreateOrg(system, o.slug, o.name);
    if (!r && r.error().code != ErrorCode::kAlreadyExists) return Report(r.error());
    if (r) {
      app::NewContract c;
      c.modality = std::string(o.slug) == "acme" ? sla::Modality::k24x7 : sla::Modality::k8x5;
      if (auto rc = desk.admin->CreateContract(system, o.slug, c); !rc) return Report(rc.error());
      if (std::string(o.slug) == "acme") {
        app::NewContract c2;  // ACME also holds an 8x5 contract for its non-production systems
        c2.modality = sla::Modality::k8x5;
        if (auto rc = desk.admin->CreateContract(system, o.slug, c2); !rc) return Report(rc.error());
      }
    }
  }

  struct DemoUser { const char* email; const char* name; domain::Role role; const char* org; };
  const DemoUser users[] = {
      {"admin@example.com", "Ana Administradora", domain::Role::kAdmin, nullptr},
      {"supervisor@example.com", "Sergio Supervisor", domain::Role::kSupervisor, nullptr},
      {"agente@example.com", "Andrea Agente", domain::Role::kAgent, nullptr},
      {"cliente@acme.example.com", "Carlos Cliente", domain::Role::kCustomer, "acme"},
      {"cliente@globex.example.com", "Gloria Cliente", domain::Role::kCustomer, "globex"},
  };
  std::cout << "Demo logins (passwords are new each time `soporte demo` runs):\n";
  for (const auto& u : users) {
    const std::string password = RandomPassword();
    app::NewUser in{u.email, u.name, u.role,
                    u.org ? std::optional<std::string>(u.org) : std::nullopt, password};
    auto r = desk.admin->CreateUser(system, in);
    if (!r) {
      if (r.error().code != ErrorCode::kAlreadyExists) return Report(r.error());
      if (auto st = desk.admin->SetPassword(system, u.email, password); !st) return Report(st.error());
    }
    std::cout << "  " << domain::RoleName(u.role) << "\t" << u.email << "\t" << password << "\n";
  }

  // A few tickets, once.
  auto existing = desk.tickets->List(system, app::TicketListQuery{});
  if (!existing) return Report(existing.error());
  if (existing->tickets.empty()) {
    struct DemoTicket { const char* org; const char* requester; sla::Criticality crit; sla::Channel channel;
                        domain::Environment env; const char* subject; const char* description; };
    const DemoTicket tickets[] = {
        {"acme", "cliente@acme.example.com", sla::Criticality::kCritical, sla::Channel::kPhone,
         domain::Environment::kProd, "Caída del servicio de facturación en Producción",
         "Desde las 07:40 el módulo de facturación responde 502.\nPasos: ingresar al portal, "
         "abrir Facturación, generar factura.\nLogs: adjuntos.\nCambios recientes: parche 4.2.1 aplicado anoche."},
        {"acme", "cliente@acme.example.com", sla::Criticality::kImportant, sla::Channel::kPortal,
         domain::Environment::kQa, "Lentitud en reportes de QA",
         "Los reportes mensuales tardan 3 minutos en QA (antes 20 s)."},
        {"globex", "cliente@globex.example.com", sla::Criticality::kNormal, sla::Channel::kEmail,
         domain::Environment::kDev, "Solicitud de usuario de pruebas",
         "Necesitamos un usuario de pruebas adicional en Desarrollo."},
    };
    for (const auto& t : tickets) {
      app::NewTicket in;
      in.org_slug = t.org;
      in.requester_email = t.requester;
      in.criticality = t.crit;
      in.channel = t.channel;
      in.environment = t.env;
      in.subject = t.subject;
      in.description = t.description;
      in.type = t.crit == sla::Criticality::kNormal ? domain::TicketType::kRequest : domain::TicketType::kIncident;
      auto r = desk.tickets->Create(system, in);
      if (!r) return Report(r.error());
    }
  }
  if (auto st = DemoProfile(*desk.profiles, system); !st) return Report(st.error());
  std::cout << "Demo organisations: acme (24x7 and 8x5 contracts), globex (8x5, with its support profile)\n";
  return cli::kExitOk;
}

}  // namespace soporte::main
