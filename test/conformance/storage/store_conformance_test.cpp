// One storage suite, run against every Store implementation (MemoryStore, SqliteStore on a temp
// file), so the in-memory fake keeps the same semantics as the real thing. Backend-specific
// checks (append-only trigger, reopen, migrations, group commit batching) follow at the end.
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <tuple>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/ports/store.hpp"
#include "common/check.hpp"
#include "storage/memory/memory_store.hpp"
#include "storage/migrations/embedded.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace soporte::storage {
namespace {

namespace fs = std::filesystem;
namespace sla = domain::sla;
using app::ReadValue;
using app::WriteValue;

Instant T(long long s) { return Instant{Seconds{s}}; }
constexpr long long kBase = 1'800'000'000;
// The newest migration this binary carries (0001_init, 0002_mail, …).
const int kSchemaVersion = sqlite_migrations().back().version;

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
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Backend {
  std::string name;
  std::function<std::unique_ptr<app::Store>(const fs::path& dir)> make;
};

// Names the backend in test output (instead of the object's bytes).
void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

std::unique_ptr<app::Store> MakeSqlite(const fs::path& dir) {
  auto s = SqliteStore::Open((dir / "soporte.db").string());
  SOPORTE_CHECK(s.has_value());
  return std::move(*s);
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { store_ = GetParam().make(dir_.path()); }

  template <class F>
  auto W(F&& fn) { return WriteValue(*store_, std::forward<F>(fn)); }
  template <class F>
  auto R(F&& fn) { return ReadValue(*store_, std::forward<F>(fn)); }

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
  domain::User User(const std::string& email, OrgId org, domain::Role role = domain::Role::kCustomer) {
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

  TempDir dir_;
  std::unique_ptr<app::Store> store_;
  domain::Organization org_;
  domain::Contract contract_;
  domain::User customer_, agent_;
};

TEST_P(StoreTest, OrgsRoundTripAndSlugClashIsNamed) {
  const auto acme = Org("acme");
  EXPECT_TRUE(acme.id.valid());
  auto got = R([&](app::ReadTx& tx) { return tx.orgs().GetOrgBySlug("acme"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, acme.id);
  EXPECT_EQ(got->name, "Org acme");
  EXPECT_EQ(got->created_at, T(kBase));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetOrg(acme.id); })->slug, "acme");

  auto clash = W([&](app::WriteTx& tx) {
    return tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme", "Other", T(kBase)});
  });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(clash.error().message, "an organisation with slug 'acme' already exists");

  auto bad = W([&](app::WriteTx& tx) {
    return tx.orgs().InsertOrg(domain::Organization{OrgId{}, "Bad Slug", "x", T(kBase)});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);

  Org("globex");
  auto all = R([&](app::ReadTx& tx) { return tx.orgs().ListOrgs(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].slug, "acme");
  EXPECT_EQ((*all)[1].slug, "globex");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetOrg(OrgId{999}); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreTest, ContractsRoundTripEveryField) {
  const auto org = Org("acme");
  const auto c = Contract(org.id);
  auto got = R([&](app::ReadTx& tx) { return tx.orgs().GetContract(c.id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->org_id, org.id);
  EXPECT_EQ(got->modality, sla::Modality::k24x7);
  EXPECT_EQ(got->zone, "America/Bogota");
  EXPECT_EQ(got->valid_from, c.valid_from);
  EXPECT_EQ(got->valid_to, c.valid_to);
  EXPECT_EQ(got->channels, c.channels);
  EXPECT_EQ(got->targets.critical, Seconds{3600});
  EXPECT_EQ(got->targets.important, Seconds{7200});
  EXPECT_EQ(got->targets.normal, Seconds{28800});

  domain::Contract open_ended = c;
  open_ended.valid_to.reset();
  open_ended.modality = sla::Modality::k8x5;
  auto second = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(open_ended); });
  ASSERT_TRUE(second);
  auto list = R([&](app::ReadTx& tx) { return tx.orgs().ListContracts(org.id); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_FALSE((*list)[1].valid_to.has_value());
  EXPECT_EQ((*list)[1].modality, sla::Modality::k8x5);

  domain::Contract orphan = c;
  orphan.org_id = OrgId{999};
  auto r = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(orphan); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(StoreTest, UsersAreStoredLowerCaseAndUniqueByEmail) {
  const auto org = Org("acme");
  const auto ana = User("  Ana@ACME.test ", org.id);
  EXPECT_EQ(ana.email, "ana@acme.test");
  auto got = R([&](app::ReadTx& tx) { return tx.accounts().GetUserByEmail("ana@acme.test"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, ana.id);
  EXPECT_EQ(got->role, domain::Role::kCustomer);
  EXPECT_EQ(got->org_id, org.id);
  EXPECT_EQ(got->password_hash, "hash");

  auto clash = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertUser(domain::User{UserId{}, "ANA@acme.test", "Otra", domain::Role::kCustomer,
                                      org.id, "", true, T(kBase)});
  });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(clash.error().message, "a user with email 'ana@acme.test' already exists");

  const auto luis = User("luis@vendor.test", OrgId{}, domain::Role::kAgent);
  auto customer_without_org = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertUser(domain::User{UserId{}, "x@y.test", "X", domain::Role::kCustomer, OrgId{},
                                      "", true, T(kBase)});
  });
  EXPECT_EQ(customer_without_org.error().code, ErrorCode::kInvalidArgument);

  // UpdateUser: changes stick; taking another's email clashes; an unknown id is kNotFound.
  domain::User renamed = luis;
  renamed.name = "Luis P.";
  renamed.active = false;
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.accounts().UpdateUser(renamed); }));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetUser(luis.id); })->name, "Luis P.");
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetUser(luis.id); })->active);
  renamed.email = "ana@acme.test";
  auto st = store_->Write([&](app::WriteTx& tx) { return tx.accounts().UpdateUser(renamed); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists);
  renamed.id = UserId{999};
  renamed.email = "nobody@vendor.test";
  EXPECT_EQ(store_->Write([&](app::WriteTx& tx) { return tx.accounts().UpdateUser(renamed); }).error().code,
            ErrorCode::kNotFound);

  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().ListUsers(std::nullopt); })->size(), 2u);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().ListUsers(org.id); })->size(), 1u);
}

