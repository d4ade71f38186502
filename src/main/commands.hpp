// The data commands of the soporte binary: init, org add, contract add, user add, token create,
// demo and serve. They parse options (CLI11), open the data directory through wiring, and call
// the use cases as the system administrator; they hold no business rule.
#pragma once

#include <CLI/CLI.hpp>

namespace soporte::main {

// Registers the subcommands on `app`; each callback stores its exit status in `exit_code`.
void AddDataCommands(CLI::App& app, int& exit_code);
// `soporte mail ingest` (main/mail_commands.cpp).
void AddMailCommands(CLI::App& app, int& exit_code);
// `soporte secrets rotate-key` and `soporte backup` (main/secret_commands.cpp).
void AddSecretCommands(CLI::App& app, int& exit_code);

}  // namespace soporte::main
