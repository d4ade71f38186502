// Authentication-Results (RFC 8601): the parser and the verdict the intake trusts. Values only.
#include "domain/mail/auth_results.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::mail {
namespace {

TEST(ParseAuthenticationResults, ReadsMethodsPropertiesAndComments) {
  const AuthResults r = ParseAuthenticationResults(
      "MX.Example.COM 1; (our MTA) dkim=pass (2048-bit key; \"x\") header.d=acme.example.com "
      "header.s=sel;\r\n spf=SoftFail smtp.mailfrom=\"ana@acme.example.com\";\r\n"
      " dmarc=pass (p=reject) header.from=acme.example.com");
  EXPECT_EQ(r.authserv_id, "mx.example.com");
  ASSERT_EQ(r.results.size(), 3u);
  EXPECT_EQ(r.results[0].method, "dkim");
  EXPECT_EQ(r.results[0].result, "pass");
  EXPECT_EQ(r.results[0].header_d, "acme.example.com");
  EXPECT_EQ(r.results[1].result, "softfail");
  EXPECT_EQ(r.results[1].smtp_mailfrom, "ana@acme.example.com");
  EXPECT_EQ(r.results[2].header_from, "acme.example.com");
  EXPECT_TRUE(ParseAuthenticationResults("mx.example.com; none").results.empty());
  EXPECT_TRUE(ParseAuthenticationResults("").authserv_id.empty());
  EXPECT_TRUE(ParseAuthenticationResults("(((; ;=;\"").results.empty());
}

// Each row: the headers a message carries and what the intake makes of them when it trusts
// "mx.example.com" for mail From ana@acme.example.com.
struct Case {
  const char* name;
  std::vector<std::string> headers;
  AuthStatus status;
};

TEST(VerifyAuthor, TrustsOnlyOurAuthservIdAndDecidesDmarcThenDkimThenSpf) {
  const std::vector<Case> cases = {
      {"no header", {}, AuthStatus::kNoResult},
      {"forged by the sender: another authserv-id",
       {"mx.attacker.example; dmarc=pass header.from=acme.example.com"},
       AuthStatus::kNoResult},
      {"dmarc pass",
       {"mx.example.com; dmarc=pass header.from=acme.example.com"},
       AuthStatus::kVerified},
      {"dmarc fail beats a dkim pass",
       {"mx.example.com; dkim=pass header.d=acme.example.com; dmarc=fail "
        "header.from=acme.example.com"},
       AuthStatus::kFailed},
      {"dmarc none",
       {"mx.example.com; dmarc=none header.from=acme.example.com"},
       AuthStatus::kFailed},
      {"our fail and a forged pass",
       {"mx.example.com; dmarc=fail header.from=acme.example.com",
        "mx.example.com.evil; dmarc=pass header.from=acme.example.com"},
       AuthStatus::kFailed},
      {"aligned dkim pass",
       {"mx.example.com; dkim=pass header.d=example.com"},
       AuthStatus::kVerified},
      {"dkim by header.i",
       {"mx.example.com; dkim=pass header.i=@acme.example.com"},
       AuthStatus::kVerified},
      {"unaligned dkim pass",
       {"mx.example.com; dkim=pass header.d=mailer.example.net"},
       AuthStatus::kFailed},
      {"dkim of a top-level domain",
       {"mx.example.com; dkim=pass header.d=com"},
       AuthStatus::kFailed},
      {"one aligned dkim pass among failures",
       {"mx.example.com; dkim=fail header.d=acme.example.com; dkim=pass header.d=acme.example.com"},
       AuthStatus::kVerified},
      {"aligned spf pass",
       {"mx.example.com; spf=pass smtp.mailfrom=bounces@acme.example.com"},
       AuthStatus::kVerified},
      {"aligned spf softfail",
       {"mx.example.com; spf=softfail smtp.mailfrom=acme.example.com"},
       AuthStatus::kFailed},
      {"unaligned spf pass",
       {"mx.example.com; spf=pass smtp.mailfrom=x@other.example"},
       AuthStatus::kFailed},
      {"none", {"mx.example.com; none"}, AuthStatus::kFailed},
      {"case of the authserv-id",
       {"MX.EXAMPLE.COM; DMARC=PASS header.from=ACME.example.com"},
       AuthStatus::kVerified},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(VerifyAuthor(c.headers, "mx.example.com", "ana@acme.example.com").status, c.status)
        << c.name;
  }
  EXPECT_EQ(VerifyAuthor({"mx.example.com; dmarc=fail header.from=acme.example.com"},
                         "mx.example.com", "ana@acme.example.com")
                .detail,
            "dmarc=fail");
}

}  // namespace
}  // namespace soporte::domain::mail
