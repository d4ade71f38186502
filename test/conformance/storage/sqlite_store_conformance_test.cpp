// Checks only the SQLite store has: the append-only trigger, reopening, migrations, WAL, group
// commit batching, and the WAL's bound under sustained writes.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "domain/search/search_query.hpp"
#include "storage/migrations/embedded.hpp"
#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

// The newest migration this binary carries (0001_init, 0002_mail, …).
const int kSchemaVersion = sqlite_migrations().back().version;

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
    SOPORTE_CHECK(store
                      .Write([&](app::WriteTx& tx) -> Status {
                        SOPORTE_TRY(o, tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme",
                                                                                "Acme", T(kBase)}));
                        domain::Contract c;
                        c.org_id = o.id;
                        c.channels = domain::DefaultChannels(c.modality);
                        SOPORTE_TRY(k, tx.orgs().InsertContract(c));
                        SOPORTE_TRY(u, tx.accounts().InsertUser(domain::User{
                                           UserId{}, "ana@acme.test", "Ana",
                                           domain::Role::kCustomer, o.id, "", true, T(kBase)}));
                        org = o.id;
                        contract = k.id;
                        user = u.id;
                        return Ok();
                      })
                      .has_value());
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
    return (std::uint32_t{h[12]} << 24) | (std::uint32_t{h[13]} << 16) |
           (std::uint32_t{h[14]} << 8) | h[15];
  }
  static constexpr std::uintmax_t kFrameBytes =
      4096 + 24;  // one page in the WAL, with its frame header

  TempDir dir_;
};

TEST_F(SqliteOnlyTest, HistoryIsAppendOnlyInTheDatabase) {
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    auto ids = Seed(**store);
    ASSERT_TRUE((*store)->Write([&](app::WriteTx& tx) -> Status {
      SOPORTE_TRY(t, tx.tickets().InsertTicket(MakeTicket(ids, kBase)));
      return tx.audit().AppendEvent(
          domain::TicketEvent{0, t.id, UserId{}, T(kBase), "created", "", "new"});
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
      return tx.audit().AppendUserEvent(
          app::UserEventRecord{0, UserId{1}, UserId{}, T(kBase), "org_admin", "false", "true"});
    }));
  }
  EXPECT_EQ(RawExec("UPDATE user_events SET after = 'forged'"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawExec("DELETE FROM user_events"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawCount("SELECT count(*) FROM user_events WHERE after = 'true'"), 1);
  // The audit log (0009) is append-only too.
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->Write([&](app::WriteTx& tx) {
      return tx.audit().AppendAuditEntry(app::AuditEntryRecord{
          0, "login", 0, "x@example.com", UserId{}, T(kBase), "192.0.2.1", "login", "", "locked"});
    }));
  }
  EXPECT_EQ(RawExec("UPDATE audit_log SET after = 'ok'"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawExec("DELETE FROM audit_log"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawCount("SELECT count(*) FROM audit_log WHERE after = 'locked'"), 1);
}

TEST_F(SqliteOnlyTest, ReopenKeepsDataAndDoesNotReapplyMigrations) {
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
    auto ids = Seed(**store);
    ASSERT_TRUE(WriteValue(**store, [&](app::WriteTx& tx) {
      return tx.tickets().InsertTicket(MakeTicket(ids, kBase));
    }));
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

// 0028_search_scope: the upgrade indexes every text already stored again, each with its
// ticket's organisation, so a search limited to one organisation finds its old tickets, messages
// and file names. (The migration is replayed on a desk made at the newest version: its views
// and its new trigger dropped and its record removed, as if it had stopped at 0027.)
TEST_F(SqliteOnlyTest, UpgradeIndexesStoredTextsWithTheirOrganisations) {
  std::map<std::string, TicketId> ticket_of;  // org slug → its ticket
  std::map<std::string, OrgId> org_of;
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store);
    auto ids = Seed(**store);
    ASSERT_TRUE((*store)->Write([&](app::WriteTx& tx) -> Status {
      SOPORTE_TRY(globex,
                  tx.orgs().InsertOrg(domain::Organization{OrgId{}, "globex", "Globex", T(kBase)}));
      org_of = {{"acme", std::get<0>(ids)}, {"globex", globex.id}};
      for (const auto& [slug, org] : org_of) {
        auto t = MakeTicket(ids, kBase);
        t.org_id = org;
        t.subject = "Respaldo nocturno";
        SOPORTE_TRY(stored, tx.tickets().InsertTicket(t));
        ticket_of[slug] = stored.id;
        SOPORTE_TRY_STATUS(tx.tickets().InsertArticle(
            domain::Article{ArticleId{}, stored.id, std::get<2>(ids), "La bitácora muestra errores",
                            false, domain::sla::Channel::kPortal, T(kBase)}));
        SOPORTE_TRY_STATUS(tx.tickets().InsertAttachment(
            domain::Attachment{AttachmentId{}, stored.id, std::nullopt, std::string(64, 'c'),
                               "informe.pdf", "application/pdf", 3, std::get<2>(ids), T(kBase)}));
      }
      return Ok();
    }));
  }
  ASSERT_EQ(RawExec("DROP VIEW article_fts_content; DROP VIEW attachment_fts_content; "
                    "DROP TRIGGER tickets_fts_org; "
                    "DELETE FROM schema_migrations WHERE version = 28"),
            SQLITE_OK);
  auto store = SqliteStore::Open(DbPath());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  for (const char* words : {"respaldo", "bitacora", "informe"}) {
    for (const auto& [slug, org] : org_of) {
      app::SearchRequest r;
      r.query = *domain::search::ParseSearchQuery(words);
      r.filters.org_id = org;
      r.filters.now = T(kBase);
      auto page = ReadValue(**store, [&](app::ReadTx& tx) { return tx.search().Search(r); });
      ASSERT_TRUE(page) << page.error().message;
      ASSERT_EQ(page->hits.size(), 1u) << words << " in " << slug;
      EXPECT_EQ(page->hits[0].ticket_id, ticket_of[slug]) << words << " in " << slug;
    }
  }
}

