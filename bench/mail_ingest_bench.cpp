// Ingest of 5 KB messages through the intake path (spooled file → GmimeParser → IngestMessage →
// SQLite commit, a new ticket plus its acknowledgement in the outbox each time) by N threads
// sharing one IngestMessage (as the IMAP poller's workers do), on a fresh data directory in /tmp.
// Concurrent writes share the SQLite writer's group commit. Target: >= 2,000 messages/s (wall).
// Each iteration ingests a batch of kBatch messages split over the threads; items/s is wall time.
//   cmake --preset release && cmake --build --preset release -j2 --target mail_ingest_bench
//   build/release/bench/mail_ingest_bench
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "app/mail/ingest_message.hpp"
#include "app/mail/mail_notifier.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/check.hpp"
#include "storage/fs/fs_blob_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "transport/mail/gmime_parser.hpp"

namespace {

using namespace soporte;
namespace fs = std::filesystem;

std::string Message(long n) {
  std::string body;
  while (body.size() < 4600) {
    body += "El m=C3=B3dulo de facturaci=C3=B3n electr=C3=B3nica no carga en producci=C3=B3n; =\r\n"
            "adjunto los pasos para reproducirlo y el log del servidor de aplicaciones.\r\n";
  }
  return "From: Ana <ana@acme.example.com>\r\nTo: soporte@example.com\r\n"
         "Subject: =?UTF-8?Q?No_carga_la_facturaci=C3=B3n?= " + std::to_string(n) + "\r\n"
         "Message-ID: <bench-" + std::to_string(n) + "@acme.example.com>\r\n"
         "Date: Tue, 03 Mar 2026 09:15:00 -0500\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body;
}

void BM_IngestMessage(benchmark::State& state) {
  std::string tmpl = (fs::temp_directory_path() / "soporte-mailbench-XXXXXX").string();
  SOPORTE_CHECK(::mkdtemp(tmpl.data()) != nullptr);
  const fs::path dir = tmpl;
  fs::create_directories(dir / "tmp");
  {
    auto store = storage::SqliteStore::Open((dir / "soporte.db").string());
    SOPORTE_CHECK(store.has_value());
    auto blobs = storage::FsBlobStore::Open((dir / "blobs").string());
    SOPORTE_CHECK(blobs.has_value());
    auto sla = domain::sla::SlaEngine::Create();
    SOPORTE_CHECK(sla.has_value());
    SystemClock clock;
    app::NullEventBus bus;
    app::TicketService tickets(**store, *sla, bus, clock);
    app::MailNotifier notifier(app::MailNotifierOptions{});
    tickets.SetNotifier(&notifier);
    app::IngestOptions options;
    options.acks_per_hour = 1 << 30;
    app::IngestMessage ingest(**store, tickets, notifier, bus, clock, options);
    transport::mail::GmimeParser parser(**blobs, (dir / "tmp").string());
    SOPORTE_CHECK(app::WriteValue(**store, [&](app::WriteTx& tx) -> Result<bool> {
                    SOPORTE_TRY(org, tx.orgs().InsertOrg(domain::Organization{
                                         OrgId{}, "acme", "ACME", clock.Now()}));
                    domain::Contract c;
                    c.org_id = org.id;
                    c.valid_from = std::chrono::sys_days{std::chrono::year{2020} / 1 / 1};
                    c.channels = domain::DefaultChannels(domain::sla::Modality::k8x5);
                    c.targets.critical = c.targets.important = c.targets.normal = Seconds{8 * 3600};
                    c.created_at = clock.Now();
                    SOPORTE_TRY_STATUS(tx.orgs().InsertContract(c));
                    SOPORTE_TRY_STATUS(tx.accounts().InsertUser(
                        domain::User{UserId{}, "ana@acme.example.com", "Ana",
                                     domain::Role::kCustomer, org.id, "", true, clock.Now()}));
                    return true;
                  }).has_value());
    const int threads = static_cast<int>(state.range(0));
    constexpr long kBatch = 256;
    std::atomic<long> next{0};
    std::atomic<std::int64_t> bytes{0};
    // One message: spool, parse, ingest (one commit, shared with the other threads' commits).
    auto one = [&](int worker, long n) {
      const std::string path = (dir / "tmp" / ("bench-" + std::to_string(worker) + ".eml")).string();
      {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        const std::string m = Message(n);
        bytes += static_cast<std::int64_t>(m.size());
        out << m;
      }
      auto msg = parser.ParseFile(path);
      SOPORTE_CHECK(msg.has_value());
      auto r = ingest.Run(*msg);
      SOPORTE_CHECK(r.has_value() && r->outcome == app::IngestOutcome::kNewTicket);
    };
    long done = 0;
    for (auto _ : state) {
      const long end = done + kBatch;
      next = done;
      std::vector<std::thread> pool;
      for (int w = 0; w < threads; ++w) {
        pool.emplace_back([&, w] {
          for (long n = next++; n < end; n = next++) one(w, n);
        });
      }
      for (auto& t : pool) t.join();
      done = end;
    }
    state.SetItemsProcessed(done);
    state.SetBytesProcessed(bytes.load());
  }
  fs::remove_all(dir);
}
// Argument: ingesting threads. Wall time (UseRealTime): the figure a mailbox sees.
BENCHMARK(BM_IngestMessage)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)->Arg(32)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
