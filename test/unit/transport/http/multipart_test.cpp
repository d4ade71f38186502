#include "transport/http/multipart.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

// Records events as text: B(name|filename|type) D(data...) E.
struct Recorder {
  std::string log;
  std::string current_data;
  MultipartParser::Callbacks Callbacks() {
    return {
        [this](const PartHeaders& h) {
          log += "B(" + h.name + "|" + h.filename + "|" + h.content_type + ")";
          return Ok();
        },
        [this](std::string_view d) {
          EXPECT_FALSE(d.empty());
          current_data.append(d);
          return Ok();
        },
        [this]() {
          log += "D(" + current_data + ")E";
          current_data.clear();
          return Ok();
        },
    };
  }
};

const std::string kBoundary = "----XyZ42";
// Data with near-delimiters: CRLF--, a partial boundary, and the boundary without the CRLF.
const std::string kTricky = "a\r\n--\r\n----XyZ4\r\n-----XyZ42 not at line start: ----XyZ42\rz";
const std::string kBody =
    "preamble to ignore\r\n"
    "------XyZ42\r\n"
    "Content-Disposition: form-data; name=\"subject\"\r\n"
    "\r\n"
    "Hola \xC3\xB3\r\n"
    "------XyZ42 \t\r\n"
    "Content-Disposition: form-data; name=\"adjunto\"; filename=\"fallback.txt\"; "
    "filename*=UTF-8''informe%20%E2%82%AC.txt\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n" +
    kTricky +
    "\r\n"
    "------XyZ42\r\n"
    "content-disposition: form-data; name=\"empty\"\r\n"
    "\r\n"
    "\r\n"
    "------XyZ42--\r\n"
    "epilogue ------XyZ42 ignored";
const std::string kExpected =
    "B(subject||)D(Hola \xC3\xB3)E"
    "B(adjunto|informe \xE2\x82\xAC.txt|application/octet-stream)D(" + kTricky + ")E"
    "B(empty||)D()E";

std::string ParseInChunks(const std::string& body, const std::vector<std::size_t>& cuts) {
  Recorder r;
  MultipartParser p(kBoundary, r.Callbacks());
  std::size_t prev = 0;
  for (std::size_t cut : cuts) {
    auto st = p.Feed(std::string_view(body).substr(prev, cut - prev));
    if (!st) return "error: " + st.error().message;
    prev = cut;
  }
  auto st = p.Feed(std::string_view(body).substr(prev));
  if (!st) return "error: " + st.error().message;
  if (auto f = p.Finish(); !f) return "error: " + f.error().message;
  return r.log;
}

TEST(MultipartTest, ParsesWholeBody) { EXPECT_EQ(ParseInChunks(kBody, {}), kExpected); }

TEST(MultipartTest, EverySplitOffsetGivesTheSameEvents) {
  for (std::size_t i = 0; i <= kBody.size(); ++i)
    ASSERT_EQ(ParseInChunks(kBody, {i}), kExpected) << "split at " << i;
}

TEST(MultipartTest, EveryPairOfSplitsAroundTheFileDelimiterGivesTheSameEvents) {
  const std::size_t at = kBody.find(kTricky) + kTricky.size();  // the delimiter after the file
  for (std::size_t i = at - 4; i <= at + 16; ++i)
    for (std::size_t j = i; j <= at + 16; ++j)
      ASSERT_EQ(ParseInChunks(kBody, {i, j}), kExpected) << i << "," << j;
}

TEST(MultipartTest, OneByteAtATime) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < kBody.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(ParseInChunks(kBody, cuts), kExpected);
}

TEST(MultipartTest, BodyMayOpenWithTheDelimiter) {
  const std::string body =
      "------XyZ42\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n------XyZ42--";
  EXPECT_EQ(ParseInChunks(body, {}), "B(a||)D(x)E");
}

TEST(MultipartTest, BoundaryFromContentType) {
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data; boundary=----XyZ42").value(), "----XyZ42");
  EXPECT_EQ(BoundaryFromContentType("Multipart/Form-Data;boundary=\"a b:c\"").value(), "a b:c");
  auto missing = BoundaryFromContentType("multipart/form-data");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(BoundaryFromContentType("application/json").error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_FALSE(BoundaryFromContentType("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(BoundaryFromContentType("multipart/form-data; boundary=\"bad\r\"")); 
}

Error ErrorOf(const std::string& body, MultipartLimits limits = {}) {
  Recorder r;
  MultipartParser p(kBoundary, r.Callbacks(), limits);
  auto st = p.Feed(body);
  if (st) st = p.Finish();
  EXPECT_FALSE(st) << body;
  return st ? Error{ErrorCode::kInternal, "no error"} : st.error();
}

TEST(MultipartTest, MalformedInputIsAClearError) {
  const std::string part = "Content-Disposition: form-data; name=a\r\n\r\nx";
  EXPECT_EQ(ErrorOf("no delimiter at all").message, "multipart body without a boundary delimiter");
  EXPECT_EQ(ErrorOf("------XyZ42\r\n" + part).message,
            "truncated multipart body: no closing delimiter");
  EXPECT_EQ(ErrorOf("------XyZ42\r\n" + part + "\r\n------XyZ42").message,
            "truncated multipart body: no closing delimiter");
  EXPECT_EQ(ErrorOf("------XyZ42garbage\r\n" + part).message, "malformed multipart delimiter line");
  EXPECT_EQ(ErrorOf("------XyZ42\r\nContent-Disposition: form-data\r\n\r\nx\r\n------XyZ42--").message,
            "multipart part without a name");
  EXPECT_EQ(ErrorOf("------XyZ42\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n------XyZ42--").message,
            "multipart part is not form-data");
  EXPECT_EQ(ErrorOf("------XyZ42\r\nbroken header\r\n\r\nx\r\n------XyZ42--").code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf("------XyZ42\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx").message,
            "malformed Content-Disposition");
  EXPECT_EQ(ErrorOf("------XyZ42\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''%zz\r\n\r\nx").message,
            "malformed filename*");
}

TEST(MultipartTest, LimitsAreEnforced) {
  const std::string part = "------XyZ42\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
  EXPECT_EQ(ErrorOf(part + part + part + "------XyZ42--", {.max_parts = 2}).code, ErrorCode::kTooLarge);
  const std::string big = "------XyZ42\r\nContent-Disposition: form-data; name=a\r\nX-Pad: " +
                          std::string(9000, 'p') + "\r\n\r\nx\r\n------XyZ42--";
  EXPECT_EQ(ErrorOf(big).message, "multipart part headers too large");
}

TEST(MultipartTest, ErrorsAreStickyAndCallbacksCanAbort) {
  Recorder r;
  auto cb = r.Callbacks();
  cb.on_part_data = [](std::string_view) { return Status(Fail(ErrorCode::kUnavailable, "disk full")); };
  MultipartParser p(kBoundary, cb);
  auto st = p.Feed(kBody);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(p.Feed("more").error().message, "disk full");
  EXPECT_EQ(p.Finish().error().message, "disk full");
}

TEST(MultipartTest, Iso88591FilenameIsConvertedToUtf8) {
  const std::string body =
      "------XyZ42\r\nContent-Disposition: form-data; name=f; filename*=iso-8859-1'es'a%F1o.txt\r\n\r\n"
      "x\r\n------XyZ42--";
  EXPECT_EQ(ParseInChunks(body, {}), "B(f|a\xC3\xB1o.txt|)D(x)E");
}

}  // namespace
}  // namespace soporte::transport::http
