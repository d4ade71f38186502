// `soporte profile export` and `soporte profile import`: an organisation's profile as a JSON
// document (app/profiles/profile_transfer.hpp; the same document as GET/POST
// /api/v1/orgs/{slug}/profile/export and …/import). The passphrase of an export with secrets is
// read from standard input (never an argument: it would show in `ps` and shell history), and
// such an export names the staff member it is recorded for in the reveal log (--as).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "app/accounts/principal.hpp"
#include "domain/account/account.hpp"
#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/profile_document_codec.hpp"
#include "transport/cli/exit_codes.hpp"

namespace soporte::main {
namespace {

namespace cli = transport::cli;

int Usage(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return cli::kExitUsage;
}

// The first line of standard input, without its line end.
std::string ReadPassphrase() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The principal of the user with `email` (the staff member a CLI export is recorded for).
Result<app::Principal> PrincipalByEmail(Desk& desk, const std::string& email) {
  SOPORTE_TRY(normalized, domain::NormalizeEmail(email));
  auto user = ReadValue(*desk.store,
                        [&](app::ReadTx& tx) { return tx.accounts().GetUserByEmail(normalized); });
  if (!user) {
    if (user.error().code == ErrorCode::kNotFound) return Fail(ErrorCode::kNotFound, "no user " + email);
    return tl::make_unexpected(user.error());
  }
  return app::PrincipalOf(*user);
}

// Writes `text` to `path`, created with mode 0600 (it may hold encrypted secrets); refuses to
// overwrite an existing file.
Status WriteNewFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Fail(ErrorCode::kAlreadyExists, path + " already exists");
    return Fail(ErrorCode::kUnavailable, "cannot create " + path + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(path.c_str());
      return Fail(ErrorCode::kUnavailable, "cannot write " + path);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

struct ExportOpts {
  std::string data, org, reason, as, out;
  bool include_secrets = false, passphrase_stdin = false;
};

int Export(const ExportOpts& o) {
  app::ExportRequest in;
  app::Principal who = app::SystemPrincipal();
  if (o.include_secrets) {
    if (!o.passphrase_stdin) return Usage("--include-secrets needs --passphrase-stdin (the passphrase to encrypt them to)");
    if (o.as.empty()) return Usage("--include-secrets needs --as EMAIL: the staff member the reveal is recorded for");
    in.include_secrets = true;
    in.reason = o.reason;
    in.passphrase = ReadPassphrase();
  } else if (o.passphrase_stdin || !o.reason.empty()) {
    return Usage("--passphrase-stdin and --reason go with --include-secrets");
  }
  auto desk = OpenDesk(o.data);
  if (!desk) return Report(desk.error());
  if (!o.as.empty()) {
    auto p = PrincipalByEmail(**desk, o.as);
    if (!p) return Report(p.error());
    if (!p->staff()) return Usage("--as must name a staff member (agent, supervisor or admin)");
    who = *p;
  }
  auto doc = (*desk)->profile_transfer->Export(who, o.org, in);
  if (!doc) return Report(doc.error());
  const std::string text =
      transport::api::codec::Serialize(transport::api::codec::ProfileDocumentJson(*doc)) + "\n";
  if (o.out.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) return Report(Error{ErrorCode::kUnavailable, "cannot write to standard output"});
  } else if (auto st = WriteNewFile(o.out, text); !st) {
    return Report(st.error());
  } else {
    std::cerr << doc->entries.size() << " entries exported to " << o.out << "\n";
  }
  return 0;
}

struct ImportOpts {
  std::string data, org, file, mode = "merge";
  bool passphrase_stdin = false;
};

int Import(const ImportOpts& o) {
  if (o.mode != "merge" && o.mode != "replace") return Usage("--mode must be merge or replace (got '" + o.mode + "')");
  std::ifstream f(o.file, std::ios::binary);
  if (!f) return Report(Error{ErrorCode::kNotFound, "cannot read " + o.file});
  std::stringstream ss;
  ss << f.rdbuf();
  auto doc = transport::api::codec::ParseProfileDocumentText(ss.str());
  if (!doc) return Report(Error{doc.error().code, o.file + ": " + doc.error().message});
  app::ImportRequest in;
  in.document = std::move(*doc);
  in.mode = o.mode == "replace" ? app::ImportMode::kReplace : app::ImportMode::kMerge;
  if (o.passphrase_stdin) in.passphrase = ReadPassphrase();
  auto desk = OpenDesk(o.data);
  if (!desk) return Report(desk.error());
  auto r = (*desk)->profile_transfer->Import(app::SystemPrincipal(), o.org, in);
  if (!r) return Report(r.error());
  std::cout << r->created << " created, " << r->updated << " updated, " << r->unchanged << " unchanged, "
            << r->deleted << " deleted, " << r->secrets_imported << " secrets imported";
  if (r->secrets_skipped > 0) std::cout << ", " << r->secrets_skipped << " secrets not in the file";
  std::cout << "\n";
  return 0;
}

}  // namespace

void AddProfileCommands(CLI::App& app, int& exit_code) {
  auto* profile = app.add_subcommand("profile", "export or import an organisation's profile as JSON");
  profile->require_subcommand(1);
  {
    auto* cmd = profile->add_subcommand("export", "write the profile as a JSON document (secrets left out unless asked)");
    auto o = std::make_shared<ExportOpts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--org", o->org, "organisation slug")->required();
    cmd->add_option("--out", o->out, "file to create (mode 0600; default: standard output)");
    cmd->add_flag("--include-secrets", o->include_secrets,
                  "include the secrets, encrypted to a passphrase (a reveal: recorded in the reveal log)");
    cmd->add_flag("--passphrase-stdin", o->passphrase_stdin, "read the passphrase from standard input");
    cmd->add_option("--reason", o->reason, "why the secrets are exported (required with --include-secrets)");
    cmd->add_option("--as", o->as, "e-mail of the staff member the export is recorded for");
    cmd->callback([o, &exit_code] { exit_code = Export(*o); });
  }
  {
    auto* cmd = profile->add_subcommand("import", "apply a profile document to an organisation (all or nothing)");
    auto o = std::make_shared<ImportOpts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--org", o->org, "organisation slug")->required();
    cmd->add_option("--file", o->file, "the JSON document")->required();
    cmd->add_option("--mode", o->mode, "merge (default: add and update, never remove) or replace");
    cmd->add_flag("--passphrase-stdin", o->passphrase_stdin, "read the passphrase of encrypted secrets from standard input");
    cmd->callback([o, &exit_code] { exit_code = Import(*o); });
  }
}

}  // namespace soporte::main
