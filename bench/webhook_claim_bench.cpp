// The webhook delivery job's cost follows what is due, not how many deliveries were ever made
// (issue 12; DESIGN.md "Work that must happen exactly once"): one claim round on the SQLite store
// (a write transaction: select due rows on webhook_deliveries_due, lease them) with nothing due,
// over 0 and 200,000 past deliveries (delivered or failed), next to an empty write transaction
// as the baseline (the commit itself). Then a round that claims 20 due rows among them.
// Compare medians within one run:
//   cmake --preset release -DSOPORTE_BUILD_BENCH=ON && cmake --build --preset release --target
//   webhook_claim_bench build/release/bench/webhook_claim_bench --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
#include <stdlib.h>

#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "common/check.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace soporte;
namespace fs = std::filesystem;

constexpr Instant kNow{Seconds{1796418000}};

struct Fixture {
  fs::path dir;
  std::unique_ptr<storage::SqliteStore> store;
  std::int64_t hook = 0;

  explicit Fixture(int past, int due) {
    std::string tmpl = (fs::temp_directory_path() / "soporte-hookbench-XXXXXX").string();
    SOPORTE_CHECK(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    auto s = storage::SqliteStore::Open((dir / "soporte.db").string());
    SOPORTE_CHECK(s.has_value());
    store = std::move(*s);
    auto h = app::WriteValue(*store, [](app::WriteTx& tx) {
      app::WebhookRecord r;
      r.url = "https://hooks.example.com/in";
      r.events = {"ticket.created"};
      r.secret = app::SealedValue{"k", "n", "c"};
      r.created_at = kNow;
      return tx.webhooks().InsertWebhook(r);
    });
    SOPORTE_CHECK(h.has_value());
    hook = h->id;
    int n = 0;
    for (int batch = 0; batch * 10000 < past + due; ++batch) {
      SOPORTE_CHECK(store
                        ->Write([&](app::WriteTx& tx) -> Status {
                          for (int i = 0; i < 10000 && n < past + due; ++i, ++n) {
                            app::WebhookDeliveryRecord d;
                            d.webhook_id = hook;
                            d.delivery_id = std::string("d").append(std::to_string(n));
                            d.event = "ticket.created";
                            d.payload = R"({"event":"ticket.created","ticket":{"number":1042}})";
                            d.created_at = kNow - Seconds{86400};
                            d.next_attempt_at = kNow - Seconds{3600};
                            if (n < past) {
                              d.attempts = 1;
                              if (n % 10 == 0)
                                d.failed_at = kNow - Seconds{60};
                              else
                                d.delivered_at = kNow - Seconds{60};
                            }
                            SOPORTE_TRY(stored, tx.webhooks().InsertWebhookDelivery(std::move(d)));
                            (void)stored;
                          }
                          return Ok();
                        })
                        .has_value());
    }
  }
  ~Fixture() {
    store.reset();
    fs::remove_all(dir);
  }
};

void BM_EmptyWrite(benchmark::State& state) {
  Fixture f(0, 0);
  for (auto _ : state)
    SOPORTE_CHECK(f.store->Write([](app::WriteTx&) { return Ok(); }).has_value());
}

void BM_ClaimNothingDue(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)), 0);
  for (auto _ : state) {
    auto r = app::WriteValue(*f.store, [](app::WriteTx& tx) {
      return tx.webhooks().ClaimWebhookDeliveries(kNow, "bench", kNow + Seconds{600}, 20);
    });
    SOPORTE_CHECK(r.has_value() && r->empty());
  }
}

// 20 due rows among `past` others: claimed, then given back (lease expired) for the next round.
void BM_Claim20Due(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)), 20);
  Instant now = kNow;
  for (auto _ : state) {
    auto r = app::WriteValue(*f.store, [&](app::WriteTx& tx) {
      return tx.webhooks().ClaimWebhookDeliveries(now, "bench", now + Seconds{1}, 20);
    });
    SOPORTE_CHECK(r.has_value() && r->size() == 20u);
    now += Seconds{2};  // the leases just taken have run out at the next round
  }
}

BENCHMARK(BM_EmptyWrite)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ClaimNothingDue)->Arg(0)->Arg(200000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Claim20Due)->Arg(0)->Arg(200000)->Unit(benchmark::kMicrosecond);

}  // namespace
