// RelayedEvents over the memory store: what the use cases publish reaches this node's live views
// at once and goes to the relay as a note of ids; another node's note reaches this node's views
// only, a chat's read back from the store (a note naming a message the store lacks shows
// nothing); a resync reaches both kinds of view.
#include "app/live/relayed_events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

class LocalBus final : public EventBus {
 public:
  void Publish(const TicketChanged& e) override { events.push_back(e); }
  void Resync() override { ++resyncs; }
  std::vector<TicketChanged> events;
  int resyncs = 0;
};

class LocalChats final : public ChatEvents {
 public:
  void Publish(const ChatEvent& e) override { events.push_back(e); }
  void Resync() override { ++resyncs; }
  std::vector<ChatEvent> events;
  int resyncs = 0;
};

class RecordingRelay final : public LiveRelay {
 public:
  void Send(const LiveNote& note) override { notes.push_back(note); }
  std::vector<LiveNote> notes;
};

class RelayedEventsTest : public ::testing::Test {
 protected:
  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::CountingTokens tokens_;
  LocalBus bus_;
  LocalChats chats_;
  RecordingRelay relay_;
  std::vector<std::string> log_;
  RelayedEvents relayed_{bus_, chats_, relay_, store_,
                         [this](const std::string& line) { log_.push_back(line); }};
  ChatService service_{store_, tokens_, clock_, relayed_.chats()};
};

TEST_F(RelayedEventsTest, PublishedEventsReachThisNodeAndGoToTheRelayAsIds) {
  relayed_.bus().Publish(TicketChanged{7, OrgId{2}, "alert", UserId{4}});
  ASSERT_EQ(bus_.events.size(), 1u);
  EXPECT_EQ(bus_.events[0].number, 7);
  ASSERT_EQ(relay_.notes.size(), 1u);
  const auto& t = std::get<TicketChanged>(relay_.notes[0]);
  EXPECT_EQ(t.number, 7);
  EXPECT_EQ(t.org_id, OrgId{2});
  EXPECT_EQ(t.what, "alert");
  EXPECT_EQ(t.user_id, UserId{4});

  auto opened = service_.Open(ChatCaller{}, "Ana", "ana@acme.example.com", "", "es");
  ASSERT_TRUE(opened) << opened.error().message;
  auto posted =
      service_.Post(ChatCaller{Principal{}, opened->token}, opened->chat.id, "hola", "c1");
  ASSERT_TRUE(posted) << posted.error().message;
  ASSERT_EQ(chats_.events.size(), 2u);
  EXPECT_EQ(chats_.events[1].kind, "message");
  ASSERT_EQ(relay_.notes.size(), 3u);
  const auto& o = std::get<ChatNote>(relay_.notes[1]);
  EXPECT_EQ(o.chat_id, opened->chat.id);
  EXPECT_EQ(o.kind, "opened");
  EXPECT_EQ(o.seq, 0);
  const auto& m = std::get<ChatNote>(relay_.notes[2]);
  EXPECT_EQ(m.kind, "message");
  EXPECT_EQ(m.seq, posted->message.seq);
}

TEST_F(RelayedEventsTest, AnotherNodesNotesReachThisNodesViewsOnlyReadFromTheStore) {
  auto opened = service_.Open(ChatCaller{}, "Ana", "ana@acme.example.com", "", "es");
  ASSERT_TRUE(opened);
  auto posted =
      service_.Post(ChatCaller{Principal{}, opened->token}, opened->chat.id, "hola", "c1");
  ASSERT_TRUE(posted);
  const std::size_t sent = relay_.notes.size();
  chats_.events.clear();

  relayed_.OnNote(TicketChanged{9, OrgId{1}, "created", UserId{}});
  ASSERT_EQ(bus_.events.size(), 1u);
  EXPECT_EQ(bus_.events[0].number, 9);

  relayed_.OnNote(ChatNote{opened->chat.id, "message", posted->message.seq, UserId{}});
  ASSERT_EQ(chats_.events.size(), 1u);
  const ChatEvent& e = chats_.events[0];
  EXPECT_EQ(e.kind, "message");
  EXPECT_EQ(e.chat.id, opened->chat.id);
  EXPECT_EQ(e.chat.visitor_name, "Ana");
  ASSERT_TRUE(e.message.has_value());
  EXPECT_EQ(e.message->text, "hola");
  EXPECT_EQ(e.message->seq, posted->message.seq);

  relayed_.OnNote(ChatNote{opened->chat.id, "waiting", 0, UserId{3}});
  ASSERT_EQ(chats_.events.size(), 2u);
  EXPECT_EQ(chats_.events[1].kind, "waiting");
  EXPECT_EQ(chats_.events[1].to_user, UserId{3});
  EXPECT_FALSE(chats_.events[1].message.has_value());

  // Nothing the store lacks is shown; each is logged.
  relayed_.OnNote(ChatNote{opened->chat.id, "message", 99, UserId{}});
  relayed_.OnNote(ChatNote{opened->chat.id + 100, "closed", 0, UserId{}});
  relayed_.OnNote(ChatNote{opened->chat.id, "message", 0, UserId{}});
  EXPECT_EQ(chats_.events.size(), 2u);
  EXPECT_EQ(log_.size(), 3u);
  // Received notes are never sent on again.
  EXPECT_EQ(relay_.notes.size(), sent);
}

TEST_F(RelayedEventsTest, AResyncReachesBothKindsOfView) {
  relayed_.OnResync();
  EXPECT_EQ(bus_.resyncs, 1);
  EXPECT_EQ(chats_.resyncs, 1);
  EXPECT_TRUE(relay_.notes.empty());
}

}  // namespace
}  // namespace soporte::app
