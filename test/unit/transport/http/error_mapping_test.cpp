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

TEST(ErrorMappingTest, ReasonDefaultsToTheCodeAndFieldIsAbsentWhenUnknown) {
  auto e = boost::json::parse(ErrorResponse(Error{ErrorCode::kNotFound, "no ticket #4"}).body)
               .at("error");
  EXPECT_EQ(e.at("reason").as_string(), "not_found");
  EXPECT_FALSE(e.as_object().contains("field"));
  EXPECT_FALSE(e.as_object().contains("params"));
}

TEST(ErrorMappingTest, ReasonFieldAndRetryAfterGoIntoTheBodyAndHeader) {
  Error locked{ErrorCode::kResourceExhausted, "too many failed logins; try again in 900 s",
               std::chrono::seconds{900}, "too_many_attempts"};
  Response r = ErrorResponse(locked);
  EXPECT_EQ(r.status, 429);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  EXPECT_EQ(r.headers[0].second, "900");
  auto e = boost::json::parse(r.body).at("error");
  EXPECT_EQ(e.at("code").as_string(), "rate_limited");
  EXPECT_EQ(e.at("reason").as_string(), "too_many_attempts");
  EXPECT_EQ(e.at("params").at("retry_after_seconds").as_int64(), 900);

  auto f = boost::json::parse(ErrorJson(WithReason({ErrorCode::kInvalidArgument, "the slug is odd"},
                                                   "slug_format", "slug")))
               .at("error");
  EXPECT_EQ(f.at("field").as_string(), "slug");
  EXPECT_EQ(f.at("reason").as_string(), "slug_format");
}

TEST(ErrorMappingTest, FieldComesFromAHouseStyleMessageWhenTheErrorNamesNone) {
  EXPECT_EQ(FieldOfMessage("criticality must be one of normal, important"), "criticality");
  EXPECT_EQ(FieldOfMessage("hours.monday: intervals overlap"), "hours.monday");
  EXPECT_EQ(FieldOfMessage("shifts[1]: overlaps shifts[0]"), "shifts[1]");
  EXPECT_EQ(FieldOfMessage("email is not a valid address"), "email");
  EXPECT_EQ(FieldOfMessage("portal_url: must be an http(s) URL"), "portal_url");
  EXPECT_EQ(FieldOfMessage("the contract has expired"), "");
  EXPECT_EQ(FieldOfMessage("no ticket #4"), "");
  EXPECT_EQ(FieldOfMessage("Authorization must be 'Bearer <token>'"), "");
  EXPECT_EQ(FieldOfMessage("shifts[x]: bad"), "");
  EXPECT_EQ(FieldOfMessage(""), "");
  auto e =
      boost::json::parse(ErrorJson(ErrorCode::kInvalidArgument, "valid_to is before valid_from"));
  EXPECT_EQ(e.at("error").at("field").as_string(), "valid_to");
}

}  // namespace
}  // namespace soporte::transport::http

namespace soporte::transport::http {
namespace {

TEST(RequestIdTest, KeepsAShortSafeIncomingId) {
  EXPECT_EQ(RequestIdOf("abc-123_X.y"), "abc-123_X.y");
  EXPECT_EQ(RequestIdOf(std::string(64, 'a')), std::string(64, 'a'));
}

TEST(RequestIdTest, ReplacesAnUnsafeOrLongOrMissingId) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("a b"), std::string_view("x\r\nSet-Cookie: y"),
        std::string_view("ñ"), std::string_view("{\"json\":1}")}) {
    const std::string id = RequestIdOf(bad);
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
  const std::string too_long(65, 'a');
  EXPECT_NE(RequestIdOf(too_long), too_long);
  EXPECT_NE(RequestIdOf(""), RequestIdOf(""));  // generated ids differ
}

TEST(RequestIdTest, TagsHeaderAndTheErrorObjectOnly) {
  Response err = ErrorResponse(404, ErrorCode::kNotFound, "no ticket #9");
  TagRequestId(err, "r-1");
  EXPECT_EQ(
      err.body,
      R"({"error":{"code":"not_found","reason":"not_found","message":"no ticket #9","request_id":"r-1"}})");
  ASSERT_EQ(err.headers.size(), 1u);
  EXPECT_EQ(err.headers[0], (std::pair<std::string, std::string>{"X-Request-Id", "r-1"}));

  Response ok = Response::Json(200, R"({"error":{"x":1}})");  // a success body is not an error
  TagRequestId(ok, "r-2");
  EXPECT_EQ(ok.body, R"({"error":{"x":1}})");
  EXPECT_EQ(ok.headers.size(), 1u);
}

}  // namespace
}  // namespace soporte::transport::http
