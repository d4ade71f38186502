#include "transport/http/error_mapping.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

TEST(ErrorMappingTest, EveryCodeHasItsStatus) {
  const std::pair<ErrorCode, int> table[] = {
      {ErrorCode::kInvalidArgument, 400},   {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kPermissionDenied, 403},  {ErrorCode::kNotFound, 404},
      {ErrorCode::kAlreadyExists, 409},     {ErrorCode::kFailedPrecondition, 409},
      {ErrorCode::kAborted, 409},           {ErrorCode::kTooLarge, 413},
      {ErrorCode::kUnsupportedMedia, 415},  {ErrorCode::kUnprocessable, 422},
      {ErrorCode::kResourceExhausted, 429}, {ErrorCode::kUnavailable, 503},
      {ErrorCode::kInternal, 500},          {ErrorCode::kNotImplemented, 501},
  };
  for (auto [code, status] : table) EXPECT_EQ(HttpStatusFor(code), status) << ErrorCodeName(code);
}

TEST(ErrorMappingTest, BodyIsValidJsonEvenWithQuotesAndControlCharacters) {
  Response r = ErrorResponse(Error{ErrorCode::kNotFound, "ticket \"42\"\n\\ not found"});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  auto v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("error").at("code").as_string(), "not_found");
  EXPECT_EQ(v.at("error").at("message").as_string(), "ticket \"42\"\n\\ not found");
}

TEST(ErrorMappingTest, InvalidUtf8InAMessageBecomesReplacementCharacters) {
  // A handler quoting percent-decoded request bytes must still produce a UTF-8 JSON text.
  Response r = ErrorResponse(Error{ErrorCode::kNotFound, "no organisation '\xff' or '\xc0\xaf'"});
  EXPECT_EQ(r.body.find('\xff'), std::string::npos);
  boost::json::parser strict;  // Boost.JSON rejects invalid UTF-8 in strings by default
  boost::json::error_code ec;
  strict.write(r.body, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(strict.release().at("error").at("message").as_string(),
            "no organisation '\xEF\xBF\xBD' or '\xEF\xBF\xBD\xEF\xBF\xBD'");
}

TEST(ErrorMappingTest, ExplicitStatusKeepsTheCodeName) {
  Response r = ErrorResponse(431, ErrorCode::kTooLarge, "headers");
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("code").as_string(), "too_large");
}

TEST(ErrorMappingTest, EveryUnauthenticatedAnswerCarriesTheChallenge) {
  Response r = ErrorResponse(Error{ErrorCode::kUnauthenticated, "log in first"});
  EXPECT_EQ(r.status, 401);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(r.headers[0].second, "Bearer realm=\"soporte\"");
  EXPECT_TRUE(ErrorResponse(Error{ErrorCode::kPermissionDenied, "no"}).headers.empty());
  EXPECT_TRUE(ErrorResponse(404, ErrorCode::kNotFound, "no such resource").headers.empty());
}

}  // namespace
}  // namespace soporte::transport::http
