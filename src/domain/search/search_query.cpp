#include "domain/search/search_query.hpp"

#include <charconv>

#include "domain/search/search_text.hpp"

namespace soporte::domain::search {
namespace {

tl::unexpected<Error> Bad(std::string message) {
  return tl::make_unexpected(
      Error{ErrorCode::kInvalidArgument, std::move(message), std::chrono::seconds{0}, "", "q"});
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  ForEachWord(text, [&](const std::string& w, std::size_t, std::size_t) { out.push_back(w); });
  return out;
}

// "#1234" or "1234" as a ticket number; nullopt otherwise.
std::optional<std::int64_t> TicketNumber(std::string_view chunk) {
  if (!chunk.empty() && chunk.front() == '#') chunk.remove_prefix(1);
  if (chunk.empty() || chunk.size() > 15) return std::nullopt;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(chunk.data(), chunk.data() + chunk.size(), n);
  if (ec != std::errc{} || p != chunk.data() + chunk.size() || n <= 0) return std::nullopt;
  return n;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

Result<SearchQuery> ParseSearchQuery(std::string_view q) {
  if (q.size() > kMaxQueryBytes) {
    return Bad("q must be at most " + std::to_string(kMaxQueryBytes) + " characters");
  }
  SearchQuery out;
  std::size_t i = 0;
  while (i < q.size()) {
    if (IsSpace(q[i])) {
      ++i;
      continue;
    }
    if (q[i] == '"') {
      const auto close = q.find('"', i + 1);
      if (close == std::string_view::npos) return Bad("q has a quote that is not closed");
      auto words = Words(q.substr(i + 1, close - i - 1));
      if (!words.empty()) out.terms.push_back({SearchTerm::Kind::kPhrase, std::move(words)});
      i = close + 1;
      continue;
    }
    // A chunk: up to the next space or quote.
    std::size_t end = i;
    while (end < q.size() && !IsSpace(q[end]) && q[end] != '"') ++end;
    const std::string_view chunk = q.substr(i, end - i);
    i = end;
    if (chunk.front() == '#') {
      if (auto n = TicketNumber(chunk)) {
        out.number = n;
        continue;
      }
    }
    const bool prefix = chunk.size() > 1 && chunk.back() == '*';
    auto words = Words(prefix ? chunk.substr(0, chunk.size() - 1) : chunk);
    if (words.empty()) continue;
    // Punctuation inside a chunk splits it ("error-de-red", "v2.3"): the pieces are a phrase,
    // the last one a prefix when the chunk ends in *.
    if (words.size() == 1) {
      out.terms.push_back(
          {prefix ? SearchTerm::Kind::kPrefix : SearchTerm::Kind::kWord, std::move(words)});
    } else if (prefix) {
      std::string last = std::move(words.back());
      words.pop_back();
      out.terms.push_back({SearchTerm::Kind::kPhrase, std::move(words)});
      out.terms.push_back({SearchTerm::Kind::kPrefix, {std::move(last)}});
    } else {
      out.terms.push_back({SearchTerm::Kind::kPhrase, std::move(words)});
    }
  }
  if (out.terms.empty() && !out.number) return Bad("q has no words to search");
  if (out.terms.size() > kMaxTerms) {
    return Bad("q must have at most " + std::to_string(kMaxTerms) + " words or phrases");
  }
  // A query that is one bare number also names that ticket.
  if (!out.number && out.terms.size() == 1 && out.terms[0].kind == SearchTerm::Kind::kWord) {
    out.number = TicketNumber(out.terms[0].words[0]);
  }
  return out;
}

}  // namespace soporte::domain::search
