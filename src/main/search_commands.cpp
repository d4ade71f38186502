// `soporte reindex`: rebuilds the full-text search index (issue 18, part 2) from the stored
// tickets, articles and attachments, in one write transaction. The index is kept up to date as
// tickets change (migration 0016's triggers); this is for repairs and after restoring a backup
// made by an older soporte.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "transport/cli/exit_codes.hpp"

namespace soporte::main {

void AddSearchCommands(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("reindex", "rebuild the full-text search index");
  auto data = std::make_shared<std::string>();
  AddDataOption(cmd, *data);
  cmd->callback([data, &exit_code] {
    auto desk = OpenDesk(*data);
    if (!desk) {
      exit_code = Report(desk.error());
      return;
    }
    const auto start = std::chrono::steady_clock::now();
    auto st = (*desk)->store->Write([](app::WriteTx& tx) { return tx.search().Rebuild(); });
    if (!st) {
      exit_code = Report(st.error());
      return;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::cout << "search index rebuilt in " << ms << " ms\n";
    exit_code = transport::cli::kExitOk;
  });
}

}  // namespace soporte::main
