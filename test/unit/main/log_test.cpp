#include "main/log.hpp"

#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace soporte::main {
namespace {

transport::http::AccessRecord Record() {
  transport::http::AccessRecord r;
  r.method = "GET";
  r.route = "/api/v1/tickets/{number}";
  r.status = 404;
  r.duration_ms = 1.25;
  r.user_id = 7;
  r.request_id = "abc-1";
  r.client = "192.0.2.1";
  return r;
}

TEST(LogOptionsTest, NamesTheOptionOnABadValue) {
  EXPECT_TRUE(LogOptionsOf("text", "info"));
  EXPECT_EQ(LogOptionsOf("json", "error")->format, LogFormat::kJson);
  auto f = LogOptionsOf("xml", "info");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().message, "--log-format must be text or json (got 'xml')");
  auto l = LogOptionsOf("text", "verbose");
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().message.rfind("--log-level must be", 0), 0u);
}

TEST(LoggerTest, TextAccessLineIsLogfmt) {
  FakeClock clock(Instant{Seconds{0}});
  std::ostringstream out, err;
  Logger logger({LogFormat::kText, LogLevel::kInfo}, clock, out, err);
  EXPECT_EQ(logger.AccessLine(Record()),
            "level=info msg=request method=GET route=/api/v1/tickets/{number} status=404 "
            "duration_ms=1.250 user_id=7 request_id=abc-1 client=192.0.2.1");
  auto anonymous = Record();
  anonymous.user_id = 0;
  EXPECT_NE(logger.AccessLine(anonymous).find(" user_id=- "), std::string::npos);
}

TEST(LoggerTest, JsonAccessLineHasEveryField) {
  FakeClock clock(Instant{Seconds{1796601600}});  // 2026-12-07T00:00:00Z
  std::ostringstream out, err;
  Logger logger({LogFormat::kJson, LogLevel::kInfo}, clock, out, err);
  logger.Access(Record());
  const std::string line = out.str();
  ASSERT_EQ(line.back(), '\n');
  auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v["ts"].as_string(), "2026-12-07T00:00:00Z");
  EXPECT_EQ(v["level"].as_string(), "info");
  EXPECT_EQ(v["msg"].as_string(), "request");
  EXPECT_EQ(v["route"].as_string(), "/api/v1/tickets/{number}");
  EXPECT_EQ(v["status"].as_int64(), 404);
  EXPECT_DOUBLE_EQ(v["duration_ms"].as_double(), 1.25);
  EXPECT_NE(line.find(R"("duration_ms":1.250,)"), std::string::npos) << "a plain decimal: " << line;
  EXPECT_EQ(v["user_id"].as_int64(), 7);
  EXPECT_EQ(v["request_id"].as_string(), "abc-1");
  EXPECT_EQ(v["client"].as_string(), "192.0.2.1");
  EXPECT_TRUE(err.str().empty());
}

TEST(LoggerTest, AMessageStaysOneLine) {
  FakeClock clock(Instant{Seconds{0}});
  std::ostringstream out, err;
  Logger text({LogFormat::kText, LogLevel::kInfo}, clock, out, err);
  EXPECT_EQ(text.LogLine(LogLevel::kError, "smtp failed:\n\"550\" x=y"),
            R"(level=error msg="smtp failed:\n\"550\" x=y")");
  Logger json({LogFormat::kJson, LogLevel::kInfo}, clock, out, err);
  const std::string line = json.LogLine(LogLevel::kWarning, "a\nb");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(boost::json::parse(line).as_object()["msg"].as_string(), "a\nb");
}

TEST(LoggerTest, LevelFiltersMessagesAndAccessLines) {
  FakeClock clock(Instant{Seconds{0}});
  std::ostringstream out, err;
  Logger logger({LogFormat::kText, LogLevel::kWarning}, clock, out, err);
  logger.Log(LogLevel::kInfo, "routine");
  logger.Access(Record());
  logger.Log(LogLevel::kError, "broken");
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(), "level=error msg=broken\n");
}

}  // namespace
}  // namespace soporte::main
