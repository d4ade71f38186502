// `soporte demo`: a demo desk to look around in — two organisations with contracts, one login
// per role (new passwords each run), a few tickets and Globex's support profile. Idempotent:
// what exists is kept.
#include <sodium.h>

#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "app/accounts/principal.hpp"
#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "transport/cli/exit_codes.hpp"

namespace soporte::main {
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
  auto add = [&](K kind, std::optional<domain::ProfileEntryId> parent,
                 std::map<std::string, std::string> fields,
                 std::map<std::string, std::optional<std::string>> secrets = {})
      -> Result<domain::ProfileEntryId> {
    SOPORTE_TRY(
        v, profiles.Create(system, org, kind,
                           app::ProfileEntryInput{parent, std::move(fields), std::move(secrets)}));
    return v.entry.id;
  };
  SOPORTE_TRY(
      dev, add(K::kEnvironment, std::nullopt, {{"kind", "dev"}, {"name", "Laboratorio Bogotá"}}));
  SOPORTE_TRY_STATUS(
      add(K::kHost, dev,
          {{"name", "dev01"}, {"address", "dev01.globex.example.com"}, {"port", "8080"}}));
  SOPORTE_TRY_STATUS(add(K::kOsUser, dev, {{"user", "polizas"}}, {{"password", RandomPassword()}}));
  SOPORTE_TRY_STATUS(
      add(K::kComponentPath, dev, {{"component", "Pólizas"}, {"path", "/opt/globex/polizas"}}));
  SOPORTE_TRY_STATUS(
      add(K::kStartCommand, dev,
          {{"component", "Pólizas"}, {"command", "sudo systemctl restart polizas"}}));
  SOPORTE_TRY_STATUS(add(K::kAdminConsole, dev,
                         {{"name", "Consola de pólizas"},
                          {"url", "https://dev01.globex.example.com:8080/admin"},
                          {"user", "soporte"}},
                         {{"password", RandomPassword()}}));
  SOPORTE_TRY_STATUS(
      add(K::kTestUser, dev, {{"user", "prueba.polizas"}}, {{"password", RandomPassword()}}));
  SOPORTE_TRY(policies, add(K::kComponent, dev, {{"name", "Pólizas"}, {"version", "3.1.0"}}));
  SOPORTE_TRY_STATUS(
      add(K::kPatch, policies, {{"name", "3.1.0-hotfix-2"}, {"applied_on", "2026-11-20"}}));
  SOPORTE_TRY_STATUS(
      add(K::kRemoteAccess, dev,
          {{"method", "vpn"},
           {"address", "vpn.globex.example.com"},
           {"user", "soporte"},
           {"instructions", "Pedir el token a la mesa de ayuda de Globex antes de conectar."}},
          {{"password", RandomPassword()}}));
  SOPORTE_TRY(prod, add(K::kEnvironment, std::nullopt,
                        {{"kind", "prod"}, {"name", "Centro de datos Bogotá"}}));
  SOPORTE_TRY_STATUS(
      add(K::kHost, prod,
          {{"name", "app01"}, {"address", "app01.globex.example.com"}, {"port", "8443"}}));
  SOPORTE_TRY_STATUS(add(K::kComponent, prod, {{"name", "Pólizas"}, {"version", "3.0.4"}}));
  SOPORTE_TRY(boss, add(K::kContact, std::nullopt,
                        {{"name", "Gabriela Jefe"},
                         {"role", "Gerente de TI"},
                         {"phone", "+57 601 555 0200"},
                         {"extension", "310"},
                         {"email", "gabriela@globex.example.com"}}));
  SOPORTE_TRY_STATUS(add(K::kContact, std::nullopt,
                         {{"name", "Germán Operador"},
                          {"role", "Operador de turno"},
                          {"phone", "+57 601 555 0201"},
                          {"email", "german@globex.example.com"},
                          {"reports_to", std::to_string(boss.value())}}));
  return Ok();
}

