#include "main/upgrade.hpp"

#include <filesystem>

#include "storage/sqlite/backup.hpp"

namespace soporte::main {
namespace {
namespace fs = std::filesystem;
}  // namespace

Result<storage::SchemaStatus> SchemaOf(const std::string& data_dir) {
  const fs::path db = fs::path(data_dir) / "soporte.db";
  std::error_code ec;
  if (!fs::exists(db, ec)) {
    return storage::ReadSchemaStatus(":memory:");  // no table: every migration pending
  }
  return storage::ReadSchemaStatus(db.string());
}

Result<std::string> BackupBeforeMigrate(const std::string& data_dir) {
  const fs::path db = fs::path(data_dir) / "soporte.db";
  std::error_code ec;
  if (!fs::exists(db, ec)) return std::string();
  SOPORTE_TRY(schema, storage::ReadSchemaStatus(db.string()));
  if (schema.pending.empty() || schema.version == 0) return std::string();
  const std::string base = db.string() + ".schema-" + std::to_string(schema.version) + "-before-" +
                           std::to_string(storage::KnownSchemaVersion());
  std::string out = base;
  for (int n = 2; fs::exists(out, ec); ++n) out = base + "." + std::to_string(n);
  SOPORTE_TRY_STATUS(storage::BackupDatabase(db.string(), out));
  return out;
}

}  // namespace soporte::main
