// `soporte restore --from FILE --data DIR`: puts a backup (`soporte backup`) in place of a data
// directory's database, after checking everything that can be checked while nothing has changed:
//   1. the backup is copied beside the database (DIR/soporte.db.restoring, 0600) with SQLite's
//      backup API, so FILE itself is never written;
//   2. the copy passes PRAGMA integrity_check and its schema is not newer than this binary's;
//   3. the data directory's secret key (DIR/secret.key or --secret-key) opens the copy's sealed
//      secrets (every one was sealed under that key id; one is opened). Without a key file a
//      backup holding secrets is refused; one holding none gets a new key, as `init` does;
//   4. only then the old database is kept as DIR/soporte.db.before-restore and the copy renamed
//      into its place (storage/sqlite/restore.hpp); a running server makes it refuse.
// An older backup is brought to this binary's schema in step 3 (its migrations run on the copy).
// Attachments are not in the database: see README, "Backup and restore".
//
// `soporte migrate --data DIR [--dry-run]`: lists the migrations a start would apply; without
// --dry-run applies them, after copying the database (main/upgrade.hpp) unless
// --no-backup-before-migrate.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/ports/store.hpp"
#include "app/profiles/profile_service.hpp"
#include "app/webhooks/webhook_service.hpp"
#include "main/commands.hpp"
#include "main/upgrade.hpp"
#include "main/wiring.hpp"
#include "storage/sqlite/backup.hpp"
#include "storage/sqlite/restore.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "transport/cli/exit_codes.hpp"
#include "transport/security/secret_box.hpp"
#include "transport/security/sodium_security.hpp"

namespace soporte::main {
namespace {

namespace fs = std::filesystem;

struct RestoreOptions {
  std::string from, data, secret_key;
};

// Step 3 on the copy at `copy`: the key at `key_path` opens its secrets (a key is created when
// there is none and the copy holds no secret). Returns the copy's number of sealed secrets.
Result<std::size_t> CheckKeyOpensSecrets(const std::string& copy, const std::string& key_path) {
  SOPORTE_TRY(store, storage::SqliteStore::Open(copy));
  SOPORTE_TRY(secrets, app::ReadValue(*store, [](app::ReadTx& tx) -> Result<std::size_t> {
                SOPORTE_TRY(profile, tx.profiles().ListSecrets(std::nullopt));
                SOPORTE_TRY(hooks, tx.webhooks().ListWebhooks());
                return profile.size() + hooks.size();  // webhook secrets are sealed too
              }));
  if (!fs::exists(key_path)) {
    if (secrets > 0) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "the backup holds " + std::to_string(secrets) +
                      " sealed secrets but there is no key file " + key_path +
                      ": put the secret.key that sealed them there first");
    }
    SOPORTE_TRY_STATUS(transport::security::CreateKeyFile(key_path));
  }
  SOPORTE_TRY_STATUS(transport::security::InitSodium());
  SOPORTE_TRY(box, transport::security::SodiumSecretBox::FromKeyFile(key_path));
  SOPORTE_TRY_STATUS(app::ProfileService::CheckKey(*store, *box));
  if (auto hooks = app::WebhookService::CheckKey(*store, *box); !hooks) {
    return tl::make_unexpected(hooks.error());
  }
  return secrets;
}

Status Restore(const RestoreOptions& o) {
  SOPORTE_TRY_STATUS(storage::CheckDatabaseFile(o.from));  // before touching DIR at all
  std::error_code ec;
  fs::create_directories(fs::path(o.data) / "blobs", ec);  // 0700 under the umask of main
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot create " + o.data + ": " + ec.message());
  const std::string db = (fs::path(o.data) / "soporte.db").string();
  const std::string copy = db + ".restoring";
  for (const char* side : {"", "-wal", "-shm", "-journal"}) fs::remove(copy + side, ec);
  SOPORTE_TRY_STATUS(storage::BackupDatabase(o.from, copy));
  auto checked = [&]() -> Result<std::size_t> {
    SOPORTE_TRY_STATUS(storage::CheckDatabaseFile(copy));
    return CheckKeyOpensSecrets(
        copy, o.secret_key.empty() ? (fs::path(o.data) / "secret.key").string() : o.secret_key);
  }();
  for (const char* side : {"-wal", "-shm", "-journal"}) fs::remove(copy + side, ec);
  if (!checked) {
    fs::remove(copy, ec);
    return tl::make_unexpected(checked.error());
  }
  auto kept = storage::ReplaceDatabase(db, copy);
  if (!kept) {
    fs::remove(copy, ec);
    return tl::make_unexpected(kept.error());
  }
  std::cout << "restored " << o.from << " into " << db << " (" << *checked
            << " sealed secrets open with the key)\n";
  if (!kept->empty()) std::cout << "the previous database is kept as " << *kept << "\n";
  return Ok();
}

struct MigrateOptions {
  std::string data;
  bool dry_run = false;
  bool backup_before_migrate = true;
};

Status Migrate(const MigrateOptions& o) {
  SOPORTE_TRY(schema, SchemaOf(o.data));
  std::cout << "schema version " << schema.version << "; this soporte brings it to "
            << storage::KnownSchemaVersion() << "\n";
  if (schema.pending.empty()) {
    std::cout << "nothing to migrate\n";
    return Ok();
  }
  for (const auto& name : schema.pending)
    std::cout << (o.dry_run ? "would apply " : "applying ") << name << "\n";
  if (o.dry_run) return Ok();
  if (o.backup_before_migrate) {
    SOPORTE_TRY(copy, BackupBeforeMigrate(o.data));
    if (!copy.empty()) std::cout << "database copied to " << copy << " before migrating\n";
  }
  DeskOptions options;
  options.check_secret_key = false;
  SOPORTE_TRY_STATUS(OpenDesk(o.data, options));  // opening applies the migrations
  std::cout << "migrated to schema version " << storage::KnownSchemaVersion() << "\n";
  return Ok();
}

}  // namespace

void AddMaintenanceCommands(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "restore",
      "replace a data directory's database with a backup, after checking its integrity, its "
      "schema version and that the directory's key opens its secrets (stop serve first)");
  auto o = std::make_shared<RestoreOptions>();
  cmd->add_option("--from", o->from, "the backup file (made by soporte backup)")->required();
  AddDataOption(cmd, o->data);
  cmd->add_option("--secret-key", o->secret_key, "key file (default DATA/secret.key)");
  cmd->callback([o, &exit_code] {
    if (auto st = Restore(*o); !st) exit_code = Report(st.error());
  });

  auto* migrate = app.add_subcommand(
      "migrate", "apply the schema migrations this soporte brings (serve does it at start)");
  auto m = std::make_shared<MigrateOptions>();
  AddDataOption(migrate, m->data);
  migrate->add_flag("--dry-run", m->dry_run, "list the migrations that would run; change nothing");
  migrate->add_flag(
      "--backup-before-migrate,!--no-backup-before-migrate", m->backup_before_migrate,
      "copy the database to DATA/soporte.db.schema-FROM-before-TO first (default on)");
  migrate->callback([m, &exit_code] {
    if (auto st = Migrate(*m); !st) exit_code = Report(st.error());
  });
}

}  // namespace soporte::main
