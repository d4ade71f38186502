#include "transport/i18n/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

namespace soporte::transport::i18n {
namespace {

using Table = std::unordered_map<std::string_view, const Message*>;

Table BuildTable() {
  Table table;
  for (auto area : {SlaMessages(), ApiMessages(), MailMessages(), ReportMessages()}) {
    for (const Message& m : area) table.emplace(m.key, &m);
  }
  return table;
}

const Table& AllMessages() {
  static const Table table = BuildTable();  // immutable after first use; thread-safe init
  return table;
}

}  // namespace

std::optional<Lang> ParseLang(std::string_view tag) {
  std::string primary;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    primary.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (primary == "es") return Lang::kEs;
  if (primary == "en") return Lang::kEn;
  return std::nullopt;
}

Lang FromAcceptLanguage(std::string_view header) {
  // "en-US,en;q=0.9,es;q=0.8": take the first listed language we speak (q-values are given in
  // descending order by every browser we know of).
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    item = item.substr(0, item.find(';'));
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (auto lang = ParseLang(item)) return *lang;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return Lang::kEs;
}

std::string_view Text(Lang lang, std::string_view key) {
  const Table& table = AllMessages();
  auto it = table.find(key);
  if (it == table.end()) return key;
  return lang == Lang::kEs ? it->second->es : it->second->en;
}

}  // namespace soporte::transport::i18n