// 0010_reset_links: reset mails delivered or given up before the outbox blanked them lose their
// link when the desk is upgraded; an unsent reset mail and other mail keep their bodies.
TEST_F(SqliteOnlyTest, UpgradeBlanksTheLinksOfDeliveredResetMails) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()));
  const std::string cols =
      "INSERT INTO outbox(created_at, kind, to_address, subject, body_text, message_id, "
      "in_reply_to, refs, auto_submitted, lang, attempts, next_attempt_at, last_error, sent_at, "
      "failed_at) VALUES ";
  ASSERT_EQ(RawExec(cols +
                    "(1, 'password_reset', 'a@x.test', 's', 'link-sent', 'm1@x', '', '', '', 'es', "
                    "1, 1, '', 5, NULL),"
                    "(1, 'password_reset', 'b@x.test', 's', 'link-failed', 'm2@x', '', '', '', "
                    "'es', 9, 1, 'refused', NULL, 6),"
                    "(1, 'password_reset', 'c@x.test', 's', 'link-pending', 'm3@x', '', '', '', "
                    "'es', 0, 1, '', NULL, NULL),"
                    "(1, 'ticket_created', 'd@x.test', 's', 'acuse', 'm4@x', '', '', '', 'es', 1, "
                    "1, '', 5, NULL)"),
            SQLITE_OK);
  // As if the desk had stopped at the version before 0010.
  ASSERT_EQ(RawExec("DELETE FROM schema_migrations WHERE version = 10"), SQLITE_OK);
  auto store = SqliteStore::Open(DbPath());
  ASSERT_TRUE(store) << store.error().message;
  store->reset();
  EXPECT_EQ(RawCount("SELECT count(*) FROM outbox WHERE body_text = ''"), 2);
  EXPECT_EQ(RawCount("SELECT count(*) FROM outbox WHERE body_text = 'link-pending'"), 1);
  EXPECT_EQ(RawCount("SELECT count(*) FROM outbox WHERE body_text = 'acuse'"), 1);
}