// The demo organisations and their contracts (idempotent: what exists is kept).
Status DemoOrganisations(Desk& desk, const app::Principal& system) {
  struct DemoOrg {
    const char* slug;
    const char* name;
  };
  for (DemoOrg o :
       {DemoOrg{"acme", "ACME Logística S.A.S."}, DemoOrg{"globex", "Globex Seguros"}}) {
    auto r = desk.admin->CreateOrg(system, o.slug, o.name);
    if (!r && r.error().code != ErrorCode::kAlreadyExists) return tl::make_unexpected(r.error());
    if (r) {
      app::NewContract c;
      c.modality = std::string(o.slug) == "acme" ? sla::Modality::k24x7 : sla::Modality::k8x5;
      if (auto rc = desk.admin->CreateContract(system, o.slug, c); !rc)
        return tl::make_unexpected(rc.error());
      if (std::string(o.slug) == "acme") {
        app::NewContract c2;  // ACME also holds an 8x5 contract for its non-production systems
        c2.modality = sla::Modality::k8x5;
        if (auto rc = desk.admin->CreateContract(system, o.slug, c2); !rc)
          return tl::make_unexpected(rc.error());
      }
    }
  }
  return Ok();
}

// The demo logins, each with a new random password (an existing user gets the new one), printed.
Status DemoLogins(Desk& desk, const app::Principal& system) {
  struct DemoUser {
    const char* email;
    const char* name;
    domain::Role role;
    const char* org;
  };
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
      if (r.error().code != ErrorCode::kAlreadyExists) return tl::make_unexpected(r.error());
      if (auto st = desk.admin->SetPassword(system, u.email, password); !st)
        return tl::make_unexpected(st.error());
    }
    std::cout << "  " << domain::RoleName(u.role) << "\t" << u.email << "\t" << password << "\n";
  }
  return Ok();
}

// A few tickets, only into a desk that has none.
Status DemoTickets(Desk& desk, const app::Principal& system) {
  auto existing = desk.tickets->List(system, app::TicketListQuery{});
  if (!existing) return tl::make_unexpected(existing.error());
  if (existing->tickets.empty()) {
    struct DemoTicket {
      const char* org;
      const char* requester;
      sla::Criticality crit;
      sla::Channel channel;
      domain::Environment env;
      const char* subject;
      const char* description;
    };
    const DemoTicket tickets[] = {
        {"acme", "cliente@acme.example.com", sla::Criticality::kCritical, sla::Channel::kPhone,
         domain::Environment::kProd, "Caída del servicio de facturación en Producción",
         "Desde las 07:40 el módulo de facturación responde 502.\nPasos: ingresar al portal, "
         "abrir Facturación, generar factura.\nLogs: adjuntos.\nCambios recientes: parche 4.2.1 "
         "aplicado anoche."},
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
      in.type = t.crit == sla::Criticality::kNormal ? domain::TicketType::kRequest
                                                    : domain::TicketType::kIncident;
      auto r = desk.tickets->Create(system, in);
      if (!r) return tl::make_unexpected(r.error());
    }
  }
  return Ok();
}

}  // namespace

int RunDemo(const std::string& data_dir) {
  if (auto st = InitDataDir(data_dir); !st) return Report(st.error());
  auto opened = OpenDesk(data_dir);
  if (!opened) return Report(opened.error());
  Desk& desk = **opened;
  const app::Principal system = app::SystemPrincipal();
  if (auto st = DemoOrganisations(desk, system); !st) return Report(st.error());
  if (auto st = DemoLogins(desk, system); !st) return Report(st.error());
  if (auto st = DemoTickets(desk, system); !st) return Report(st.error());
  if (auto st = DemoProfile(*desk.profiles, system); !st) return Report(st.error());
  std::cout << "Demo organisations: acme (24x7 and 8x5 contracts), globex (8x5, with its support "
               "profile)\n";
  return cli::kExitOk;
}

}  // namespace soporte::main
