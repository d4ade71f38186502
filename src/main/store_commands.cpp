// `soporte store copy --from sqlite:DIR --to postgresql://… [--data-to DIR2]`: moves a desk from
// the embedded SQLite store to PostgreSQL (storage/copy/store_copy.hpp): every table in
// dependency order and in batches, the sequences and counters advanced, the search documents
// rebuilt, then every table verified (row count and checksum on both sides); the attachments
// and the secret key copied to DIR2 when given (storage/copy/data_files.hpp). Rerun after an
// interruption, it finishes the copy. Prints a short table; exits non-zero on a mismatch.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/ports/store.hpp"
#include "main/commands.hpp"
#include "storage/copy/data_files.hpp"
#include "storage/copy/store_copy.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "transport/cli/exit_codes.hpp"

namespace soporte::main {
namespace {

struct StoreCopyOptions {
  std::string from, to, data_to;
  int batch_rows = 1000;
};

std::string Pad(const std::string& s, std::size_t n) {
  return s.size() >= n ? s : s + std::string(n - s.size(), ' ');
}

Status RunStoreCopy(const StoreCopyOptions& o) {
  if (!o.from.starts_with("sqlite:") || o.from.size() == 7) {
    return Fail(ErrorCode::kInvalidArgument,
                "--from must be sqlite:DIR (a soporte data directory)");
  }
  if (!storage::IsPostgresUrl(o.to)) {
    return Fail(ErrorCode::kInvalidArgument, "--to must be a postgresql:// URL");
  }
  if (o.batch_rows < 1) return Fail(ErrorCode::kInvalidArgument, "--batch-rows must be at least 1");
  const std::string dir = o.from.substr(7);
  const auto start = std::chrono::steady_clock::now();

  SOPORTE_TRY(copy, storage::SqliteToPostgresCopy::Open(dir, o.to));
  std::cout << "copying " << dir << " (schema version " << copy->source_version() << ") to "
            << "PostgreSQL" << std::endl;
  SOPORTE_TRY(copied, copy->CopyTables(o.batch_rows, [](const storage::TableCopied& t) {
    if (t.rows > 0) {
      std::cout << "  " << Pad(t.table, 28) << t.rows << " rows (" << t.inserted << " new)"
                << std::endl;
    }
  }));

  // Derived: the search documents are rebuilt from the copied rows.
  {
    storage::PostgresOptions options;
    options.max_connections = 1;
    SOPORTE_TRY(pg, storage::PostgresStore::Open(o.to, options));
    SOPORTE_TRY_STATUS(pg->Write([](app::WriteTx& tx) { return tx.search().Rebuild(); }));
    std::cout << "search index rebuilt from the copied rows (derived, not copied:";
    for (const auto& d : storage::SqliteToPostgresCopy::DerivedTables()) std::cout << " " << d;
    std::cout << ")" << std::endl;
  }

  if (!o.data_to.empty()) {
    SOPORTE_TRY(files, storage::CopyDataFiles(dir, o.data_to));
    std::cout << "attachments: " << files.blobs << " blobs (" << files.bytes << " bytes, "
              << files.blobs_written << " written, every hash checked) in " << o.data_to << "/blobs"
              << (files.key_copied ? "; secret.key copied" : "; no secret.key") << "\n"
              << "serve it with: soporte serve --store URL --data " << o.data_to << std::endl;
  } else {
    std::cout << "attachments and secret.key stay in " << dir
              << " (no --data-to): serve the PostgreSQL desk with --store URL --data " << dir
              << std::endl;
  }

  SOPORTE_TRY(checks, copy->Verify());
  std::cout << "\n"
            << Pad("table", 28) << Pad("source", 10) << Pad("postgresql", 12) << "checksum\n";
  std::string bad;
  std::int64_t rows = 0;
  for (const auto& v : checks) {
    rows += v.source_rows;
    if (!v.ok()) bad += (bad.empty() ? "" : ", ") + v.table;
    if (v.source_rows == 0 && v.target_rows == 0) continue;
    std::cout << Pad(v.table, 28) << Pad(std::to_string(v.source_rows), 10)
              << Pad(std::to_string(v.target_rows), 12)
              << (v.ok() ? v.source_sum.substr(0, 12) + " ok" : std::string("MISMATCH")) << "\n";
  }
  if (!bad.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "verification failed: the copy differs in " + bad);
  }
  const auto s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  std::cout << "verified: " << checks.size() << " tables, " << rows << " rows, identical (" << s
            << " s)" << std::endl;
  return Ok();
}

}  // namespace

void AddStoreCommands(CLI::App& app, int& exit_code) {
  auto* store = app.add_subcommand("store", "move a desk between stores");
  store->require_subcommand(1);
  auto o = std::make_shared<StoreCopyOptions>();
  auto* cmd = store->add_subcommand(
      "copy",
      "copy a desk from SQLite to PostgreSQL: every table, row for row, verified at the end; "
      "rerun after an interruption to finish. Stop the desk (or keep it read-only) during the "
      "copy: what it writes after the copy starts is not copied");
  cmd->add_option("--from", o->from, "sqlite:DIR, the data directory of the desk to copy")
      ->required();
  cmd->add_option("--to", o->to, "postgresql://… database (its schema is created)")->required();
  cmd->add_option("--data-to", o->data_to,
                  "data directory for the PostgreSQL desk: the attachments and secret.key are "
                  "copied there (default: the desk keeps using DIR for them)");
  cmd->add_option("--batch-rows", o->batch_rows, "rows per committed batch (default 1000)");
  cmd->callback([o, &exit_code] {
    auto st = RunStoreCopy(*o);
    exit_code = st ? transport::cli::kExitOk : Report(st.error());
  });
}

}  // namespace soporte::main