TEST_P(StoreTest, TicketContextIsTheTicketWithItsOrgContractAndPeople) {
  World();
  const domain::Contract second = Contract(org_.id);  // a second contract: the join must pick the ticket's
  domain::Ticket assigned = NewTicket(kBase + 3600, sla::Criticality::kImportant);
  assigned.contract_id = second.id;
  assigned.assignee_id = agent_.id;
  auto a = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(assigned); });
  ASSERT_TRUE(a);
  const domain::Ticket unassigned = Ticket(kBase);

  auto c = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContext(a->number); });
  ASSERT_TRUE(c) << c.error().message;
  auto alone = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(a->number); });
  ASSERT_TRUE(alone);
  EXPECT_EQ(c->ticket.id, alone->id);
  EXPECT_EQ(c->ticket.subject, alone->subject);
  EXPECT_EQ(c->ticket.tags, alone->tags);
  EXPECT_EQ(c->ticket.response_due, alone->response_due);
  EXPECT_EQ(c->ticket.version, alone->version);
  EXPECT_EQ(c->org.id, org_.id);
  EXPECT_EQ(c->org.slug, "acme");
  EXPECT_EQ(c->org.name, "Org acme");
  EXPECT_EQ(c->contract.id, second.id);
  EXPECT_EQ(c->contract.zone, "America/Bogota");
  EXPECT_EQ(c->contract.targets.important, Seconds{7200});
  EXPECT_EQ(c->contract.modality, sla::Modality::k24x7);
  EXPECT_EQ(c->requester.id, customer_.id);
  EXPECT_EQ(c->requester.name, customer_.name);
  EXPECT_EQ(c->requester.email, customer_.email);
  ASSERT_TRUE(c->assignee.has_value());
  EXPECT_EQ(c->assignee->id, agent_.id);
  EXPECT_EQ(c->assignee->email, "luis@vendor.test");

  auto u = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContext(unassigned.number); });
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ticket.id, unassigned.id);
  EXPECT_EQ(u->contract.id, contract_.id);
  EXPECT_FALSE(u->assignee.has_value());

  auto missing = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContext(99999); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("#99999"), std::string::npos) << missing.error().message;
}

TEST_P(StoreTest, TicketsGetNumbersFrom1001AndRoundTripEveryField) {
  World();
  domain::Ticket in = NewTicket(kBase + 3600, sla::Criticality::kCritical);
  in.type = domain::TicketType::kRequest;
  in.status = domain::TicketStatus::kOpen;
  in.channel = sla::Channel::kPhone;
  in.environment = domain::Environment::kProd;
  in.assignee_id = agent_.id;
  in.first_response_at = T(kBase + 60);
  auto first = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(in); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->number, 1001);
  EXPECT_TRUE(first->id.valid());
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(1001); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, first->id);
  EXPECT_EQ(got->org_id, org_.id);
  EXPECT_EQ(got->contract_id, contract_.id);
  EXPECT_EQ(got->requester_id, customer_.id);
  EXPECT_EQ(got->type, domain::TicketType::kRequest);
  EXPECT_EQ(got->criticality, sla::Criticality::kCritical);
  EXPECT_EQ(got->status, domain::TicketStatus::kOpen);
  EXPECT_EQ(got->channel, sla::Channel::kPhone);
  EXPECT_EQ(got->environment, domain::Environment::kProd);
  EXPECT_EQ(got->subject, in.subject);
  EXPECT_EQ(got->description, in.description);
  EXPECT_EQ(got->assignee_id, agent_.id);
  EXPECT_EQ(got->tags, (std::vector<std::string>{"facturación", "prod"}));
  EXPECT_EQ(got->response_due, T(kBase + 3600));
  EXPECT_EQ(got->first_response_at, T(kBase + 60));
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(first->id); })->number, 1001);

  EXPECT_EQ(Ticket(kBase).number, 1002);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(5); }).error().code,
            ErrorCode::kNotFound);

  domain::Ticket bad_tag = NewTicket(kBase);
  bad_tag.tags = {"a\x1f" "b"};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(bad_tag); }).error().code,
            ErrorCode::kInvalidArgument);
  domain::Ticket orphan = NewTicket(kBase);
  orphan.contract_id = ContractId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(orphan); }).error().code,
            ErrorCode::kFailedPrecondition);
  // Refused inserts gave no number away.
  EXPECT_EQ(Ticket(kBase).number, 1003);
}

