// Search at scale (issue 18, part 5). Not a timed test: a program that builds a desk of N
// tickets and 3·N messages straight through the SQLite store (batched write transactions),
// then prints, as medians and 95th percentiles:
//   - ticket creation throughput (one ticket + one message per transaction) without the index
//     (its triggers dropped) and with it, by one thread and by 64;
//   - the index's size against the rest of the database (page counts before and after building
//     the index with the port's Rebuild, the `soporte reindex` path), and the rebuild time;
//   - search latency through the port (tx.search().Search, a page of 50 with snippets): one
//     word (frequent and rare), a two-word phrase, a prefix, and one word within one organisation.
// Usage: search_bench DB_PATH [TICKETS=1000000]   (DB_PATH must not exist)
//        SEARCH_BENCH_REUSE=1 search_bench DB_PATH   (the desk a previous run left: queries only;
//          SEARCH_BENCH_SQL runs a statement first, SEARCH_BENCH_ONLY=TEXT keeps the kinds of
//          query named with it, SEARCH_BENCH_QUERIES=N per kind; SEARCH_BENCH_CREATES=1 times
//          creation instead)
//
// 2026-12-08, 1,000,000 tickets and 3,000,000 messages, release build, quiet 2-core machine.
// Before (main at a1a1b12: bm25(), and an organisation's matches found by joining every match
// of the desk to its ticket): p95 one frequent word 53.6 ms, rare 50.7, phrase 199.4, prefix
// 187.9, one frequent word in one organisation 423.3, a rare one 82.0. bm25() counts all the rows
// that match each phrase (55 ms for a word in 2.4 M messages) and the readers read the index
// through pread. After (soporte_rank counting to 2,000, the organisation inside the index (0028),
// the search a large read on the mapped readers, the rebuilt index merged), a second process
// on the desk the full run left (SEARCH_BENCH_REUSE=1): p95 frequent 14.5 ms, rare 37.8, phrase
// 68.7, prefix 168.5, frequent in one organisation 25.5, rare 6.8. In the full run, where the
// writer merges the rebuilt index with the new segments while the queries run, frequent 74.3,
// phrase 67.2, in one organisation 25.0.
// Creation: right after the rebuild, the writer merges the new segments into the rebuilt one for
// a while, and one thread creates 1,034 tickets/s with the index against 4,251 without, 64
// threads 8,275 against 16,422. Once that is done (SEARCH_BENCH_CREATES=1 on two copies of the
// desk, one with the index's insert triggers dropped by SEARCH_BENCH_SQL, run alternately
// twice): 64 threads 19,380 and 18,119/s with the index, 19,344 and 18,922 without (2-4 %); one
// thread 3,563 and 3,508 with, 4,003 without (12 %; the other run without was cold, 1,519).
// Size: the index adds 33.0 % (1,462 → 1,945 MB); rebuild 41.7 s.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/ports/store.hpp"
#include "common/check.hpp"
#include "domain/search/search_query.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace soporte;  // NOLINT: a benchmark program
using Clock = std::chrono::steady_clock;
namespace sql = storage::sqlite_internal;

// Words support tickets are written with (Spanish, some English), with inflections; the rank
// decides the frequency (Zipf, s = 1.0), so a few words are everywhere and most are rare.
const std::vector<std::string> kBase = {
    "error",         "conexión",      "servidor",  "factura",     "facturación", "usuario",
    "contraseña",    "acceso",        "sistema",   "módulo",      "reporte",     "lentitud",
    "caída",         "producción",    "pruebas",   "desarrollo",  "base",        "datos",
    "respaldo",      "actualización", "versión",   "parche",      "licencia",    "correo",
    "impresora",     "red",           "VPN",       "certificado", "firma",       "nómina",
    "inventario",    "pedido",        "cliente",   "proveedor",   "pago",        "transferencia",
    "banco",         "cierre",        "contable",  "balance",     "mensual",     "información",
    "configuración", "instalación",   "migración", "integración", "interfaz",    "pantalla",
    "botón",         "formulario",    "campo",     "validación",  "mensaje",     "alerta",
    "timeout",       "memoria",       "disco",     "procesador",  "lento",       "bloqueado",
    "cancelado",     "pendiente",     "urgente",   "solicitud",   "incidente",   "revisión",
    "ajuste",        "cambio",        "permiso",   "rol",         "perfil",      "sesión",
    "navegador",     "archivo",       "adjunto",   "descarga",    "carga",       "exportar",
    "importar",      "excel",         "pdf",       "xml",         "json",        "servicio",
    "web",           "api",           "token",     "llave",       "puerto",      "firewall",
    "proxy",         "dns",           "dominio",   "backup",      "restore",     "query",
    "tabla",         "índice",        "consulta",  "the",         "login",       "failed",
    "cannot",        "connect",       "server",    "invoice",     "report",      "slow",
    "crash"};
