// `soporte mail ingest`: one RFC 5322 message on standard input (an MTA's pipe or LMTP-to-command
// delivery) through the intake path. Prints the ticket number it created or updated (or
// "unassigned N" for mail kept for agents) and exits 0 only once the message is committed;
// 75 (EX_TEMPFAIL) whenever it could not be stored, so the MTA keeps it and retries; 65
// (EX_DATAERR) for a message over the size limit (the MTA returns it to its sender).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/mail/gmime_parser.hpp"

namespace soporte::main {
namespace {

namespace cli = transport::cli;
constexpr int kExitDataErr = 65;  // sysexits.h EX_DATAERR

int MailFailure(const Error& e) {
  std::cerr << "error: " << e.message << "\n";
  if (e.code == ErrorCode::kTooLarge) return kExitDataErr;
  return cli::kExitTempFail;  // never 0 for a message that was not stored
}

}  // namespace

int RunMailIngest(const std::string& data_dir, const std::string& mail_from,
                  const std::string& auth_serv_id) {
  DeskOptions options;
  if (!mail_from.empty()) options.mail_from = mail_from;
  options.mail_auth_serv_id = auth_serv_id;
  auto desk = OpenDesk(data_dir, options);
  if (!desk) return MailFailure(desk.error());
  const std::string spool_dir = (std::filesystem::path(data_dir) / "tmp").string();
  auto spooled = transport::mail::SpoolFd(STDIN_FILENO, spool_dir, app::ParserLimits{}.max_message);
  if (!spooled) return MailFailure(spooled.error());
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{*spooled};
  auto parsed = (*desk)->mail_parser->ParseFile(*spooled);
  if (!parsed) return MailFailure(parsed.error());
  auto result = (*desk)->mail_ingest->Run(*parsed);
  if (!result) return MailFailure(result.error());
  if (result->number > 0) {
    std::cout << result->number << "\n";
  } else {
    std::cout << "unassigned " << result->unassigned_id << "\n";
  }
  std::cout.flush();
  return cli::kExitOk;
}

void AddMailCommands(CLI::App& app, int& exit_code) {
  auto* mail = app.add_subcommand("mail", "the email channel");
  mail->require_subcommand(1);
  auto* cmd = mail->add_subcommand("ingest", "store one RFC 5322 message read from standard input");
  struct Opts {
    std::string data, mail_from, auth_serv_id;
  };
  auto o = std::make_shared<Opts>();
  AddDataOption(cmd, o->data);
  cmd->add_option("--mail-from", o->mail_from, "the support address (default soporte@example.com)");
  cmd->add_option(
      "--mail-auth-serv-id", o->auth_serv_id,
      "trust only the Authentication-Results headers (RFC 8601) of this authserv-id (your MTA's); "
      "mail whose author they do not verify waits unassigned as unverified");
  cmd->callback(
      [o, &exit_code] { exit_code = RunMailIngest(o->data, o->mail_from, o->auth_serv_id); });
}

}  // namespace soporte::main