TEST_P(StoreTest, UpdateTicketChecksTheVersion) {
  World();
  auto t = Ticket(kBase + 100);
  t.status = domain::TicketStatus::kOpen;
  t.tags = {};
  t.assignee_id = agent_.id;
  auto v2 = W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); });
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->number, t.number);
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(t.id); });
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->status, domain::TicketStatus::kOpen);
  EXPECT_TRUE(got->tags.empty());
  EXPECT_EQ(got->assignee_id, agent_.id);

  t.subject = "stale";  // still version 1
  auto stale = W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  EXPECT_NE(R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(t.id); })->subject, "stale");

  t.id = TicketId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreTest, FailedWriteLeavesNothingBehind) {
  World();
  auto st = store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.orgs().InsertOrg(domain::Organization{OrgId{}, "ghost", "Ghost", T(kBase)}));
    SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(NewTicket(kBase)));
    // Reads inside the transaction see its own writes.
    SOPORTE_TRY_STATUS(tx.orgs().GetOrgBySlug("ghost"));
    return Fail(ErrorCode::kFailedPrecondition, "changed my mind");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(st.error().message, "changed my mind");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetOrgBySlug("ghost"); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(1001); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Ticket(kBase).number, 1001);  // the number was given back

  // An exception thrown inside Write reaches the caller and rolls back too.
  EXPECT_THROW(store_->Write([&](app::WriteTx& tx) -> Status {
    (void)tx.orgs().InsertOrg(domain::Organization{OrgId{}, "thrown", "T", T(kBase)});
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.orgs().GetOrgBySlug("thrown"); }));
}

TEST_P(StoreTest, ListTicketsSortsFiltersAndPages) {
  World();
  const auto other_org = Org("globex");
  // Dues out of insertion order; two share a due (then number decides).
  const auto a = Ticket(kBase + 300);                              // 1001
  const auto b = Ticket(kBase + 100, sla::Criticality::kCritical);  // 1002
  const auto c = Ticket(kBase + 300);                              // 1003
  auto d_in = NewTicket(kBase + 200);
  d_in.assignee_id = agent_.id;
  d_in.status = domain::TicketStatus::kOpen;
  const auto d = *W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(d_in); });  // 1004
  auto e_in = NewTicket(kBase + 50);
  e_in.first_response_at = T(kBase + 40);  // answered in time
  const auto e = *W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(e_in); });  // 1005
  auto f_in = NewTicket(kBase + 60);
  f_in.first_response_at = T(kBase + 61);  // answered late
  f_in.status = domain::TicketStatus::kClosed;
  const auto f = *W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(f_in); });  // 1006
  (void)other_org;

  auto numbers = [&](app::TicketQuery q) {
    auto page = R([&](app::ReadTx& tx) { return tx.tickets().ListTickets(q); });
    SOPORTE_CHECK(page.has_value());
    std::vector<std::int64_t> out;
    for (const auto& t : page->tickets) out.push_back(t.number);
    return std::make_pair(out, page->has_more);
  };
  using V = std::vector<std::int64_t>;
  app::TicketQuery all;
  all.now = T(kBase + 200);
  EXPECT_EQ(numbers(all).first, (V{e.number, f.number, b.number, d.number, a.number, c.number}));
  EXPECT_FALSE(numbers(all).second);

  // Keyset paging: limit 2, then after the last one.
  app::TicketQuery page = all;
  page.limit = 2;
  auto p1 = numbers(page);
  EXPECT_EQ(p1.first, (V{e.number, f.number}));
  EXPECT_TRUE(p1.second);
  page.after = std::make_pair(T(kBase + 300), a.number);
  auto p3 = numbers(page);
  EXPECT_EQ(p3.first, (V{c.number}));
  EXPECT_FALSE(p3.second);

  app::TicketQuery q = all;
  q.status = domain::TicketStatus::kOpen;
  EXPECT_EQ(numbers(q).first, (V{d.number}));
  q = all;
  q.criticality = sla::Criticality::kCritical;
  EXPECT_EQ(numbers(q).first, (V{b.number}));
  q = all;
  q.assignee_id = agent_.id;
  EXPECT_EQ(numbers(q).first, (V{d.number}));
  q = all;
  q.assignee_id = UserId{};  // unassigned
  EXPECT_EQ(numbers(q).first.size(), 5u);
  q = all;
  q.org_id = other_org.id;
  EXPECT_TRUE(numbers(q).first.empty());
  q = all;
  q.org_id = org_.id;
  EXPECT_EQ(numbers(q).first.size(), 6u);

  // Breached at now = base+200: f (answered late), b (due 100, no reply) and d (due exactly now).
  q = all;
  q.breached = true;
  EXPECT_EQ(numbers(q).first, (V{f.number, b.number, d.number}));
  q.breached = false;
  EXPECT_EQ(numbers(q).first, (V{e.number, a.number, c.number}));

  q = all;
  q.limit = 0;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().ListTickets(q); }).error().code,
            ErrorCode::kInvalidArgument);

  auto stats = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketStats(T(kBase + 200)); });
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->open_normal, 4);     // a, c, d, e (f is closed)
  EXPECT_EQ(stats->open_important, 0);
  EXPECT_EQ(stats->open_critical, 1);   // b
  EXPECT_EQ(stats->breached_open, 2);   // b, d
  EXPECT_EQ(stats->breached_total, 3);  // b, d, f
}

