// The chat's JSON: the frames a client may send (each bad one a 400-style error naming the
// field), the open body, and the frames the server sends (text is data, never markup).
#include "transport/api/codec/chat_codec.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace soporte::transport::api::codec {
namespace {

namespace json = boost::json;

TEST(ChatFrameCodec, ParsesEachClientFrame) {
  auto hello = ParseChatFrame(R"({"type":"hello","chat":7,"token":"t","after":12})");
  ASSERT_TRUE(hello) << hello.error().message;
  EXPECT_EQ(hello->kind, ChatFrameIn::Kind::kHello);
  EXPECT_EQ(hello->chat_id, 7);
  EXPECT_EQ(hello->token, "t");
  EXPECT_EQ(hello->after, 12);
  auto msg = ParseChatFrame(R"({"type":"message","text":"hola <b>","client_id":"c-1"})");
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->text, "hola <b>");
  EXPECT_EQ(msg->client_id, "c-1");
  EXPECT_EQ(ParseChatFrame(R"({"type":"typing"})")->kind, ChatFrameIn::Kind::kTyping);
  EXPECT_EQ(ParseChatFrame(R"({"type":"read","seq":3})")->seq, 3);
}

TEST(ChatFrameCodec, RefusesBadFramesNamingTheField) {
  struct Case {
    const char* text;
    const char* field;
  };
  const Case cases[] = {
      {"not json", ""},
      {R"({"type":"shout"})", "type"},
      {R"({"text":"x"})", "type"},
      {R"({"type":"message"})", "text"},
      {R"({"type":"message","text":5})", "text"},
      {R"({"type":"read"})", "seq"},
      {R"({"type":"hello","after":-1})", "after"},
      {R"({"type":"typing","extra":1})", "extra"},
  };
  for (const auto& c : cases) {
    auto f = ParseChatFrame(c.text);
    ASSERT_FALSE(f) << c.text;
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument) << c.text;
    EXPECT_NE(f.error().message.find(c.field), std::string::npos)
        << c.text << " → " << f.error().message;
  }
}

TEST(ChatOpenCodec, ReadsNameEmailAndLanguage) {
  auto in = ParseChatOpen(R"({"name":"Ana","email":"ana@acme.test","lang":"en"})");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->name, "Ana");
  EXPECT_EQ(in->lang, "en");
  EXPECT_EQ(ParseChatOpen("")->lang, "es");
  EXPECT_FALSE(ParseChatOpen(R"({"lang":"fr"})"));
  EXPECT_FALSE(ParseChatOpen(R"({"name":"Ana","password":"x"})"));
}

TEST(ChatServerFrames, CarryTextAsDataAndTheSeq) {
  domain::chat::ChatMessage m;
  m.seq = 4;
  m.author = domain::chat::ChatAuthor::kAgent;
  m.text = "<script>alert(1)</script> \"hola\"";
  m.client_id = "a-1";
  m.created_at = Instant{Seconds{1800000000}};
  auto v = json::parse(MessageFrame(m)).as_object();
  EXPECT_EQ(v["type"].as_string(), "message");
  EXPECT_EQ(v["seq"].as_int64(), 4);
  EXPECT_EQ(v["author"].as_string(), "agent");
  EXPECT_EQ(v["text"].as_string(), m.text);
  auto err = json::parse(ErrorFrame("rate_limited", "text", "slow down")).as_object();
  EXPECT_EQ(err["code"].as_string(), "rate_limited");
  EXPECT_EQ(err["field"].as_string(), "text");
  auto ack = json::parse(AckFrame("c-9", 12)).as_object();
  EXPECT_EQ(ack["seq"].as_int64(), 12);
}

}  // namespace
}  // namespace soporte::transport::api::codec