const std::vector<std::string> kFill = {"de",  "la",  "el",   "en",  "no",  "que",
                                        "con", "por", "para", "los", "las", "se",
                                        "al",  "del", "una",  "un",  "y",   "es"};

struct Vocabulary {
  std::vector<std::string> words;
  std::discrete_distribution<std::size_t> zipf;
  Vocabulary() {
    const char* suffixes[] = {"", "s", "es", "ado", "ando"};
    for (const auto& b : kBase) words.push_back(b);
    // Rare words: codes and names support staff search for ("ERR-4711", "sucursal17").
    for (int i = 0; i < 20000; ++i) {
      words.push_back((i % 3 == 0   ? "err"
                       : i % 3 == 1 ? "sucursal"
                                    : "cod") +
                      std::to_string(i) + suffixes[i % 5]);
    }
    std::vector<double> w;
    for (std::size_t r = 0; r < words.size(); ++r) w.push_back(1.0 / static_cast<double>(r + 1));
    zipf = std::discrete_distribution<std::size_t>(w.begin(), w.end());
  }
  std::string Text(std::mt19937_64& rng, int n) {
    std::string out;
    std::uniform_int_distribution<int> coin(0, 2);
    for (int i = 0; i < n; ++i) {
      if (!out.empty()) out.push_back(' ');
      out += coin(rng) == 0 ? kFill[rng() % kFill.size()] : words[zipf(rng)];
    }
    return out;
  }
};

// This process's bytes read and written through read/write calls so far (/proc/self/io: rchar,
// wchar): what a phase costs in I/O, independent of the machine's load.
std::pair<std::int64_t, std::int64_t> IoBytes() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  std::int64_t r = 0, w = 0;
  if (f == nullptr) return {0, 0};
  char key[64];
  long long v = 0;
  while (std::fscanf(f, "%63s %lld", key, &v) == 2) {
    if (std::string(key) == "rchar:") r = v;
    if (std::string(key) == "wchar:") w = v;
  }
  std::fclose(f);
  return {r, w};
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Percentiles(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))];
  };
  std::printf("%-34s n=%-4zu median %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", what, ms.size(),
              at(0.5), at(0.95), ms.back());
}

