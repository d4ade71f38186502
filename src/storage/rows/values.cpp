#include "storage/rows/values.hpp"

namespace soporte::storage::rows {

std::string Qualified(std::string_view alias, std::string_view cols) {
  std::string out;
  while (!cols.empty()) {
    const auto comma = cols.find(',');
    std::string_view col = cols.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out.append(alias).append(".").append(col);
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 1);
  }
  return out;
}

}  // namespace soporte::storage::rows