TEST_P(StoreTest, ArticlesAttachmentsAndHistory) {
  World();
  const auto t = Ticket(kBase + 100);
  auto pub = W([&](app::WriteTx& tx) {
    return tx.tickets().InsertArticle(domain::Article{ArticleId{}, t.id, customer_.id, "hola", false,
                                            sla::Channel::kEmail, T(kBase)});
  });
  ASSERT_TRUE(pub);
  auto note = W([&](app::WriteTx& tx) {
    return tx.tickets().InsertArticle(domain::Article{ArticleId{}, t.id, agent_.id, "nota", true,
                                            sla::Channel::kPortal, T(kBase + 1)});
  });
  ASSERT_TRUE(note);
  auto with = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, true); });
  ASSERT_EQ(with->size(), 2u);
  EXPECT_EQ((*with)[0].body, "hola");
  EXPECT_EQ((*with)[0].channel, sla::Channel::kEmail);
  EXPECT_TRUE((*with)[1].internal);
  auto without = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, false); });
  ASSERT_EQ(without->size(), 1u);
  EXPECT_EQ((*without)[0].id, pub->id);

  domain::Attachment att{AttachmentId{}, t.id, pub->id, std::string(64, 'a'), "log.txt",
                         "text/plain", 12, customer_.id, T(kBase)};
  auto stored = W([&](app::WriteTx& tx) { return tx.tickets().InsertAttachment(att); });
  ASSERT_TRUE(stored);
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetAttachment(stored->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->article_id, pub->id);
  EXPECT_EQ(got->sha256, std::string(64, 'a'));
  EXPECT_EQ(got->size, 12);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().ListAttachments(t.id); })->size(), 1u);
  att.sha256 = "not-a-hash";
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertAttachment(att); }).error().code,
            ErrorCode::kInvalidArgument);

  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.audit().AppendEvent(domain::TicketEvent{0, t.id, UserId{}, T(kBase), "created", "", "new"});
  }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.audit().AppendEvent(domain::TicketEvent{0, t.id, agent_.id, T(kBase + 5), "status", "new", "open"});
  }));
  auto events = R([&](app::ReadTx& tx) { return tx.audit().ListEvents(t.id); });
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].field, "created");
  EXPECT_FALSE((*events)[0].actor_id.valid());
  EXPECT_EQ((*events)[1].actor_id, agent_.id);
  EXPECT_EQ((*events)[1].before, "new");
  EXPECT_EQ((*events)[1].after, "open");
  EXPECT_LT((*events)[0].id, (*events)[1].id);
}

TEST_P(StoreTest, SessionsExpireAndTokensAreUnique) {
  World();
  auto put = [&](const std::string& h, long long expires) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.accounts().InsertSession(app::SessionRecord{h, customer_.id, "csrf-" + h, T(kBase), T(expires)});
    });
  };
  ASSERT_TRUE(put("h1", kBase + 10));
  ASSERT_TRUE(put("h2", kBase + 20));
  ASSERT_TRUE(put("h3", kBase + 30));
  EXPECT_EQ(put("h1", kBase + 99).error().code, ErrorCode::kAlreadyExists);
  auto got = R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h2"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->csrf_token, "csrf-h2");
  EXPECT_EQ(got->user_id, customer_.id);
  EXPECT_EQ(got->expires_at, T(kBase + 20));

  // Expired *before* now: h1 (10) goes; h2 expires exactly at now and stays.
  auto removed = W([&](app::WriteTx& tx) { return tx.accounts().DeleteExpiredSessions(T(kBase + 20)); });
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h1"); }).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h2"); }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.accounts().DeleteSession("h2"); }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h2"); }));

  auto tok = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertApiToken(app::ApiTokenRecord{0, "th", agent_.id, "ci", T(kBase)});
  });
  ASSERT_TRUE(tok);
  EXPECT_GT(tok->id, 0);
  auto tgot = R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("th"); });
  ASSERT_TRUE(tgot);
  EXPECT_EQ(tgot->id, tok->id);
  EXPECT_EQ(tgot->name, "ci");
  EXPECT_EQ(W([&](app::WriteTx& tx) {
              return tx.accounts().InsertApiToken(app::ApiTokenRecord{0, "th", agent_.id, "again", T(kBase)});
            }).error().code,
            ErrorCode::kAlreadyExists);
}

TEST_P(StoreTest, PhoneCallArticlesKeepCallerAndLength) {
  World();
  const auto t = Ticket(kBase + 100);
  domain::Article call{ArticleId{}, t.id, agent_.id, "Reiniciamos", false, sla::Channel::kPhone, T(kBase)};
  call.call = domain::PhoneCall{"Ana (+57 300 000 0000)", 12};
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertArticle(call); }));
  auto list = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, true); });
  ASSERT_EQ(list->size(), 1u);
  ASSERT_TRUE((*list)[0].call);
  EXPECT_EQ((*list)[0].call->caller, "Ana (+57 300 000 0000)");
  EXPECT_EQ((*list)[0].call->duration_minutes, 12);
  // A call belongs to the phone channel.
  call.channel = sla::Channel::kPortal;
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertArticle(call); }).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(StoreTest, PasswordResetsOnePerUserAndSessionsEndedPerUser) {
  World();
  auto put = [&](const std::string& h, UserId u) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.accounts().PutPasswordReset(app::PasswordResetRecord{h, u, T(kBase), T(kBase + 3600)});
    });
  };
  ASSERT_TRUE(put("r1", customer_.id));
  auto got = R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->user_id, customer_.id);
  EXPECT_EQ(got->expires_at, T(kBase + 3600));
  // A newer link replaces the older one of the same user.
  ASSERT_TRUE(put("r2", customer_.id));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r1"); }).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r2"); }));
  EXPECT_EQ(put("r2", agent_.id).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(put("r9", UserId{999}).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.accounts().DeletePasswordReset(customer_.id); }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r2"); }));

  for (const char* h : {"s1", "s2"}) {
    ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
      return tx.accounts().InsertSession(app::SessionRecord{h, customer_.id, "c", T(kBase), T(kBase + 99)});
    }));
  }
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.accounts().InsertSession(app::SessionRecord{"s3", agent_.id, "c", T(kBase), T(kBase + 99)});
  }));
  auto ended = W([&](app::WriteTx& tx) { return tx.accounts().DeleteUserSessions(customer_.id); });
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("s1"); }));
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("s3"); }));
}

