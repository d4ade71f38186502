// Whether an inbound message's author is authenticated, from the Authentication-Results headers
// (RFC 8601) that our own MTA added. Only headers whose authserv-id is ours count: a sender can
// write any Authentication-Results it likes into its message (RFC 8601 §5: "MUST ignore"
// headers from other authserv-ids). The verdict takes DMARC when present, else DKIM from a
// domain aligned with From, else SPF with an aligned envelope domain. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace soporte::domain::mail {

// One "method=result" of an Authentication-Results header, lower-case, with the properties the
// verdict reads ("header.from", "header.d", "header.i", "smtp.mailfrom"; "" when absent).
struct AuthMethodResult {
  std::string method;  // "dmarc", "dkim", "spf", "arc", …
  std::string result;  // "pass", "fail", "none", "softfail", "temperror", …
  std::string header_from;
  std::string header_d;       // dkim: the signing domain (header.d, else the domain of header.i)
  std::string smtp_mailfrom;  // spf: the envelope sender (its domain, or the whole address)
};

struct AuthResults {
  std::string authserv_id;  // lower-case
  std::vector<AuthMethodResult> results;
};

// Parses one header value: "authserv-id [version] ; method=result (comment) prop=value ; …"
// or "authserv-id; none". Comments (nested parentheses) and quoted strings are understood.
// Never fails: what cannot be read is left out (an empty authserv_id for garbage).
AuthResults ParseAuthenticationResults(std::string_view value);

enum class AuthStatus {
  kVerified,  // dmarc pass, else aligned dkim pass, else aligned spf pass
  kFailed,    // the deciding result is anything but pass (fail, none, softfail, temperror…),
              // or our header names no dmarc, aligned dkim or aligned spf result ("; none")
  kNoResult,  // no header from `authserv_id`
};

struct AuthVerdict {
  AuthStatus status = AuthStatus::kNoResult;
  std::string detail;  // "dmarc=fail", "dkim=pass", "no Authentication-Results from mx.example"…
};

// The verdict on a message from `from_address` (lower-case) whose Authentication-Results header
// values are `headers`, trusting only those from `authserv_id` (case-insensitive). Alignment is
// relaxed (RFC 7489 §3.1): equal domains, or one a subdomain of the other.
AuthVerdict VerifyAuthor(const std::vector<std::string>& headers, std::string_view authserv_id,
                         std::string_view from_address);

}  // namespace soporte::domain::mail
