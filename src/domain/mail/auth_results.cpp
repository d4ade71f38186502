#include "domain/mail/auth_results.hpp"

#include <algorithm>
#include <cctype>

namespace soporte::domain::mail {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// `value` with comments removed (RFC 5322 §3.2.2, nested) and quoted strings unquoted; a ';'
// inside quotes becomes a space so the split below never cuts a quoted value.
std::string Uncommented(std::string_view value) {
  std::string out;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quoted) {
      if (c == '\\' && i + 1 < value.size()) {
        out += value[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        out += (c == ';') ? ' ' : c;
      }
      continue;
    }
    if (depth > 0) {
      if (c == '\\') {
        ++i;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      }
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == '"') {
      quoted = true;
    } else {
      out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
    }
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string DomainOf(std::string_view address) {
  const auto at = address.rfind('@');
  return Lower(at == std::string_view::npos ? address : address.substr(at + 1));
}

// RFC 7489 §3.1 relaxed alignment, without a public-suffix list: the same domain, or one a
// subdomain of the other when the shorter still has a dot ("example.com", never "com").
bool Aligned(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  if (a.size() < b.size()) std::swap(a, b);
  return b.find('.') != std::string_view::npos && a.ends_with(b) &&
         a[a.size() - b.size() - 1] == '.';
}

}  // namespace

AuthResults ParseAuthenticationResults(std::string_view value) {
  AuthResults out;
  const std::string clean = Uncommented(value);
  const auto parts = Split(clean, ';');
  const auto head = Words(parts.front());
  if (head.empty()) return out;
  out.authserv_id = Lower(head.front());
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto words = Words(parts[i]);
    if (words.empty()) continue;
    const auto eq = words.front().find('=');
    if (eq == std::string_view::npos) continue;  // "none" and garbage
    AuthMethodResult r;
    r.method = Lower(words.front().substr(0, eq));
    if (const auto slash = r.method.find('/'); slash != std::string::npos) r.method.resize(slash);
    r.result = Lower(words.front().substr(eq + 1));
    for (std::size_t w = 1; w < words.size(); ++w) {
      const auto peq = words[w].find('=');
      if (peq == std::string_view::npos) continue;
      const std::string prop = Lower(words[w].substr(0, peq));
      const std::string_view v = words[w].substr(peq + 1);
      if (prop == "header.from") {
        r.header_from = Lower(v);
      } else if (prop == "header.d") {
        r.header_d = Lower(v);
      } else if (prop == "header.i" && r.header_d.empty()) {
        r.header_d = DomainOf(v);
      } else if (prop == "smtp.mailfrom") {
        r.smtp_mailfrom = Lower(v);
      }
    }
    out.results.push_back(std::move(r));
  }
  return out;
}

AuthVerdict VerifyAuthor(const std::vector<std::string>& headers, std::string_view authserv_id,
                         std::string_view from_address) {
  const std::string ours = Lower(authserv_id);
  const std::string from_domain = DomainOf(from_address);
  std::vector<AuthMethodResult> results;
  bool any_ours = false;
  for (const auto& h : headers) {
    AuthResults parsed = ParseAuthenticationResults(h);
    if (parsed.authserv_id != ours) continue;  // RFC 8601 §5: not ours, maybe forged
    any_ours = true;
    for (auto& r : parsed.results) results.push_back(std::move(r));
  }
  if (!any_ours) return {AuthStatus::kNoResult, "no Authentication-Results from " + ours};
  auto decide = [](const AuthMethodResult& r) {
    return AuthVerdict{r.result == "pass" ? AuthStatus::kVerified : AuthStatus::kFailed,
                       r.method + "=" + r.result};
  };
  // 1. DMARC (RFC 7489) already combines SPF and DKIM with alignment to From.
  for (const auto& r : results) {
    if (r.method == "dmarc" && (r.header_from.empty() || Aligned(r.header_from, from_domain)))
      return decide(r);
  }
  // 2. A DKIM signature of a domain aligned with From: a pass wins over other signatures.
  const AuthMethodResult* dkim = nullptr;
  for (const auto& r : results) {
    if (r.method != "dkim" || !Aligned(r.header_d, from_domain)) continue;
    if (!dkim || r.result == "pass") dkim = &r;
  }
  if (dkim) return decide(*dkim);
  // 3. SPF of an envelope sender aligned with From.
  for (const auto& r : results) {
    if (r.method == "spf" && Aligned(DomainOf(r.smtp_mailfrom), from_domain)) return decide(r);
  }
  return {AuthStatus::kFailed, "no dmarc, aligned dkim or aligned spf result"};
}

}  // namespace soporte::domain::mail