// A user's history (0007) is per user and in order; the system acts without an actor; a
// missing user or actor is refused. A deactivated account's API tokens end, and only theirs.
TEST_P(StoreTest, UserEventsAndEndingAUsersApiTokens) {
  World();
  auto append = [&](UserId user, UserId actor, const std::string& field, const std::string& before,
                    const std::string& after) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.audit().AppendUserEvent(app::UserEventRecord{0, user, actor, T(kBase + 5), field, before, after});
    });
  };
  ASSERT_TRUE(append(customer_.id, UserId{}, "created", "", "customer"));
  ASSERT_TRUE(append(customer_.id, agent_.id, "org_admin", "false", "true"));
  ASSERT_TRUE(append(agent_.id, agent_.id, "lang", "", "en"));
  EXPECT_EQ(append(UserId{999}, agent_.id, "lang", "", "en").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(append(customer_.id, UserId{999}, "lang", "", "en").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(append(customer_.id, agent_.id, "", "", "en").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(append(UserId{}, agent_.id, "lang", "", "en").error().code, ErrorCode::kInvalidArgument);
  auto events = R([&](app::ReadTx& tx) { return tx.audit().ListUserEvents(customer_.id); });
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].field, "created");
  EXPECT_FALSE((*events)[0].actor_id.valid());
  EXPECT_EQ((*events)[1].field, "org_admin");
  EXPECT_EQ((*events)[1].actor_id, agent_.id);
  EXPECT_EQ((*events)[1].before, "false");
  EXPECT_EQ((*events)[1].after, "true");
  EXPECT_EQ((*events)[1].at, T(kBase + 5));
  EXPECT_GT((*events)[1].id, (*events)[0].id);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.audit().ListUserEvents(agent_.id); })->size(), 1u);

  for (const auto& [hash, user] : std::vector<std::pair<std::string, UserId>>{
           {"t1", customer_.id}, {"t2", customer_.id}, {"t3", agent_.id}}) {
    ASSERT_TRUE(W([&](app::WriteTx& tx) {
      return tx.accounts().InsertApiToken(app::ApiTokenRecord{0, hash, user, "ci", T(kBase)});
    }));
  }
  auto ended = W([&](app::WriteTx& tx) { return tx.accounts().DeleteUserApiTokens(customer_.id); });
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t1"); }).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t2"); }));
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t3"); }));
  EXPECT_EQ(*W([&](app::WriteTx& tx) { return tx.accounts().DeleteUserApiTokens(customer_.id); }), 0);
}

TEST_P(StoreTest, SettingsAreUpsertedByKey) {
  EXPECT_TRUE(R([](app::ReadTx& tx) { return tx.settings().ListSettings(); })->empty());
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) { return tx.settings().PutSetting({"contact.phone", "+57 1", T(kBase)}); }));
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) { return tx.settings().PutSetting({"contact.phone", "+57 2", T(kBase + 1)}); }));
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) { return tx.settings().PutSetting({"contact.hours_es", "", T(kBase)}); }));
  auto all = R([](app::ReadTx& tx) { return tx.settings().ListSettings(); });
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key, "contact.hours_es");
  EXPECT_EQ((*all)[1].value, "+57 2");
  EXPECT_EQ((*all)[1].updated_at, T(kBase + 1));
  EXPECT_EQ(store_->Write([](app::WriteTx& tx) { return tx.settings().PutSetting({"", "x", T(kBase)}); }).error().code,
            ErrorCode::kInvalidArgument);
}

domain::calendar::CalendarDefinition OfficeCalendar(std::string name) {
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

TEST_P(StoreTest, CalendarsRoundTripEveryFieldAndCheckTheVersion) {
  World();
  auto c = OfficeCalendar("Oficina");
  c.closures = {{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7}, "Inventario", agent_.id, T(kBase + 5)},
                {std::chrono::sys_days{std::chrono::year{2026} / 12 / 24}, "Nochebuena", UserId{}, T(kBase + 6)}};
  auto stored = W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(c); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_TRUE(stored->id.valid());
  EXPECT_EQ(stored->version, 1);
  auto read = R([&](app::ReadTx& tx) { return tx.calendars().GetCalendar(stored->id); });
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, *stored);
  EXPECT_EQ(read->hours[0].size(), 2u);
  EXPECT_EQ(read->closures[0].created_by, agent_.id);
  EXPECT_FALSE(read->closures[1].created_by.valid());

  // Unique name; invalid definitions never reach a table.
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Oficina")); }).error().code,
            ErrorCode::kAlreadyExists);
  auto bad = OfficeCalendar("Mala");
  bad.hours[0] = {{Seconds{36000}, Seconds{3600}}};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(bad); }).error().code, ErrorCode::kInvalidArgument);

  // Update: replaces hours and closures, bumps the version; a stale version is kAborted.
  auto edit = *read;
  edit.name = "Oficina norte";
  edit.hours[5].clear();
  edit.colombian_holidays = false;
  edit.closures.pop_back();
  edit.updated_at = T(kBase + 9);
  auto updated = W([&](app::WriteTx& tx) { return tx.calendars().UpdateCalendar(edit); });
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  auto again = R([&](app::ReadTx& tx) { return tx.calendars().GetCalendar(stored->id); });
  EXPECT_EQ(*again, *updated);
  EXPECT_TRUE(again->hours[5].empty());
  EXPECT_EQ(again->closures.size(), 1u);
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().UpdateCalendar(edit); }).error().code, ErrorCode::kAborted);
  edit.id = CalendarId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().UpdateCalendar(edit); }).error().code, ErrorCode::kNotFound);

  // Listed by name.
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Bodega")); }));
  auto all = R([](app::ReadTx& tx) { return tx.calendars().ListCalendars(); });
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Bodega");
  EXPECT_EQ((*all)[1].closures.size(), 1u);
}

