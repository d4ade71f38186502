// The chat rules as tables: which messages and visitors pass (size, UTF-8, control characters,
// client ids), which moves each state allows, the state and author names, and the clock start.
#include "domain/chat/chat.hpp"

#include <string>

#include <gtest/gtest.h>

namespace soporte::domain::chat {
namespace {

TEST(ChatMessageRule, AcceptsTextWithinTheLimitsAndNamesTheFieldOtherwise) {
  struct Case {
    std::string text;
    std::string client_id;
    std::size_t attachments;
    const char* field;  // nullptr: accepted
  };
  const Case cases[] = {
      {"Hola 👋, ¿en qué te podemos ayudar?", "c-1", 0, nullptr},
      {"dos\nlíneas\tcon tab", "", 0, nullptr},
      {std::string(kMaxChatText, 'a'), "x", 0, nullptr},
      {std::string(kMaxChatText + 1, 'a'), "x", 0, "text"},
      {"", "x", 0, "text"},
      {"  \n ", "x", 0, "text"},
      {"", "x", 1, nullptr},  // an attachment alone
      {"a", "x", kMaxChatAttachments + 1, "files"},
      {"bell\a", "x", 0, "text"},
      {"nul" + std::string(1, '\0'), "x", 0, "text"},
      {"\xc3\x28", "x", 0, "text"},      // broken UTF-8
      {"\xc0\xaf", "x", 0, "text"},      // overlong '/'
      {"\xed\xa0\x80", "x", 0, "text"},  // a surrogate
      {"\xe2\x82", "x", 0, "text"},      // cut short
      {"\xc2\x85", "x", 0, "text"},      // C1 control (NEL)
      {"ok", "con espacio", 0, "client_id"},
      {"ok", std::string(kMaxChatClientId + 1, 'k'), 0, "client_id"},
      {"ok", "ñ", 0, "client_id"},
  };
  for (const auto& c : cases) {
    Status st = CheckChatMessage(c.text, c.client_id, c.attachments);
    if (!c.field) {
      EXPECT_TRUE(st) << c.text << ": " << st.error().message;
    } else {
      ASSERT_FALSE(st) << c.text;
      EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(st.error().message.rfind(c.field, 0), 0u) << st.error().message;
    }
  }
}

TEST(ChatVisitorRule, NeedsANameAndAnAddress) {
  EXPECT_TRUE(CheckVisitor("Ana Pérez", "ana@acme.test"));
  EXPECT_EQ(CheckVisitor("", "ana@acme.test").error().message.rfind("name", 0), 0u);
  EXPECT_EQ(CheckVisitor("Ana\n", "ana@acme.test").error().message.rfind("name", 0), 0u);
  EXPECT_FALSE(CheckVisitor(std::string(kMaxVisitorName + 1, 'a'), "ana@acme.test"));
  for (const char* bad : {"", "ana", "@acme.test", "ana@", "ana@acme", "ana@@acme.test",
                          "ana @acme.test", "ana@acme.test.", "<ana@acme.test>"}) {
    Status st = CheckVisitor("Ana", bad);
    ASSERT_FALSE(st) << bad;
    EXPECT_EQ(st.error().message.rfind("email", 0), 0u) << bad;
  }
}

TEST(ChatMoves, EachStateAllowsItsMoves) {
  const UserId luis{1}, eva{2};
  Chat waiting;
  waiting.id = 7;
  Chat taken = waiting;
  taken.state = ChatState::kTaken;
  taken.taken_by = luis;
  Chat closed = waiting;
  closed.state = ChatState::kClosed;

  EXPECT_TRUE(CanTake(waiting));
  EXPECT_EQ(CanTake(taken).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(CanTake(closed).error().code, ErrorCode::kFailedPrecondition);

  EXPECT_TRUE(CanHand(taken, luis, eva));
  EXPECT_EQ(CanHand(taken, eva, luis).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(CanHand(taken, luis, luis).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(CanHand(taken, luis, UserId{}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(CanHand(waiting, luis, eva).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(CanHand(closed, luis, eva).error().code, ErrorCode::kFailedPrecondition);

  EXPECT_TRUE(CanClose(waiting));
  EXPECT_TRUE(CanClose(taken));
  EXPECT_EQ(CanClose(closed).error().code, ErrorCode::kFailedPrecondition);

  EXPECT_TRUE(CanPost(waiting));
  EXPECT_TRUE(CanPost(taken));
  EXPECT_EQ(CanPost(closed).error().code, ErrorCode::kFailedPrecondition);
}

TEST(ChatNames, RoundTripAndRefuseUnknown) {
  for (ChatState s : {ChatState::kWaiting, ChatState::kTaken, ChatState::kClosed})
    EXPECT_EQ(ParseChatState(ChatStateName(s)), s);
  for (ChatAuthor a : {ChatAuthor::kVisitor, ChatAuthor::kAgent, ChatAuthor::kSystem})
    EXPECT_EQ(ParseChatAuthor(ChatAuthorName(a)), a);
  EXPECT_EQ(ChatStateName(ChatState::kTaken), "taken");
  EXPECT_EQ(ChatAuthorName(ChatAuthor::kSystem), "system");
  EXPECT_FALSE(ParseChatState("open"));
  EXPECT_FALSE(ParseChatAuthor("Agent"));
}

TEST(ChatClock, StartsAtTheFirstMessageOrTheOpening) {
  Chat c;
  c.created_at = Instant{Seconds{1000}};
  EXPECT_EQ(ClockStart(c), Instant{Seconds{1000}});
  c.first_message_at = Instant{Seconds{1042}};
  EXPECT_EQ(ClockStart(c), Instant{Seconds{1042}});
  EXPECT_EQ(WaitAlertDue(c.created_at, Seconds{120}), Instant{Seconds{1120}});
}

TEST(ChatFileRule, OnlyItsUploaderSendsAFileAndOnlyInItsChat) {
  ChatFile f;
  f.id = 4;
  f.chat_id = 7;
  f.author = ChatAuthor::kVisitor;
  EXPECT_TRUE(CanSendFile(f, 7, ChatAuthor::kVisitor, UserId{}));
  // Another chat: unknown (the id reveals nothing); the other side or another person: refused.
  auto other_chat = CanSendFile(f, 8, ChatAuthor::kVisitor, UserId{});
  ASSERT_FALSE(other_chat);
  EXPECT_EQ(other_chat.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(other_chat.error().message, "files: file 4 is unknown");
  EXPECT_FALSE(CanSendFile(f, 7, ChatAuthor::kAgent, UserId{3}));
  f.author = ChatAuthor::kAgent;
  f.author_id = UserId{3};
  EXPECT_TRUE(CanSendFile(f, 7, ChatAuthor::kAgent, UserId{3}));
  EXPECT_FALSE(CanSendFile(f, 7, ChatAuthor::kAgent, UserId{5}));
}

TEST(ChatFileRule, TheVisitorSeesAnAgentsFileOnlyOnceSent) {
  ChatFile mine;
  mine.author = ChatAuthor::kVisitor;
  EXPECT_TRUE(CanReadFile(mine, false));
  ChatFile agents;
  agents.author = ChatAuthor::kAgent;
  agents.author_id = UserId{3};
  EXPECT_FALSE(CanReadFile(agents, false));
  EXPECT_TRUE(CanReadFile(agents, true));  // staff read every file of a chat they may see
  agents.seq = 5;
  EXPECT_TRUE(CanReadFile(agents, false));
}

}  // namespace
}  // namespace soporte::domain::chat
