// WireResponse against Beast: the bytes it writes must parse, with Beast's own response parser,
// into the same status, headers, body and connection semantics as the Beast message the server
// used to serialize for the same Response (the oracle below).
#include "transport/http/response_wire.hpp"

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

namespace bhttp = boost::beast::http;
using Fields = std::vector<std::pair<std::string, std::string>>;

struct Parsed {
  int status = 0;
  unsigned version = 0;
  bool keep_alive = false;
  Fields fields;  // sorted
  std::string body;
};

Parsed Parse(const std::string& wire) {
  bhttp::response_parser<bhttp::string_body> p;
  p.eager(true);
  boost::beast::error_code ec;
  const auto used = p.put(boost::asio::buffer(wire), ec);
  EXPECT_FALSE(ec) << ec.message() << " in:\n" << wire;
  if (!p.is_done()) p.put_eof(ec);
  EXPECT_TRUE(p.is_done()) << wire;
  EXPECT_EQ(used, wire.size()) << "bytes after the message:\n" << wire;
  Parsed r;
  const auto& m = p.get();
  r.status = static_cast<int>(m.result_int());
  r.version = m.version();
  r.keep_alive = m.keep_alive();
  for (const auto& f : m) r.fields.emplace_back(std::string(f.name_string()), std::string(f.value()));
  std::sort(r.fields.begin(), r.fields.end());
  r.body = m.body();
  return r;
}

// What the server wrote before WireResponse: a Beast message, serialized by Beast.
std::string BeastWire(const Response& res, unsigned version, bool keep_alive, bool api) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  for (const auto& [name, value] : kFixedHeaders) out.set(name, value);
  bool has_cache_control = false;
  for (const auto& [name, value] : res.headers) {
    if (name == "Cache-Control") has_cache_control = true;
    out.insert(name, value);
  }
  if (api && !has_cache_control) out.set(bhttp::field::cache_control, "no-store");
  if (!res.body.empty() || res.status >= 200) out.set(bhttp::field::content_type, res.content_type);
  out.body() = res.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  std::ostringstream s;
  s << out;
  return s.str();
}

struct Case {
  const char* what;
  Response res;
  unsigned version;
  bool keep_alive;
  bool api;
};

Response Make(int status, std::string body, Fields headers, std::string type = "application/json") {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.content_type = std::move(type);
  return r;
}

TEST(ResponseWireTest, ParsesLikeTheBeastMessageItReplaces) {
  const std::vector<Case> cases = {
      {"api 200 kept", Make(200, R"({"number":1001,"subject":"Caída ñ"})", {}), 11, true, true},
      {"api 201, cookies twice, closing", Make(201, "{}", {{"Set-Cookie", "a=1; HttpOnly"}, {"Set-Cookie", "b=2"},
                                                          {"Location", "/api/v1/tickets/7"}}), 11, false, true},
      {"handler's own Cache-Control", Make(200, "x", {{"Cache-Control", "private, max-age=60"}}, "text/plain"), 11, true, true},
      {"not modified, no body", Make(304, "", {{"ETag", "\"abc\""}}, "text/html"), 11, true, false},
      {"no content", Make(204, "", {}), 11, true, true},
      {"HTTP/1.0 kept alive", Make(404, R"({"error":{}})", {}), 10, true, true},
      {"HTTP/1.0 closing", Make(429, "{}", {{"Retry-After", "60"}}), 10, false, true},
      {"empty 200 page", Make(200, "", {}, "text/html; charset=utf-8"), 11, true, false},
      {"large body", Make(200, std::string(100000, 'x'), {}), 11, true, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto wire = WireResponse(c.res, c.version, c.keep_alive, c.api);
    ASSERT_TRUE(wire) << wire.error().message;
    const Parsed ours = Parse(*wire);
    Parsed beast = Parse(BeastWire(c.res, c.version, c.keep_alive, c.api));
    if (c.res.status == 204 || c.res.status == 304) {
      // Beast 1.81 writes "Content-Length: 0" here; RFC 9110 §8.6 forbids it on a 204 and it
      // means nothing on a 304 (no body follows either way). WireResponse leaves it out.
      std::erase_if(beast.fields, [](const auto& f) { return f.first == "Content-Length"; });
      EXPECT_EQ(wire->find("Content-Length"), std::string::npos);
    }
    if (c.res.status == 204) {
      // Beast also writes the Content-Type; a 204 has no content for it to describe.
      std::erase_if(beast.fields, [](const auto& f) { return f.first == "Content-Type"; });
      EXPECT_EQ(wire->find("\r\nContent-Type:"), std::string::npos) << *wire;
    }
    EXPECT_EQ(ours.status, beast.status);
    EXPECT_EQ(ours.version, beast.version);
    EXPECT_EQ(ours.keep_alive, beast.keep_alive);
    EXPECT_EQ(ours.fields, beast.fields);
    EXPECT_EQ(ours.body, beast.body);
    EXPECT_EQ(ours.keep_alive, c.keep_alive);
  }
}

TEST(ResponseWireTest, NoContentCarriesNoContentType) {
  // What DELETE /api/v1/session answers: the handler leaves Response's JSON default in place.
  Response r;
  r.status = 204;
  auto wire = WireResponse(r, 11, true, true);
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->find("\r\nContent-Type:"), std::string::npos) << *wire;
  EXPECT_EQ(wire->find("Content-Length"), std::string::npos) << *wire;
  EXPECT_TRUE(wire->ends_with("\r\n\r\n")) << *wire;
  auto not_modified = WireResponse(Make(304, "", {}, "text/html"), 11, true, false);
  ASSERT_TRUE(not_modified);
  EXPECT_NE(not_modified->find("Content-Type: text/html\r\n"), std::string::npos) << *not_modified;
}

TEST(ResponseWireTest, HeadRequestGetsTheHeadersAndLengthWithoutTheBody) {
  const Response r = Make(200, R"({"status":"ok"})", {});
  auto get = WireResponse(r, 11, true, true);
  auto head = WireResponse(r, 11, true, true, /*head_request=*/true);
  ASSERT_TRUE(get && head);
  EXPECT_EQ(*get, *head + r.body);  // the same bytes up to the body
  EXPECT_NE(head->find("\r\nContent-Length: 15\r\n"), std::string::npos) << *head;
  EXPECT_TRUE(head->ends_with("\r\n\r\n")) << *head;
}

TEST(ResponseWireTest, StatusLineNamesTheReason) {
  auto wire = WireResponse(Make(413, "{}", {}), 11, true, true);
  ASSERT_TRUE(wire);
  EXPECT_TRUE(wire->starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << *wire;
}

TEST(ResponseWireTest, RefusesAHeaderThatWouldSplitTheResponse) {
  for (const Fields& bad : {Fields{{"Location", "/x\r\nSet-Cookie: stolen=1"}}, Fields{{"X-A\nB", "1"}},
                            Fields{{"Content-Disposition", std::string("a\0b", 3)}}, Fields{{"", "v"}}}) {
    auto wire = WireResponse(Make(200, "{}", bad), 11, true, true);
    ASSERT_FALSE(wire);
    EXPECT_EQ(wire.error().code, ErrorCode::kInternal);
    EXPECT_NE(wire.error().message.find("CR, LF or NUL"), std::string::npos) << wire.error().message;
  }
  Response r = Make(200, "{}", {});
  r.content_type = "text/html\r\nX-Evil: 1";
  EXPECT_FALSE(WireResponse(r, 11, true, false));
}

}  // namespace
}  // namespace soporte::transport::http
