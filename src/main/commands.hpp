// The data commands of the soporte binary: init, org add, contract add, user add, user set, token create,
// demo and serve. They parse options (CLI11), open the data directory through wiring, and call
// the use cases as the system administrator; they hold no business rule.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common/result.hpp"

namespace soporte::main {

// Prints "error: <message>" on stderr and returns the exit status for `e` (one table for every
// command: transport/cli/exit_codes).
int Report(const Error& e);
// Adds --data DIR to `cmd`, defaulting to $SOPORTE_DATA (required when that is unset).
void AddDataOption(CLI::App* cmd, std::string& data);

// Registers the subcommands on `app`; each callback stores its exit status in `exit_code`.
void AddDataCommands(CLI::App& app, int& exit_code);
// `soporte demo` (main/demo_command.cpp): loads the demo desk into `data_dir` (creating it) and
// prints the logins; returns the exit status.
int RunDemo(const std::string& data_dir);
// `soporte mail ingest` (main/mail_commands.cpp).
void AddMailCommands(CLI::App& app, int& exit_code);
// `oncall now|at TIME` (oncall_commands.cpp).
void AddOnCallCommands(CLI::App& app, int& exit_code);
// `soporte secrets rotate-key` and `soporte backup` (main/secret_commands.cpp).
void AddSecretCommands(CLI::App& app, int& exit_code);
// `soporte profile export|import` (main/profile_commands.cpp).
void AddProfileCommands(CLI::App& app, int& exit_code);
// soporte reindex (search_commands.cpp).
void AddSearchCommands(CLI::App& app, int& exit_code);
// `soporte restore` and `soporte migrate` (main/maintenance_commands.cpp).
void AddMaintenanceCommands(CLI::App& app, int& exit_code);
// `soporte report sla` (main/report_commands.cpp).
void AddReportCommands(CLI::App& app, int& exit_code);
// `soporte store copy` (main/store_commands.cpp).
void AddStoreCommands(CLI::App& app, int& exit_code);

}  // namespace soporte::main
