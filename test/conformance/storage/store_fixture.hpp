// The fixture of the store conformance suite: every test runs against every Store
// implementation (AllBackends: memory, SQLite on a temporary file, and PostgreSQL in a fresh
// schema of the database SOPORTE_PG_URL names, for the ports that store implements), so the
// in-memory fake keeps the semantics of the real thing. One test file per
// repository (org_, account_, ticket_, audit_, mail_, profile_, calendar_, settings_repository),
// each with its own fixture derived from one below and instantiated with
// SOPORTE_ON_EVERY_BACKEND(Fixture); store_transaction_ covers Store itself and sqlite_store_ the
// checks only SQLite has.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string_view>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "app/ports/store.hpp"
#include "common/check.hpp"
#include "storage/memory/memory_store.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace soporte::storage::conformance {

namespace fs = std::filesystem;
namespace sla = domain::sla;
using app::ReadValue;
using app::WriteValue;
using domain::ProfileEntry;
using domain::ProfileEntryId;
using domain::ProfileKind;

inline Instant T(long long s) { return Instant{Seconds{s}}; }
inline constexpr long long kBase = 1'800'000'000;

// A fresh temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "soporte-store-XXXXXX").string();
    SOPORTE_CHECK(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// One Store implementation: its name in test names, and how to open an empty one in `dir`.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<app::Store>(const fs::path& dir)> make;
  // Why this backend cannot run here ("" when it can): its tests are then skipped, saying so.
  std::function<std::string()> missing = [] { return std::string(); };
};

// Names the backend in test output (instead of the object's bytes).
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

inline std::unique_ptr<app::Store> MakeSqlite(const fs::path& dir) {
  auto s = SqliteStore::Open((dir / "soporte.db").string());
  SOPORTE_CHECK(s.has_value());
  return std::move(*s);
}

// The PostgreSQL server of the suite (scripts/postgres.sh prints it), or empty: then the
// PostgreSQL backend's tests are skipped, saying why. (They are always listed, so the list of
// tests does not depend on the environment at build time; CI starts the server after building.)
inline std::string PostgresUrl() {
  const char* url = std::getenv("SOPORTE_PG_URL");
  return url != nullptr ? url : "";
}

// A PostgresStore in a schema of its own, dropped with the object: every test starts from an
// empty database and no two tests (or two runs at once) share a table.
class SchemaStore final : public app::Store {
 public:
  SchemaStore(std::string url, std::string schema, std::unique_ptr<PostgresStore> store)
      : url_(std::move(url)), schema_(std::move(schema)), store_(std::move(store)) {}
  ~SchemaStore() override {
    store_.reset();  // closes its connections first
    (void)PostgresStore::DropSchema(url_, schema_);
  }
  Status Read(const std::function<Status(app::ReadTx&)>& fn) override { return store_->Read(fn); }
  Status Write(const std::function<Status(app::WriteTx&)>& fn) override {
    return store_->Write(fn);
  }
  PostgresStore& inner() { return *store_; }

 private:
  std::string url_, schema_;
  std::unique_ptr<PostgresStore> store_;
};

// A fresh schema name: conformance_<pid>_<counter>_<random>.
inline std::string FreshSchema() {
  static std::atomic<int> counter{0};
  static std::mt19937_64 rng{std::random_device{}()};
  return "conformance_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(rng() % 1000000);
}

inline std::unique_ptr<app::Store> MakePostgres(const fs::path&) {
  const std::string url = PostgresUrl();
  const std::string schema = FreshSchema();
  PostgresOptions options;
  options.schema = schema;
  auto s = PostgresStore::Open(url, options);
  if (!s) ADD_FAILURE() << "PostgreSQL at " << url << ": " << s.error().message;
  SOPORTE_CHECK(s.has_value());
  return std::make_unique<SchemaStore>(url, schema, std::move(*s));
}

// The fixtures that run on PostgreSQL: those whose ports PostgresStore implements
// (PostgresStore::ImplementedPorts). A fixture joins this list with its port.
inline bool RunsOnPostgres(std::string_view fixture) {
  static const std::set<std::string_view> kFixtures = {
      "SettingsRepositoryTest", "AccountRepositoryTest", "OrgRepositoryTest",
      "CalendarRepositoryTest", "PostgresStoreTest",     "TicketRepositoryTest",
      "TicketIntakeTest",       "TicketListTest",        "AuditRepositoryTest",
      "ProfileRepositoryTest",  "MailRepositoryTest",    "AlertRepositoryTest",
      "SlaRepositoryTest",      "SearchRepositoryTest",  "WebhookRepositoryTest",
      "OnCallRepositoryTest",   "ChatRepositoryTest",    "ReportRepositoryTest",
      "ThrottleRepositoryTest"};
  return kFixtures.count(fixture) > 0;
}

