// The soporte binary: parses the command line with CLI11 and dispatches to the command groups in
// transport/cli. Each group registers its subcommands here; wiring of concrete stores and servers
// happens in main/wiring.cpp. Every bad option or value ends with a one-line error and status 2.
#include <malloc.h>
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "main/commands.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/cli/sla_cli.hpp"

int main(int argc, char** argv) {
  namespace cli = soporte::transport::cli;
  // 2026-11-28: glibc gave freed memory back to the kernel after every SQLite savepoint release;
  // the page-table flushes took 30-45 % of the group-commit writer's time (perf). Keep up to
  // 256 MiB of freed memory in the process instead.
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
  // Everything soporte creates (the database and its WAL, blobs, backups, spooled mail, the data
  // directory) is its owner's alone from the moment it exists: no window where a file is 0644.
  ::umask(077);
  CLI::App app{"soporte: a support desk", "soporte"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "soporte 0.1.0");
  int exit_code = cli::kExitOk;  // set by the command callbacks during parse
  cli::AddSlaCommands(app, exit_code);
  soporte::main::AddDataCommands(app, exit_code);
  soporte::main::AddMailCommands(app, exit_code);
  soporte::main::AddOnCallCommands(app, exit_code);
  soporte::main::AddSecretCommands(app, exit_code);
  soporte::main::AddProfileCommands(app, exit_code);
  soporte::main::AddSearchCommands(app, exit_code);
  soporte::main::AddReportCommands(app, exit_code);
  soporte::main::AddMaintenanceCommands(app, exit_code);
  soporte::main::AddStoreCommands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return cli::kExitUsage;
  }
  return exit_code;
}
