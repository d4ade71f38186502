// `soporte secrets rotate-key` (re-seal every profile secret under a new key) and `soporte
// backup` (a consistent copy of the database; secrets stay sealed, the key is not copied).
//
// Rotation is restartable: the new key is written to KEY.new (0600) first; every secret is
// re-sealed under it in one transaction; only after the commit does KEY.new replace KEY (an
// atomic rename). A crash before the commit changes nothing; a crash after it leaves KEY.new,
// which the next run picks up (values already under it are skipped). Stop `soporte serve`
// before rotating: a running server keeps sealing with the key it loaded.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "main/backup_retention.hpp"
#include "main/commands.hpp"
#include "main/wiring.hpp"
#include "storage/fs/fs_blob_store.hpp"
#include "storage/sqlite/backup.hpp"
#include "transport/cli/exit_codes.hpp"

namespace soporte::main {
namespace {

namespace fs = std::filesystem;
namespace cli = transport::cli;

void SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

int RotateKey(const std::string& data, const std::string& key_option) {
  DeskOptions options;
  options.secret_key_path = key_option;
  options.check_secret_key = false;  // a rotation may be resuming: rows may be under KEY.new
  auto desk = OpenDesk(data, options);
  if (!desk) return Report(desk.error());
  const std::string key_path = (*desk)->secret_key_path;
  const std::string new_path = key_path + ".new";
  bool created = false;
  if (!fs::exists(new_path)) {
    if (auto st = transport::security::CreateKeyFile(new_path); !st) return Report(st.error());
    created = true;
  }
  auto fresh = transport::security::SodiumSecretBox::FromKeyFile(new_path);
  if (!fresh) return Report(fresh.error());
  auto count = app::ProfileService::Reseal(*(*desk)->store, *(*desk)->secret_box, **fresh, (*desk)->clock.Now());
  if (!count) {
    if (created) fs::remove(new_path);
    return Report(count.error());
  }
  auto hooks = app::WebhookService::Reseal(*(*desk)->store, *(*desk)->secret_box, **fresh);
  if (!hooks) return Report(hooks.error());  // KEY.new stays: a rerun finishes the rotation
  std::error_code ec;
  fs::rename(new_path, key_path, ec);
  if (ec) {
    std::cerr << "error: the secrets are re-sealed under " << new_path << " but it could not replace "
              << key_path << ": " << ec.message() << "; run the command again\n";
    return cli::ExitCodeFor(ErrorCode::kUnavailable);
  }
  SyncDir(fs::path(key_path).parent_path());
  std::cout << *count << " secrets re-sealed under key " << (*fresh)->KeyId() << "\n";
  if (*hooks > 0) std::cout << *hooks << " webhook secrets re-sealed\n";
  return 0;
}

struct BackupOptions {
  std::string data, out, dir, blobs;
  std::size_t keep = 0;  // 0: keep every backup
};

// `soporte backup`: one consistent copy (--out FILE, or a new name in --dir), then with --keep N
// the own backups of --dir beyond the N newest are deleted (main/backup_retention.hpp).
int Backup(const BackupOptions& o) {
  if (o.out.empty() && o.dir.empty())
    return Report(Error{ErrorCode::kInvalidArgument, "--out FILE or --dir DIR is required"});
  if (o.keep > 0 && o.dir.empty())
    return Report(
        Error{ErrorCode::kInvalidArgument, "--keep needs --dir (the directory it prunes)"});
  const fs::path db = fs::path(o.data) / "soporte.db";
  if (!fs::exists(db))
    return Report(Error{ErrorCode::kFailedPrecondition, "no soporte data in " + o.data});
  std::string target = o.out;
  if (!o.dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.dir, ec);
    if (ec)
      return Report(Error{ErrorCode::kUnavailable, "cannot create " + o.dir + ": " + ec.message()});
    target = (fs::path(o.dir) / BackupFileName(std::chrono::system_clock::now())).string();
  }
  if (auto st = storage::BackupDatabase(db.string(), target); !st) return Report(st.error());
  std::cout << "backup written to " << target << " (keep DATA/secret.key apart from it)\n";
  if (!o.blobs.empty()) {
    // After the database: every attachment the backup names was stored before it was taken.
    auto copied = storage::CopyBlobs((fs::path(o.data) / "blobs").string(), o.blobs);
    if (!copied) return Report(copied.error());
    std::cout << "attachments: " << copied->copied << " copied to " << o.blobs << " ("
              << copied->bytes << " bytes), " << copied->already << " already there\n";
  }
  if (o.keep == 0) return 0;
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(o.dir, ec)) {
    if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
  }
  if (ec)
    return Report(Error{ErrorCode::kUnavailable, "cannot list " + o.dir + ": " + ec.message()});
  for (const auto& name : BackupsToDelete(std::move(names), o.keep)) {
    const fs::path old = fs::path(o.dir) / name;
    const bool removed = fs::remove(old, ec);
    if (ec) {
      return Report(Error{ErrorCode::kUnavailable,
                          "cannot delete the old backup " + old.string() + ": " + ec.message()});
    }
    if (!removed) continue;  // another run pruned it first
    std::cout << "deleted the old backup " << old.string() << "\n";
  }
  return 0;
}

}  // namespace

void AddSecretCommands(CLI::App& app, int& exit_code) {
  {
    auto* secrets = app.add_subcommand("secrets", "manage the key that seals customers' secrets");
    secrets->require_subcommand(1);
    auto* cmd = secrets->add_subcommand("rotate-key", "re-seal every secret under a new key (stop serve first)");
    struct Opts { std::string data, key; };
    auto o = std::make_shared<Opts>();
    AddDataOption(cmd, o->data);
    cmd->add_option("--secret-key", o->key, "key file (default DATA/secret.key)");
    cmd->callback([o, &exit_code] { exit_code = RotateKey(o->data, o->key); });
  }
  {
    auto* cmd = app.add_subcommand("backup", "copy the database consistently (secrets stay sealed; the key is not copied)");
    auto o = std::make_shared<BackupOptions>();
    AddDataOption(cmd, o->data);
    auto* out = cmd->add_option("--out", o->out, "the backup file to create");
    auto* dir = cmd->add_option("--dir", o->dir,
                                "create the backup in this directory, named "
                                "soporte-YYYYMMDDTHHMMSS.ffffffZ.db (UTC)");
    out->excludes(dir);
    cmd->add_option("--blobs", o->blobs,
                    "afterwards copy the attachments this directory lacks into it (checked "
                    "against their SHA-256; uploads in progress are left out)");
    cmd->add_option(
           "--keep", o->keep,
           "with --dir: afterwards delete all but the N newest backups of that shape in the "
           "directory (never another file)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    cmd->callback([o, &exit_code] { exit_code = Backup(*o); });
  }
}

}  // namespace soporte::main