TEST_P(StoreTest, ContractsPointAtACalendar) {
  World();  // contract_ is 24x7
  auto cal = W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Oficina")); });
  ASSERT_TRUE(cal);
  EXPECT_FALSE(contract_.calendar_id.valid());
  // A 24x7 contract takes no calendar.
  EXPECT_EQ(store_->Write([&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(contract_.id, cal->id); }).error().code,
            ErrorCode::kInvalidArgument);
  domain::Contract c8 = contract_;
  c8.modality = sla::Modality::k8x5;
  c8.channels = domain::DefaultChannels(sla::Modality::k8x5);
  c8.calendar_id = cal->id;
  auto stored = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(c8); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetContract(stored->id); })->calendar_id, cal->id);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(stored->id, CalendarId{}); }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.orgs().GetContract(stored->id); })->calendar_id.valid());
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(stored->id, cal->id); }));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().ListContracts(org_.id); })->back().calendar_id, cal->id);
  EXPECT_FALSE(store_->Write([&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(stored->id, CalendarId{77}); }));
  EXPECT_EQ(store_->Write([&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(ContractId{999}, cal->id); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetContract(stored->id); })->calendar_id, cal->id);
}

TEST_P(StoreTest, ConcurrentWritesAllCommitAndAFailingOneChangesNothing) {
  World();
  constexpr int kThreads = 8, kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kPerThread; ++k) {
        const bool fail = (k % 5 == 2);
        Status st = store_->Write([&](app::WriteTx& tx) -> Status {
          SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(NewTicket(kBase + i * 1000 + k)));
          if (fail) return Fail(ErrorCode::kFailedPrecondition, "planned failure");
          return Ok();
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), kThreads * kPerThread / 5);
  auto stats = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketStats(T(kBase)); });
  EXPECT_EQ(stats->open_normal, kThreads * kPerThread * 4 / 5);
  // Numbers of committed tickets are dense: the failures gave theirs back.
  EXPECT_TRUE(R([&](app::ReadTx& tx) {
    return tx.tickets().GetTicketByNumber(1000 + kThreads * kPerThread * 4 / 5);
  }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) {
    return tx.tickets().GetTicketByNumber(1001 + kThreads * kPerThread * 4 / 5);
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend{"Memory",
                                                   [](const fs::path&) -> std::unique_ptr<app::Store> {
                                                     return std::make_unique<MemoryStore>();
                                                   }},
                                           Backend{"Sqlite", MakeSqlite}),
                         [](const auto& info) { return info.param.name; });

// --- SQLite only -----------------------------------------------------------------------------

class SqliteOnlyTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return (dir_.path() / "soporte.db").string(); }

  // Runs `sql` on a separate raw connection; returns the SQLite result code.
  int RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    SOPORTE_CHECK(sqlite3_open(DbPath().c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
  }
  std::int64_t RawCount(const std::string& sql) {
    sqlite3* db = nullptr;
    SOPORTE_CHECK(sqlite3_open(DbPath().c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    SOPORTE_CHECK(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    SOPORTE_CHECK(sqlite3_step(s) == SQLITE_ROW);
    const auto n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }

  // Inserts org + contract + user; returns (org, contract, user) ids.
  static std::tuple<OrgId, ContractId, UserId> Seed(app::Store& store) {
    OrgId org;
    ContractId contract;
    UserId user;
    SOPORTE_CHECK(store.Write([&](app::WriteTx& tx) -> Status {
      SOPORTE_TRY(o, tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme", "Acme", T(kBase)}));
      domain::Contract c;
      c.org_id = o.id;
      c.channels = domain::DefaultChannels(c.modality);
      SOPORTE_TRY(k, tx.orgs().InsertContract(c));
      SOPORTE_TRY(u, tx.accounts().InsertUser(domain::User{UserId{}, "ana@acme.test", "Ana",
                                                domain::Role::kCustomer, o.id, "", true, T(kBase)}));
      org = o.id;
      contract = k.id;
      user = u.id;
      return Ok();
    }).has_value());
    return {org, contract, user};
  }
  static domain::Ticket MakeTicket(std::tuple<OrgId, ContractId, UserId> ids, long long due) {
    domain::Ticket t;
    std::tie(t.org_id, t.contract_id, t.requester_id) = ids;
    t.subject = "s";
    t.response_due = T(due);
    return t;
  }

  // The WAL file's size, and its checkpoint sequence number (header bytes 12-15, big-endian),
  // which SQLite increments each time the WAL starts again from its beginning.
  std::uintmax_t WalBytes() const { return fs::file_size(DbPath() + "-wal"); }
  std::uint32_t WalRestarts() const {
    std::ifstream in(DbPath() + "-wal", std::ios::binary);
    unsigned char h[16] = {};
    in.read(reinterpret_cast<char*>(h), sizeof h);
    SOPORTE_CHECK(in.gcount() == sizeof h);
    return (std::uint32_t{h[12]} << 24) | (std::uint32_t{h[13]} << 16) | (std::uint32_t{h[14]} << 8) | h[15];
  }
  static constexpr std::uintmax_t kFrameBytes = 4096 + 24;  // one page in the WAL, with its frame header

  TempDir dir_;
};

TEST_F(SqliteOnlyTest, HistoryIsAppendOnlyInTheDatabase) {
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    auto ids = Seed(**store);
    ASSERT_TRUE((*store)->Write([&](app::WriteTx& tx) -> Status {
      SOPORTE_TRY(t, tx.tickets().InsertTicket(MakeTicket(ids, kBase)));
      return tx.audit().AppendEvent(domain::TicketEvent{0, t.id, UserId{}, T(kBase), "created", "", "new"});
    }));
  }
  EXPECT_EQ(RawExec("UPDATE ticket_events SET after = 'forged'"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawExec("DELETE FROM ticket_events"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawCount("SELECT count(*) FROM ticket_events WHERE after = 'new'"), 1);
  // A user's history (0007) is append-only too.
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->Write([&](app::WriteTx& tx) {
      return tx.audit().AppendUserEvent(app::UserEventRecord{0, UserId{1}, UserId{}, T(kBase), "org_admin", "false", "true"});
    }));
  }
  EXPECT_EQ(RawExec("UPDATE user_events SET after = 'forged'"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawExec("DELETE FROM user_events"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawCount("SELECT count(*) FROM user_events WHERE after = 'true'"), 1);
}

TEST_F(SqliteOnlyTest, ReopenKeepsDataAndDoesNotReapplyMigrations) {
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
    auto ids = Seed(**store);
    ASSERT_TRUE(WriteValue(**store, [&](app::WriteTx& tx) { return tx.tickets().InsertTicket(MakeTicket(ids, kBase)); }));
  }
  auto store = SqliteStore::Open(DbPath());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  auto t = ReadValue(**store, [](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(1001); });
  ASSERT_TRUE(t);
  EXPECT_EQ(t->subject, "s");
  store->reset();
  EXPECT_EQ(RawCount("SELECT count(*) FROM schema_migrations"), kSchemaVersion);
}

TEST_F(SqliteOnlyTest, UsesWal) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_F(SqliteOnlyTest, RefusesADatabaseFromANewerBinary) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()));
  ASSERT_EQ(RawExec("INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 'x', 0)"), SQLITE_OK);
  auto store = SqliteStore::Open(DbPath());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos) << store.error().message;
}