std::int64_t Bytes(sql::Db& db) {
  SOPORTE_CHECK(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").has_value());
  auto pages = db.Prepare("PRAGMA page_count");
  SOPORTE_CHECK(pages.has_value() && pages->Step().value());
  const std::int64_t n = pages->Int(0);
  return n * 4096;
}

// Search latency through the port: a page of 50 with snippets, staff view; `org` is a small
// organisation (a twentieth of two thirds of the tickets).
void TimeSearches(app::Store& store, OrgId org, Vocabulary& vocab) {
  const char* only = std::getenv("SEARCH_BENCH_ONLY");  // the kinds whose name holds it
  auto time_queries = [&](const char* what, const std::vector<std::string>& qs, bool one_org) {
    if (only != nullptr && std::string(what).find(only) == std::string::npos) return;
    std::vector<double> ms;
    std::size_t hits = 0;
    for (const auto& q : qs) {
      auto parsed = domain::search::ParseSearchQuery(q);
      SOPORTE_CHECK(parsed.has_value());
      app::SearchRequest r;
      r.query = *parsed;
      r.include_internal = true;
      r.filters.now = Instant{Seconds{1790000000}};
      if (one_org) r.filters.org_id = org;
      const auto start = Clock::now();
      auto page = app::ReadValue(
          store, [&](app::ReadTx& tx) { return tx.search().Search(r); },
          app::ReadSize::kMany);  // as TicketService::Search
      ms.push_back(Ms(Clock::now() - start));
      SOPORTE_CHECK(page.has_value());
      hits += page->hits.size();
    }
    Percentiles(what, ms);
    std::printf("%-34s mean hits per page %.1f\n", "", static_cast<double>(hits) / qs.size());
  };
  std::mt19937_64 qrng(7);
  std::vector<std::string> frequent, rare, phrases, prefixes;
  const char* n_env = std::getenv("SEARCH_BENCH_QUERIES");  // per kind; fewer for a quick trial
  const int n = n_env != nullptr ? std::max(1, std::atoi(n_env)) : 200;
  for (int i = 0; i < n; ++i) {
    frequent.push_back(vocab.words[qrng() % 100]);      // the 100 most frequent words
    rare.push_back(vocab.words[100 + qrng() % 20000]);  // the long tail
    prefixes.push_back(vocab.words[qrng() % 100].substr(0, 4) + "*");
    // Two words that follow each other in a stored text.
    std::string text = vocab.Text(qrng, 8);
    const auto sp = text.find(' ');
    const auto sp2 = text.find(' ', sp + 1);
    // Appended, not "\"" + std::string&&: GCC 12 -O2 reports a -Wrestrict false positive there.
    std::string phrase = "\"";
    phrase.append(text, 0, sp2).push_back('"');
    phrases.push_back(std::move(phrase));
  }
  time_queries("one word, frequent (top 100)", frequent, false);
  time_queries("one word, rare (long tail)", rare, false);
  time_queries("phrase of two words", phrases, false);
  time_queries("prefix (4 letters*)", prefixes, false);
  time_queries("one frequent word, one org", frequent, true);
  time_queries("one rare word, one org", rare, true);
}

// The store, closed and opened again before each phase that times creation: the bulk load and
// the rebuild leave the process's caches and the file's WAL as no running server has them
// (timed right after the rebuild, one thread created 1,049 tickets/s with the index; reopened,
// 3,500/s).
class Reopenable final : public app::Store {
 public:
  explicit Reopenable(std::unique_ptr<storage::SqliteStore> s) : inner_(std::move(s)) {}
  Status Read(const std::function<Status(app::ReadTx&)>& fn) override { return inner_->Read(fn); }
  Status ReadMany(const std::function<Status(app::ReadTx&)>& fn) override {
    return inner_->ReadMany(fn);
  }
  Status Write(const std::function<Status(app::WriteTx&)>& fn) override {
    return inner_->Write(fn);
  }
  void Reopen(const std::string& path) {
    inner_.reset();
    auto s = storage::SqliteStore::Open(path);
    SOPORTE_CHECK(s.has_value());
    inner_ = std::move(*s);
  }

 private:
  std::unique_ptr<storage::SqliteStore> inner_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: search_bench DB_PATH [TICKETS]\n");
    return 2;
  }
  const std::string path = argv[1];
  const bool reuse = std::getenv("SEARCH_BENCH_REUSE") != nullptr;
  const long tickets = reuse ? 0 : argc > 2 ? std::atol(argv[2]) : 1000000;
  SOPORTE_CHECK(reuse == std::filesystem::exists(path));
  auto opened = storage::SqliteStore::Open(path);
  SOPORTE_CHECK(opened.has_value());
  Reopenable store(std::move(*opened));
  auto raw = sql::Db::Open(path, {});
  SOPORTE_CHECK(raw.has_value());
  sql::Db& db = **raw;
  if (reuse) {
    if (const char* stmt = std::getenv("SEARCH_BENCH_SQL")) {  // e.g. a merge, timed
      const auto start = Clock::now();
      SOPORTE_CHECK(db.Exec(stmt).has_value());
      std::printf("%s: %.1f s\n", stmt, Ms(Clock::now() - start) / 1000);
    }
    auto org = db.Prepare("SELECT id FROM orgs WHERE slug = 'org1'");
    SOPORTE_CHECK(org.has_value() && org->Step().value());
    if (std::getenv("SEARCH_BENCH_CREATES") == nullptr) {
      Vocabulary vocab;
      TimeSearches(store, OrgId{org->Int(0)}, vocab);
      return 0;
    }
  }

  // The triggers, kept to put back after the bulk load.
  std::vector<std::string> triggers;
  {
    auto s = db.Prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'");
    SOPORTE_CHECK(s.has_value());
    std::vector<std::string> names;
    while (s->Step().value()) {
      names.push_back(s->Text(0));
      triggers.push_back(s->Text(1));
    }
    for (const auto& n : names) SOPORTE_CHECK(db.Exec(("DROP TRIGGER " + n).c_str()).has_value());
  }

  // A small world: 20 organisations (the first has a third of the tickets), one contract each.
  std::vector<domain::Ticket> proto;
  UserId agent;
  if (reuse) {  // SEARCH_BENCH_CREATES: the creation phase only, on the stored desk
    auto s = db.Prepare(
        "SELECT org_id, contract_id, requester_id, (SELECT id FROM users WHERE role = 'agent') "
        "FROM tickets WHERE id <= 20 ORDER BY id");
    SOPORTE_CHECK(s.has_value());
    while (s->Step().value()) {
      domain::Ticket t;
      t.org_id = OrgId{s->Int(0)};
      t.contract_id = ContractId{s->Int(1)};
      t.requester_id = UserId{s->Int(2)};
      agent = UserId{s->Int(3)};
      proto.push_back(t);
    }
    SOPORTE_CHECK(proto.size() == 20);
  }
  auto world = reuse ? Status{Ok()} : store.Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY(a, tx.accounts().InsertUser(domain::User{UserId{}, "agente@bench.example", "Agente",
                                                         domain::Role::kAgent, OrgId{}, "hash",
                                                         true, Instant{Seconds{1780000000}}}));
    agent = a.id;
    for (int i = 0; i < 20; ++i) {
      SOPORTE_TRY(
          org, tx.orgs().InsertOrg(domain::Organization{
                   OrgId{}, std::string("org").append(std::to_string(i)),
                   std::string("Org ").append(std::to_string(i)), Instant{Seconds{1780000000}}}));
      domain::Contract c;
      c.org_id = org.id;
      c.modality = domain::sla::Modality::k24x7;
      c.zone = "America/Bogota";
      c.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
      c.channels = domain::DefaultChannels(domain::sla::Modality::k24x7);
      c.targets.critical = c.targets.important = c.targets.normal = Seconds{3600};
      c.created_at = Instant{Seconds{1780000000}};
      SOPORTE_TRY(contract, tx.orgs().InsertContract(c));
      SOPORTE_TRY(u,
                  tx.accounts().InsertUser(domain::User{
                      UserId{}, std::string("c").append(std::to_string(i)).append("@bench.example"),
                      "Cliente", domain::Role::kCustomer, org.id, "hash", true,
                      Instant{Seconds{1780000000}}}));
      domain::Ticket t;
      t.org_id = org.id;
      t.contract_id = contract.id;
      t.requester_id = u.id;
      proto.push_back(t);
    }
    return Ok();
  });
  if (!world) {
    std::fprintf(stderr, "cannot create the world: %s\n", world.error().message.c_str());
    return 1;
  }

  Vocabulary vocab;
  std::mt19937_64 rng(42);
  auto make_ticket = [&](long i) {
    domain::Ticket t = proto[i % 3 == 0 ? 0 : static_cast<std::size_t>(i % 20)];
    t.subject = vocab.Text(rng, 6);
    t.description = vocab.Text(rng, 30);
    t.received_at = t.clock_start = t.created_at = t.updated_at = Instant{Seconds{1780000000 + i}};
    t.response_due = t.received_at + Seconds{3600};
    return t;
  };
  auto make_article = [&](TicketId id, long k) {
    return domain::Article{ArticleId{},
                           id,
                           agent,
                           vocab.Text(rng, 25),
                           k % 4 == 3,
                           domain::sla::Channel::kPortal,
                           Instant{Seconds{1780000000}}};
  };

  // Bulk load, without the index.
  const auto load_start = Clock::now();
  constexpr long kBatch = 5000;
  for (long done = 0; done < tickets; done += kBatch) {
    SOPORTE_CHECK(store
                      .Write([&](app::WriteTx& tx) -> Status {
                        for (long i = done; i < std::min(tickets, done + kBatch); ++i) {
                          SOPORTE_TRY(t, tx.tickets().InsertTicket(make_ticket(i)));
                          for (long k = 0; k < 3; ++k)
                            SOPORTE_TRY_STATUS(tx.tickets().InsertArticle(make_article(t.id, k)));
                        }
                        return Ok();
                      })
                      .has_value());
    if ((done / kBatch) % 40 == 0) std::fprintf(stderr, "loaded %ld tickets\n", done + kBatch);
  }
  std::printf("loaded %ld tickets and %ld messages in %.1f s\n", tickets, 3 * tickets,
              Ms(Clock::now() - load_start) / 1000);

  // Creation throughput: one ticket and its first message per transaction, as a create does;
  // by one thread, one create after another (the writer idle between them, so it merges the
  // index then: 0025), and by 64 threads at once, as the server's 64 connections of
  // bench/api_bench.sh (the writer commits them in groups and is never idle).
  auto create_rate = [&](int n, int threads) {
    std::vector<std::pair<domain::Ticket, std::string>> made;
    for (int i = 0; i < n; ++i) made.emplace_back(make_ticket(i), vocab.Text(rng, 25));
    std::atomic<int> next{0};
    const auto io = IoBytes();
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int w = 0; w < threads; ++w) {
      workers.emplace_back([&] {
        for (int i = next++; i < n; i = next++) {
          SOPORTE_CHECK(store
                            .Write([&](app::WriteTx& tx) -> Status {
                              SOPORTE_TRY(t, tx.tickets().InsertTicket(made[i].first));
                              return tx.tickets()
                                  .InsertArticle(domain::Article{
                                      ArticleId{}, t.id, agent, made[i].second, false,
                                      domain::sla::Channel::kPortal, Instant{Seconds{1780000000}}})
                                  .map([](auto&&) {});
                            })
                            .has_value());
        }
      });
    }
    for (auto& w : workers) w.join();
    const double rate = n / (Ms(Clock::now() - start) / 1000);
    const auto io2 = IoBytes();
    std::printf("  %d creates by %d threads: %.0f/s, %.1f KB read, %.1f KB written per create\n", n,
                threads, rate, (io2.first - io.first) / 1e3 / n,
                (io2.second - io.second) / 1e3 / n);
    return rate;
  };
  constexpr int kCreates = 3000;
  if (reuse) {  // the stored desk as it is (with its index, unless its triggers were dropped)
    create_rate(kCreates, 1);
    create_rate(4 * kCreates, 64);
    return 0;
  }
  store.Reopen(path);  // as before the phase with the index
  const double without_one = create_rate(kCreates, 1);
  const double without = create_rate(4 * kCreates, 64);
  const std::int64_t size_without = Bytes(db);

  // The index: triggers back, then the rebuild `soporte reindex` runs.
  for (const auto& t : triggers) SOPORTE_CHECK(db.Exec(t.c_str()).has_value());
  const auto rebuild_start = Clock::now();
  SOPORTE_CHECK(store.Write([](app::WriteTx& tx) { return tx.search().Rebuild(); }).has_value());
  const double rebuild_s = Ms(Clock::now() - rebuild_start) / 1000;
  const std::int64_t size_with = Bytes(db);
  if (const char* cfg = std::getenv("SEARCH_BENCH_FTS");
      cfg != nullptr && *cfg != '\0') {  // e.g. "automerge=8": a tuning trial
    const std::string c = cfg;
    const auto eq = c.find('=');
    for (const char* t : {"ticket_fts", "article_fts", "attachment_fts"}) {
      const std::string stmt = std::string("INSERT INTO ") + t + "(" + t + ", rank) VALUES ('" +
                               c.substr(0, eq) + "', " + c.substr(eq + 1) + ")";
      SOPORTE_CHECK(db.Exec(stmt.c_str()).has_value());
    }
    std::printf("FTS5 setting %s\n", cfg);
  }
  store.Reopen(path);
  const double with_one = create_rate(kCreates, 1);
  const double with = create_rate(4 * kCreates, 64);
  std::printf("creation, 64 threads: %.0f tickets/s without the index, %.0f with (%.1f %% drop)\n",
              without, with, 100.0 * (without - with) / without);
  std::printf("creation, one thread: %.0f tickets/s without the index, %.0f with (%.1f %% drop)\n",
              without_one, with_one, 100.0 * (without_one - with_one) / without_one);
  std::printf(
      "size: %.1f MB without the index, %.1f MB with: the index adds %.1f %% (rebuild %.1f s)\n",
      size_without / 1e6, size_with / 1e6, 100.0 * (size_with - size_without) / size_without,
      rebuild_s);
  if (std::getenv("SEARCH_BENCH_NO_QUERIES") != nullptr) return 0;  // creation and size only

  TimeSearches(store, proto[1].org_id, vocab);
  return 0;
}
