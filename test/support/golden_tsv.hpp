// Golden data files (test/data/*.tsv): one case a line, tab-separated fields; blank lines and
// lines starting with '#' are comments. Shared by the table tests (SLA dues, the ticket lifecycle,
// the intake checklist) so that adding a case stays adding a line.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace soporte::golden {

struct Row {
  std::string line;                 // the whole line, for failure messages
  std::vector<std::string> fields;  // split at tabs
};

// The case lines of `path`, in file order; nullopt when the file cannot be opened.
inline std::optional<std::vector<Row>> ReadRows(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<Row> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    Row row{line, {}};
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, '\t');) row.fields.push_back(f);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace soporte::golden