TEST_F(SqliteOnlyTest, RefusesAnEditedMigration) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()));
  ASSERT_EQ(RawExec("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1"), SQLITE_OK);
  auto store = SqliteStore::Open(DbPath());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(SqliteOnlyTest, RefusesAnInMemoryDatabase) {
  EXPECT_EQ(SqliteStore::Open(":memory:").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SqliteOnlyTest, OneBatchCommitsItsGoodJobsAndRollsBackTheFailingOneAlone) {
  auto opened = SqliteStore::Open(DbPath());
  ASSERT_TRUE(opened);
  SqliteStore& store = **opened;
  auto ids = Seed(store);

  // Hold the writer inside a first job until three more Writes are queued behind it, so those
  // three are taken as one batch.
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<bool> entered{false};
  std::thread blocker([&] {
    ASSERT_TRUE(store.Write([&](app::WriteTx&) -> Status {
      entered = true;
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return release; });
      return Ok();
    }));
  });
  while (!entered) std::this_thread::yield();  // the writer is now inside the blocker
  const auto before = store.writer_stats();

  Status good1, bad, good2;
  auto insert = [&](Status& out, long long due, bool fail) {
    return std::thread([&, due, fail] {
      out = store.Write([&](app::WriteTx& tx) -> Status {
        SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(MakeTicket(ids, due)));
        if (fail) return Fail(ErrorCode::kUnprocessable, "bad one");
        return Ok();
      });
    });
  };
  std::thread t1 = insert(good1, kBase + 1, false);
  while (store.queued_writes() < 1) std::this_thread::yield();
  std::thread t2 = insert(bad, kBase + 2, true);
  while (store.queued_writes() < 2) std::this_thread::yield();
  std::thread t3 = insert(good2, kBase + 3, false);
  while (store.queued_writes() < 3) std::this_thread::yield();
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  for (auto* t : {&blocker, &t1, &t2, &t3}) t->join();

  EXPECT_TRUE(good1);
  EXPECT_TRUE(good2);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kUnprocessable);
  const auto after = store.writer_stats();
  EXPECT_EQ(after.jobs - before.jobs, 4);      // the blocker and the three
  EXPECT_EQ(after.batches - before.batches, 2);  // the blocker's batch, then one for the three
  app::TicketQuery q;
  q.now = T(kBase);
  auto page = ReadValue(store, [&](app::ReadTx& tx) { return tx.tickets().ListTickets(q); });
  ASSERT_TRUE(page);
  ASSERT_EQ(page->tickets.size(), 2u);
  EXPECT_EQ(page->tickets[0].response_due, T(kBase + 1));
  EXPECT_EQ(page->tickets[1].response_due, T(kBase + 3));
}