// 0022_outbox_facts: mail queued as text before the upgrade keeps its text, reads back without
// facts and is claimed as it was (the outbox delivers it as stored). The upgrade only adds
// columns, which are NULL on such a row: a row written with the columns before 0022 is one.
TEST_F(SqliteOnlyTest, MailQueuedAsTextBeforeTheUpgradeKeepsItsText) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()));
  ASSERT_EQ(RawExec("INSERT INTO outbox(created_at, kind, to_address, subject, body_text, "
                    "message_id, in_reply_to, refs, auto_submitted, lang, attempts, "
                    "next_attempt_at, last_error) VALUES (1, 'ticket_received', 'a@x.test', "
                    "'[#1001] Recibimos su solicitud: s', 'Hola Ana:', 'm1@x', '', '', "
                    "'auto-replied', 'es', 0, 1, '')"),
            SQLITE_OK);
  auto store = SqliteStore::Open(DbPath());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  auto row =
      ReadValue(**store, [](app::ReadTx& tx) { return tx.mail().FindOutboxByMessageId("m1@x"); });
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_FALSE(row->facts);
  EXPECT_EQ(row->subject, "[#1001] Recibimos su solicitud: s");
  EXPECT_EQ(row->body_text, "Hola Ana:");
  auto claimed = WriteValue(
      **store, [](app::WriteTx& tx) { return tx.mail().ClaimOutbox(T(10), T(310), 10); });
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_FALSE((*claimed)[0].facts);
  EXPECT_EQ((*claimed)[0].body_text, "Hola Ana:");
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
  ASSERT_EQ(RawExec("INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 'x', 0)"),
            SQLITE_OK);
  auto store = SqliteStore::Open(DbPath());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos)
      << store.error().message;
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
  EXPECT_EQ(after.jobs - before.jobs, 4);        // the blocker and the three
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
          SOPORTE_TRY_STATUS(
              tx.tickets().InsertTicket(MakeTicket(ids, kBase + i * kPerThread + k)));
          return Ok();
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto after = store.writer_stats();
  const auto jobs = after.jobs - before.jobs;
  const auto batches = after.batches - before.batches;
  std::cout << "commits/s: " << static_cast<long long>(jobs / secs) << " (" << jobs << " writes in "
            << batches << " transactions, " << secs << " s)" << std::endl;
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(jobs, kThreads * kPerThread);
  EXPECT_LT(batches, jobs / 4);  // writes were grouped
  auto stats =
      ReadValue(store, [](app::ReadTx& tx) { return tx.tickets().GetTicketStats(T(kBase)); });
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
              SOPORTE_TRY_STATUS(
                  tx.tickets().InsertTicket(MakeTicket(ids, kBase + i * kPerThread + k)));
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
  // The limit, plus the pages of the batch that crossed it: 8 tickets, each in the table and
  // its 11 indexes (the list's, migration 0015), up to ~150 pages. SQLite's own checkpoint lets
  // the WAL reach 1000 pages; no checkpoint at all, several thousand.
  EXPECT_LE(std::max(largest.load(), WalBytes()), 4 * 64 * kFrameBytes + 32);
  EXPECT_EQ(RawCount("SELECT count(*) FROM tickets"), kThreads * kPerThread);
  opened->reset();
  EXPECT_FALSE(fs::exists(DbPath() + "-wal"));  // the last connection to close checkpointed it away
  EXPECT_EQ(RawCount("SELECT count(*) FROM tickets"), kThreads * kPerThread);
  EXPECT_EQ(RawCount("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"),
            1);
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
  for (int k = 0; k < 20 * kWrites && WalRestarts() == restarts_before; ++k)
    ASSERT_TRUE(insert(1000 + k));
  EXPECT_GT(WalRestarts(), restarts_before);
  EXPECT_EQ(RawCount("SELECT count(*) FROM tickets"), RawCount("SELECT max(id) FROM tickets"));
}

}  // namespace
}  // namespace soporte::storage::conformance