inline std::string PostgresMissing() {
  if (!PostgresUrl().empty()) return "";
  return "SOPORTE_PG_URL is not set: the PostgreSQL store is not tested. Start a throwaway "
         "cluster with `eval \"$(bash scripts/postgres.sh start)\"`.";
}

// Every backend the suite runs `fixture` against.
inline std::vector<Backend> AllBackends(std::string_view fixture = "") {
  std::vector<Backend> out = {Backend{"Memory",
                                      [](const fs::path&) -> std::unique_ptr<app::Store> {
                                        return std::make_unique<MemoryStore>();
                                      }},
                              Backend{"Sqlite", MakeSqlite}};
  if (RunsOnPostgres(fixture)) out.push_back(Backend{"Postgres", MakePostgres, PostgresMissing});
  return out;
}

// Runs every TEST_P of `fixture` against every backend, named Backends/<fixture>.<test>/<backend>.
#define SOPORTE_ON_EVERY_BACKEND(fixture)                                          \
  INSTANTIATE_TEST_SUITE_P(                                                        \
      Backends, fixture,                                                           \
      ::testing::ValuesIn(::soporte::storage::conformance::AllBackends(#fixture)), \
      [](const auto& info) { return info.param.name; })

// An empty store of the backend under test, in a temporary directory (store_ goes first).
// A fixture that overrides SetUp calls BackendTest::SetUp() first and returns at once when
// IsSkipped() (the backend cannot run here).
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (const std::string why = GetParam().missing(); !why.empty()) GTEST_SKIP() << why;
    store_ = GetParam().make(dir_.path());
  }

  // The ports among `ports` that the backend under test does not implement yet, joined by ", "
  // (only PostgreSQL may lack some: PostgresStore::UnimplementedPorts). A test of a fixture that
  // runs on PostgreSQL for its own port, but that also writes through such a port, skips:
  //   if (const auto m = Lacks({"tickets"}); !m.empty()) GTEST_SKIP() << m << " missing";
  std::string Lacks(std::initializer_list<std::string_view> ports) const {
    if (GetParam().name != "Postgres") return "";
    const auto missing = PostgresStore::UnimplementedPorts();
    std::string out;
    for (std::string_view p : ports) {
      if (std::find(missing.begin(), missing.end(), p) == missing.end()) continue;
      if (!out.empty()) out += ", ";
      out += p;
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<app::Store> store_;
};

// A store with helpers to build a small world: organisations, contracts, users, tickets.
class StoreTest : public BackendTest {
 protected:
 protected:
  template <class F>
  auto W(F&& fn) {
    return WriteValue(*store_, std::forward<F>(fn));
  }
  template <class F>
  auto R(F&& fn) {
    return ReadValue(*store_, std::forward<F>(fn));
  }

  domain::Organization Org(const std::string& slug) {
    auto o = W([&](app::WriteTx& tx) {
      return tx.orgs().InsertOrg(domain::Organization{OrgId{}, slug, "Org " + slug, T(kBase)});
    });
    SOPORTE_CHECK(o.has_value());
    return *o;
  }
  domain::Contract Contract(OrgId org) {
    domain::Contract c;
    c.org_id = org;
    c.modality = sla::Modality::k24x7;
    c.zone = "America/Bogota";
    c.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
    c.valid_to = std::chrono::sys_days{std::chrono::year{2026} / 12 / 31};
    c.channels = domain::DefaultChannels(sla::Modality::k24x7);
    c.targets.critical = Seconds{3600};
    c.targets.important = Seconds{7200};
    c.targets.normal = Seconds{28800};
    c.created_at = T(kBase);
    auto r = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(c); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
  domain::User User(const std::string& email, OrgId org,
                    domain::Role role = domain::Role::kCustomer) {
    domain::User u{UserId{}, email, "Name of " + email, role, org, "hash", true, T(kBase)};
    auto r = W([&](app::WriteTx& tx) { return tx.accounts().InsertUser(u); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }

  // A world with one organisation, contract, customer and agent.
  void World() {
    org_ = Org("acme");
    contract_ = Contract(org_.id);
    customer_ = User("ana@acme.test", org_.id);
    agent_ = User("luis@vendor.test", OrgId{}, domain::Role::kAgent);
  }

  domain::Ticket NewTicket(long long due, sla::Criticality c = sla::Criticality::kNormal) {
    domain::Ticket t;
    t.org_id = org_.id;
    t.contract_id = contract_.id;
    t.requester_id = customer_.id;
    t.criticality = c;
    t.subject = "No carga la factura";
    t.description = "Desde ayer";
    t.tags = {"facturación", "prod"};
    t.received_at = t.clock_start = t.created_at = t.updated_at = T(kBase);
    t.response_due = T(due);
    return t;
  }
  domain::Ticket Ticket(long long due, sla::Criticality c = sla::Criticality::kNormal) {
    auto r = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(NewTicket(due, c)); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }

  domain::Organization org_;
  domain::Contract contract_;
  domain::User customer_, agent_;
};

// A store with one ticket (ticket_) of organisation "acme", for the email channel's rows.
class MailStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto t = WriteValue(*store_, [&](app::WriteTx& tx) -> Result<domain::Ticket> {
      SOPORTE_TRY(org,
                  tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme", "ACME", T(kBase)}));
      domain::Contract c;
      c.org_id = org.id;
      c.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
      c.channels = domain::DefaultChannels(sla::Modality::k8x5);
      c.targets.critical = c.targets.important = c.targets.normal = Seconds{3600};
      c.created_at = T(kBase);
      SOPORTE_TRY(contract, tx.orgs().InsertContract(c));
      SOPORTE_TRY(user, tx.accounts().InsertUser(domain::User{UserId{}, "ana@acme.test", "Ana",
                                                              domain::Role::kCustomer, org.id, "",
                                                              true, T(kBase)}));
      domain::Ticket t;
      t.org_id = org.id;
      t.contract_id = contract.id;
      t.requester_id = user.id;
      t.subject = "s";
      t.received_at = t.clock_start = t.response_due = t.created_at = t.updated_at = T(kBase);
      return tx.tickets().InsertTicket(t);
    });
    SOPORTE_CHECK(t.has_value());
    ticket_ = *t;
  }
  app::OutboxRecord Row(const std::string& id, long long due) {
    app::OutboxRecord r;
    r.created_at = T(kBase);
    r.kind = "agent_reply";
    r.to_address = "ana@acme.test";
    r.subject = "[#1001] Re: s";
    r.body_text = "cuerpo";
    r.message_id = id;
    r.auto_submitted = "auto-generated";
    r.lang = "es";
    r.ticket_id = ticket_.id;
    r.next_attempt_at = T(due);
    return r;
  }

  domain::Ticket ticket_;
};

// A store with two organisations (acme_, globex_) and acme's administrator (user_), for the
// customer profile.
class ProfileStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto ok = store_->Write([&](app::WriteTx& tx) -> Status {
      SOPORTE_TRY(acme,
                  tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme", "ACME", T(kBase)}));
      SOPORTE_TRY(globex,
                  tx.orgs().InsertOrg(domain::Organization{OrgId{}, "globex", "Globex", T(kBase)}));
      domain::User u{UserId{}, "olga@acme.test", "Olga", domain::Role::kCustomer, acme.id, "",
                     true,     T(kBase)};
      u.org_admin = true;
      SOPORTE_TRY(user, tx.accounts().InsertUser(u));
      acme_ = acme.id;
      globex_ = globex.id;
      user_ = user.id;
      return Ok();
    });
    SOPORTE_CHECK(ok.has_value());
  }

  Result<ProfileEntry> Insert(ProfileKind kind, ProfileEntryId parent,
                              std::map<std::string, std::string> fields, OrgId org = OrgId{}) {
    ProfileEntry e;
    e.org_id = org.valid() ? org : acme_;
    e.kind = kind;
    e.parent = parent;
    e.fields = std::move(fields);
    e.created_at = e.updated_at = T(kBase);
    return WriteValue(*store_,
                      [&](app::WriteTx& tx) { return tx.profiles().InsertProfileEntry(e); });
  }

  app::SecretRecord Secret(ProfileEntryId entry, const std::string& cipher) {
    app::SecretRecord r;
    r.org_id = acme_;
    r.entry_id = entry;
    r.field = "password";
    r.sealed = app::SealedValue{"k1", "bm9uY2U=", cipher};
    r.updated_at = T(kBase);
    r.updated_by = user_;
    return r;
  }

  OrgId acme_, globex_;
  UserId user_;
};

// A valid 8x5 calendar named `name`: Monday–Friday 08–12 and 14–18, Saturday 09–13, with the
// Colombian holidays.
inline domain::calendar::CalendarDefinition OfficeCalendar(std::string name) {
  using namespace std::chrono_literals;
  domain::calendar::CalendarDefinition c;
  c.name = std::move(name);
  c.zone = "America/Bogota";
  for (unsigned d = 0; d < 5; ++d) c.hours[d] = {{8h, 12h}, {14h, 18h}};
  c.hours[5] = {{9h, 13h}};
  c.colombian_holidays = true;
  c.created_at = c.updated_at = T(kBase);
  return c;
}

}  // namespace soporte::storage::conformance