TEST_F(SqliteOnlyTest, GroupCommitRate) {
  auto opened = SqliteStore::Open(DbPath());
  ASSERT_TRUE(opened);
  SqliteStore& store = **opened;
  auto ids = Seed(store);
  const auto before = store.writer_stats();
  constexpr int kThreads = 64, kPerThread = 200;
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kPerThread; ++k) {
        auto st = store.Write([&](app::WriteTx& tx) -> Status {
          SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(MakeTicket(ids, kBase + i * kPerThread + k)));
          return Ok();
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto after = store.writer_stats();
  const auto jobs = after.jobs - before.jobs;
  const auto batches = after.batches - before.batches;
  std::cout << "commits/s: " << static_cast<long long>(jobs / secs) << " (" << jobs << " writes in "
            << batches << " transactions, " << secs << " s)" << std::endl;
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(jobs, kThreads * kPerThread);
  EXPECT_LT(batches, jobs / 4);  // writes were grouped
  auto stats = ReadValue(store, [](app::ReadTx& tx) { return tx.tickets().GetTicketStats(T(kBase)); });
  EXPECT_EQ(stats->open_normal, kThreads * kPerThread);
#if !defined(__SANITIZE_ADDRESS__)
  // A floor, not the target (5k+/s): the rate depends on the machine's load and on glibc's
  // heap trimming (see the report of 2026-11-28); the batching check above is the real guard.
  EXPECT_GT(jobs / secs, 1000.0);
#endif
}

// Checkpoints run beside the writer, and the WAL starts again from its beginning when it reaches
// its limit: under sustained concurrent writes it stays near that limit instead of growing.
TEST_F(SqliteOnlyTest, TheWalStaysBoundedUnderSustainedWrites) {
  // Migrations first, in a store closed again: its WAL goes with it, so the file measured below
  // holds only the writes of this test.
  ASSERT_TRUE(SqliteStore::Open(DbPath()));
  ASSERT_FALSE(fs::exists(DbPath() + "-wal"));
  SqliteOptions options;
  options.checkpoint_pages = 16;
  options.wal_limit_pages = 64;
  auto opened = SqliteStore::Open(DbPath(), options);
  ASSERT_TRUE(opened);
  SqliteStore& store = **opened;
  auto ids = Seed(store);
  constexpr int kThreads = 8, kPerThread = 300;
  std::atomic<int> failures{0};
  std::atomic<std::uintmax_t> largest{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kPerThread; ++k) {
        if (!store.Write([&](app::WriteTx& tx) -> Status {
              SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(MakeTicket(ids, kBase + i * kPerThread + k)));
              return Ok();
            })) {
          ++failures;
        }
        if (i == 0) largest = std::max(largest.load(), WalBytes());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const auto stats = store.writer_stats();
  EXPECT_GT(stats.checkpoints, 0);
  EXPECT_EQ(stats.checkpoint_failures, 0);
  EXPECT_GT(stats.writer_waits, 0);
  EXPECT_GT(WalRestarts(), 0u);
  // The limit, plus the pages of the batch that crossed it (about 35 for 8 tickets). SQLite's own
  // checkpoint lets the WAL reach 1000 pages; no checkpoint at all, several thousand.
  EXPECT_LE(std::max(largest.load(), WalBytes()), 2 * 64 * kFrameBytes + 32);
  EXPECT_EQ(RawCount("SELECT count(*) FROM tickets"), kThreads * kPerThread);
  opened->reset();
  EXPECT_FALSE(fs::exists(DbPath() + "-wal"));  // the last connection to close checkpointed it away
  EXPECT_EQ(RawCount("SELECT count(*) FROM tickets"), kThreads * kPerThread);
  EXPECT_EQ(RawCount("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

// A reader holding a snapshot in old frames keeps the WAL from starting again; the writer waits
// briefly for it a few times (each time the WAL has doubled), not before every batch, and the
// reader keeps its snapshot. Once it is gone, the WAL starts again.
TEST_F(SqliteOnlyTest, ALongReaderDelaysTheWalsRestartButNotTheWrites) {
  SqliteOptions options;
  options.checkpoint_pages = 8;
  options.wal_limit_pages = 32;
  auto opened = SqliteStore::Open(DbPath(), options);
  ASSERT_TRUE(opened);
  SqliteStore& store = **opened;
  auto ids = Seed(store);
  auto insert = [&](int k) {
    return store.Write([&](app::WriteTx& tx) -> Status {
      SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(MakeTicket(ids, kBase + k)));
      return Ok();
    });
  };
  for (int k = 0; k < 10; ++k) ASSERT_TRUE(insert(k));

  std::mutex mu;
  std::condition_variable cv;
  bool reading = false, release = false;
  std::int64_t seen_before = -1, seen_after = -1;
  std::thread reader([&] {
    ASSERT_TRUE(store.Read([&](app::ReadTx& tx) -> Status {
      SOPORTE_TRY(s1, tx.tickets().GetTicketStats(T(kBase)));
      seen_before = s1.open_normal;
      std::unique_lock lock(mu);
      reading = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      SOPORTE_TRY(s2, tx.tickets().GetTicketStats(T(kBase)));
      seen_after = s2.open_normal;
      return Ok();
    }));
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return reading; });
  }
  // If every frame had been copied when the reader began, it reads the database file alone, and
  // the first commit after it may still start the WAL again (that reader needs no frame); from
  // then on it blocks checkpoints instead. Either way, count from after that commit.
  ASSERT_TRUE(insert(99));
  const auto restarts_before = WalRestarts();
  const auto waits_before = store.writer_stats().writer_waits;
  constexpr int kWrites = 400;
  for (int k = 0; k < kWrites; ++k) ASSERT_TRUE(insert(100 + k));
  const auto waits_during = store.writer_stats().writer_waits - waits_before;
  EXPECT_EQ(WalRestarts(), restarts_before);  // the reader kept it from starting again
  EXPECT_GE(waits_during, 1);
  // From the limit (32 pages) to the WAL's length now, doubling each time, plus the first.
  const auto pages = static_cast<double>(WalBytes()) / kFrameBytes;
  EXPECT_LE(waits_during, 2 + static_cast<std::int64_t>(std::log2(pages / 32)))
      << "WAL of " << pages << " pages";
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  reader.join();
  EXPECT_EQ(seen_before, 10);
  EXPECT_EQ(seen_after, 10);  // its snapshot held throughout

  // Without the reader, the next wait starts the WAL again.
  for (int k = 0; k < 20 * kWrites && WalRestarts() == restarts_before; ++k) ASSERT_TRUE(insert(1000 + k));
  EXPECT_GT(WalRestarts(), restarts_before);
  EXPECT_EQ(RawCount("SELECT count(*) FROM tickets"), RawCount("SELECT max(id) FROM tickets"));
}

}  // namespace
}  // namespace soporte::storage
