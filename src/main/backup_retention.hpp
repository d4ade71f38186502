// `soporte backup --dir DIR --keep N` (the packaged backup timer): the names of the backups it
// writes and which of them to delete afterwards. A backup it made is named
// soporte-YYYYMMDDTHHMMSS.ffffffZ.db (UTC, microseconds): fixed width, so the names sort in the
// order they were taken. Only names of exactly that shape are ever deleted; any other file in the
// directory (a copy an operator made, the live database, notes) is left alone.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace soporte::main {

// The file name of a backup taken at `at`, e.g. soporte-20261207T004000.123456Z.db.
std::string BackupFileName(std::chrono::system_clock::time_point at);

// True for a name BackupFileName could have made, and only those.
bool IsOwnBackupName(std::string_view name);

// Of the names in a backup directory, the ones `--keep keep` deletes: every own backup except the
// `keep` newest. Other names never appear in the answer. `keep` is at least 1 (checked by the
// command).
std::vector<std::string> BackupsToDelete(std::vector<std::string> names, std::size_t keep);

}  // namespace soporte::main
