#include "main/backup_retention.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

namespace soporte::main {

namespace {

constexpr std::string_view kPrefix = "soporte-";
constexpr std::string_view kSuffix = "Z.db";

}  // namespace

std::string BackupFileName(std::chrono::system_clock::time_point at) {
  using namespace std::chrono;
  const auto since = duration_cast<microseconds>(at.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(floor<seconds>(since).count());
  const auto micros = (since - floor<seconds>(since)).count();
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  return fmt::format("{}{:04}{:02}{:02}T{:02}{:02}{:02}.{:06}{}", kPrefix, tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros, kSuffix);
}

bool IsOwnBackupName(std::string_view name) {
  // soporte- DDDDDDDD T DDDDDD . DDDDDD Z.db
  constexpr std::string_view kShape = "DDDDDDDDTDDDDDD.DDDDDD";
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return false;
  std::string_view stamp = name.substr(kPrefix.size());
  stamp.remove_suffix(kSuffix.size());
  if (stamp.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < stamp.size(); ++i) {
    const bool ok = kShape[i] == 'D' ? std::isdigit(static_cast<unsigned char>(stamp[i])) != 0
                                     : stamp[i] == kShape[i];
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> BackupsToDelete(std::vector<std::string> names, std::size_t keep) {
  std::erase_if(names, [](const std::string& n) { return !IsOwnBackupName(n); });
  std::sort(names.begin(), names.end());  // fixed width: oldest first
  if (names.size() <= keep) return {};
  names.resize(names.size() - keep);
  return names;
}

}  // namespace soporte::main
