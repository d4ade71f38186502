// tx.chats() on every backend: chats with their visitor and token, messages numbered 1, 2, 3… per
// chat and read back after a seq (resume), a resent client id stored once, the first visitor
// message starting the clock, take as a conditional update (the second taker loses), hand-offs,
// close, read marks, the open list and waiting count, the wait alert claimed with a lease, and
// files: stored unsent, sent once by the message that names them, read back with it. Messages
// and resends written at once from several threads (several nodes) keep the numbers gapless.
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

namespace chat = domain::chat;

class ChatRepositoryTest : public StoreTest {
 protected:
  chat::Chat NewChat(const std::string& token, long long at = kBase) {
    chat::Chat c;
    c.visitor_name = "Ana Pérez";
    c.visitor_email = "ana@acme.test";
    c.origin = "https://www.vendor.test";
    c.token_hash = token;
    c.created_at = T(at);
    return c;
  }
  chat::Chat Open(const std::string& token, long long at = kBase,
                  std::optional<Instant> alert = std::nullopt) {
    auto c = W([&](app::WriteTx& tx) { return tx.chats().InsertChat(NewChat(token, at), alert); });
    SOPORTE_CHECK(c.has_value());
    return *c;
  }
  Result<app::AppendedChatMessage> Say(std::int64_t chat_id, const std::string& text,
                                       const std::string& client_id,
                                       chat::ChatAuthor author = chat::ChatAuthor::kVisitor,
                                       UserId author_id = UserId{}, long long at = kBase + 10) {
    chat::ChatMessage m;
    m.chat_id = chat_id;
    m.client_id = client_id;
    m.author = author;
    m.author_id = author_id;
    m.text = text;
    m.created_at = T(at);
    return W([&](app::WriteTx& tx) { return tx.chats().AppendChatMessage(m); });
  }
  std::vector<chat::ChatMessage> After(std::int64_t chat_id, std::int64_t after, int limit = 100) {
    auto r = R([&](app::ReadTx& tx) { return tx.chats().ListChatMessages(chat_id, after, limit); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
  chat::ChatFile AddFile(std::int64_t chat_id, const std::string& name) {
    chat::ChatFile f;
    f.chat_id = chat_id;
    f.sha256 = std::string(64, 'a');
    f.filename = name;
    f.content_type = "application/octet-stream";
    f.size = 10;
    f.created_at = T(kBase);
    auto r = W([&](app::WriteTx& tx) { return tx.chats().InsertChatFile(f); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
  chat::Chat Get(std::int64_t id) {
    auto r = R([&](app::ReadTx& tx) { return tx.chats().GetChat(id); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
  std::vector<app::ChatWaitAlertClaim> Claim(long long now, const std::string& node,
                                             long long lease) {
    auto r = W([&](app::WriteTx& tx) {
      return tx.chats().ClaimChatWaitAlerts(T(now), node, T(lease), 10);
    });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
};

TEST_P(ChatRepositoryTest, AChatIsStoredWithItsVisitorAndFoundByItsToken) {
  World();
  chat::Chat c = NewChat("aa11");
  c.user_id = customer_.id;
  c.org_id = org_.id;
  c.lang = "en";
  auto stored = W([&](app::WriteTx& tx) { return tx.chats().InsertChat(c, std::nullopt); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_GT(stored->id, 0);
  auto got = R([&](app::ReadTx& tx) { return tx.chats().FindChatByToken("aa11"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, stored->id);
  EXPECT_EQ(got->visitor_name, "Ana Pérez");
  EXPECT_EQ(got->visitor_email, "ana@acme.test");
  EXPECT_EQ(got->user_id, customer_.id);
  EXPECT_EQ(got->org_id, org_.id);
  EXPECT_EQ(got->origin, "https://www.vendor.test");
  EXPECT_EQ(got->lang, "en");
  EXPECT_EQ(got->state, chat::ChatState::kWaiting);
  EXPECT_EQ(got->created_at, T(kBase));
  EXPECT_FALSE(got->first_message_at);
  EXPECT_FALSE(got->taken_by.valid());
  EXPECT_EQ(got->last_seq, 0);

  // A portal user's chat carries no token; several may exist.
  auto p1 = Open("");
  auto p2 = Open("");
  EXPECT_NE(p1.id, p2.id);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.chats().FindChatByToken(""); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.chats().FindChatByToken("zz"); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.chats().GetChat(999); }).error().code,
            ErrorCode::kNotFound);
  // The same token twice is refused; so is a visitor without an email or a missing user.
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().InsertChat(NewChat("aa11"), {}); }).error().code,
      ErrorCode::kAlreadyExists);
  chat::Chat bad = NewChat("bb");
  bad.visitor_email = "";
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.chats().InsertChat(bad, {}); }).error().code,
            ErrorCode::kInvalidArgument);
  bad = NewChat("cc");
  bad.user_id = UserId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.chats().InsertChat(bad, {}); }).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_P(ChatRepositoryTest, MessagesAreNumberedPerChatAndReadBackAfterASeq) {
  World();
  auto a = Open("a");
  auto b = Open("b");
  ASSERT_TRUE(Say(a.id, "hola", "c1"));
  ASSERT_TRUE(Say(b.id, "otro chat", "c1"));  // the same client id in another chat is another
  auto reply = Say(a.id, "¿En qué te ayudo?", "", chat::ChatAuthor::kAgent, agent_.id, kBase + 20);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->message.seq, 2);
  auto third = Say(a.id, "no carga", "c2", chat::ChatAuthor::kVisitor, UserId{}, kBase + 30);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->message.seq, 3);
  EXPECT_TRUE(third->inserted);

  auto all = After(a.id, 0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].seq, 1);
  EXPECT_EQ(all[0].text, "hola");
  EXPECT_EQ(all[0].client_id, "c1");
  EXPECT_EQ(all[0].author, chat::ChatAuthor::kVisitor);
  EXPECT_EQ(all[1].author, chat::ChatAuthor::kAgent);
  EXPECT_EQ(all[1].author_id, agent_.id);
  EXPECT_EQ(all[1].created_at, T(kBase + 20));
  EXPECT_EQ(all[2].text, "no carga");
  // Resume: only what came after the last seq held, in order, and up to the limit.
  auto rest = After(a.id, 1);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].seq, 2);
  EXPECT_EQ(After(a.id, 1, 1).size(), 1u);
  EXPECT_TRUE(After(a.id, 3).empty());
  ASSERT_EQ(After(b.id, 0).size(), 1u);
  EXPECT_EQ(After(b.id, 0)[0].seq, 1);

  auto got = R([&](app::ReadTx& tx) { return tx.chats().GetChat(a.id); });
  EXPECT_EQ(got->last_seq, 3);
  // The clock starts at the visitor's first message.
  EXPECT_EQ(got->first_message_at, T(kBase + 10));

  EXPECT_EQ(Say(999, "x", "c9").error().code, ErrorCode::kNotFound);
}

// Messages written to one chat at once from several threads each get a number, none twice and
// none skipped, and a client id sent by two threads at once is stored once: SQLite's single
// writer serialises them; on PostgreSQL the appends clash on the chat's row (last_seq) and the
// store runs the refused ones again.
TEST_P(ChatRepositoryTest, MessagesWrittenAtOnceGetEveryNumberOnce) {
  World();
  auto a = Open("a");
  constexpr int kThreads = 4, kPerThread = 8;
  std::atomic<int> failures{0}, resends{0};
  std::mutex mu;
  std::multiset<std::int64_t> seqs;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kPerThread; ++k) {
        // Client ids "t<i>-<k>" are distinct, except "same-<k>", which every thread sends.
        const bool shared = k % 4 == 0;
        const std::string id = shared ? "same-" + std::to_string(k)
                                      : "t" + std::to_string(i) + "-" + std::to_string(k);
        auto m = Say(a.id, "mensaje", id);
        if (!m) {
          ++failures;
          continue;
        }
        if (!m->inserted) {
          ++resends;
          continue;
        }
        std::lock_guard lock(mu);
        seqs.insert(m->message.seq);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  constexpr int kShared = kPerThread / 4;  // client ids every thread sent
  constexpr int kStored = kThreads * (kPerThread - kShared) + kShared;
  EXPECT_EQ(resends.load(), (kThreads - 1) * kShared);
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kStored));
  EXPECT_EQ(std::set<std::int64_t>(seqs.begin(), seqs.end()).size(), seqs.size()) << "a seq twice";
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), kStored);
  EXPECT_EQ(Get(a.id).last_seq, kStored);
  auto all = After(a.id, 0, 1000);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kStored));
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, static_cast<int>(i) + 1);
}

TEST_P(ChatRepositoryTest, AResentClientIdIsStoredOnce) {
  World();
  auto a = Open("a");
  auto f1 = AddFile(a.id, "log.txt");
  auto f2 = AddFile(a.id, "pantalla.png");
  chat::ChatMessage m;
  m.chat_id = a.id;
  m.client_id = "k-1";
  m.text = "con adjunto";
  m.files = {chat::ChatFile{.id = f1.id}, chat::ChatFile{.id = f2.id}};
  m.created_at = T(kBase + 5);
  auto first = W([&](app::WriteTx& tx) { return tx.chats().AppendChatMessage(m); });
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->inserted);
  ASSERT_EQ(first->message.files.size(), 2u);
  EXPECT_EQ(first->message.files[0].filename, "log.txt");
  EXPECT_EQ(first->message.files[0].seq, first->message.seq);
  m.text = "resent after a drop";
  auto again = W([&](app::WriteTx& tx) { return tx.chats().AppendChatMessage(m); });
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->inserted);
  EXPECT_EQ(again->message.seq, first->message.seq);
  EXPECT_EQ(again->message.text, "con adjunto");
  EXPECT_EQ(again->message.files.size(), 2u);
  auto all = After(a.id, 0);
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(all[0].files.size(), 2u);
  EXPECT_EQ(all[0].files[0].id, f1.id);
  EXPECT_EQ(all[0].files[1].id, f2.id);
  EXPECT_EQ(all[0].files[1].filename, "pantalla.png");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.chats().GetChat(a.id); })->last_seq, 1);
}

TEST_P(ChatRepositoryTest, AFileIsStoredUnsentThenSentOnceByTheMessageThatNamesIt) {
  World();
  auto a = Open("a");
  auto b = Open("b");
  chat::ChatFile f;
  f.chat_id = a.id;
  f.sha256 = std::string(64, 'e');
  f.filename = "error.log";
  f.content_type = "text/plain";
  f.size = 1234;
  f.author = chat::ChatAuthor::kAgent;
  f.author_id = agent_.id;
  f.created_at = T(kBase + 3);
  f.seq = 77;  // ignored: a new file is not sent
  auto stored = W([&](app::WriteTx& tx) { return tx.chats().InsertChatFile(f); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_GT(stored->id, 0);
  auto got = R([&](app::ReadTx& tx) { return tx.chats().GetChatFile(stored->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->chat_id, a.id);
  EXPECT_EQ(got->seq, 0);
  EXPECT_EQ(got->sha256, std::string(64, 'e'));
  EXPECT_EQ(got->filename, "error.log");
  EXPECT_EQ(got->content_type, "text/plain");
  EXPECT_EQ(got->size, 1234);
  EXPECT_EQ(got->author, chat::ChatAuthor::kAgent);
  EXPECT_EQ(got->author_id, agent_.id);
  EXPECT_EQ(got->created_at, T(kBase + 3));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.chats().CountChatFiles(a.id); }).value(), 1);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.chats().CountChatFiles(b.id); }).value(), 0);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.chats().GetChatFile(999); }).error().code,
            ErrorCode::kNotFound);
  // A file of a chat that does not exist, or by a user who does not, is refused.
  chat::ChatFile orphan = f;
  orphan.chat_id = 999;
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.chats().InsertChatFile(orphan); }).error().code,
            ErrorCode::kNotFound);
  orphan = f;
  orphan.author_id = UserId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.chats().InsertChatFile(orphan); }).error().code,
            ErrorCode::kFailedPrecondition);

  auto send = [&](std::int64_t chat_id, const std::string& client_id, std::int64_t file_id) {
    chat::ChatMessage m;
    m.chat_id = chat_id;
    m.client_id = client_id;
    m.author = chat::ChatAuthor::kAgent;
    m.author_id = agent_.id;
    m.created_at = T(kBase + 20);
    m.files = {chat::ChatFile{.id = file_id}};
    return W([&](app::WriteTx& tx) { return tx.chats().AppendChatMessage(m); });
  };
  // Named by a message of another chat: refused, and nothing of that message is kept.
  auto wrong = send(b.id, "x1", stored->id);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(After(b.id, 0).empty());
  EXPECT_EQ(Get(b.id).last_seq, 0);
  // Sent: it takes the message's seq.
  ASSERT_TRUE(Say(a.id, "hola", "v1"));
  auto sent = send(a.id, "x2", stored->id);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->message.seq, 2);
  ASSERT_EQ(sent->message.files.size(), 1u);
  EXPECT_EQ(sent->message.files[0].seq, 2);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.chats().GetChatFile(stored->id); })->seq, 2);
  // Sent once: another message naming it is refused (and stores nothing).
  auto twice = send(a.id, "x3", stored->id);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Get(a.id).last_seq, 2);
  auto all = After(a.id, 0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].files.empty());
  ASSERT_EQ(all[1].files.size(), 1u);
  EXPECT_EQ(all[1].files[0].filename, "error.log");
  // Read from a later seq, the files still come with their message.
  auto rest = After(a.id, 1);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].files.size(), 1u);
}

TEST_P(ChatRepositoryTest, OnlyOneAgentTakesAWaitingChat) {
  World();
  auto other = User("eva@vendor.test", OrgId{}, domain::Role::kAgent);
  auto a = Open("a");
  auto took =
      W([&](app::WriteTx& tx) { return tx.chats().TakeChat(a.id, agent_.id, T(kBase + 60)); });
  ASSERT_TRUE(took) << took.error().message;
  EXPECT_EQ(took->state, chat::ChatState::kTaken);
  EXPECT_EQ(took->taken_by, agent_.id);
  EXPECT_EQ(took->taken_at, T(kBase + 60));
  auto second =
      W([&](app::WriteTx& tx) { return tx.chats().TakeChat(a.id, other.id, T(kBase + 61)); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.chats().GetChat(a.id); })->taken_by, agent_.id);
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.chats().TakeChat(999, other.id, T(kBase)); })
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(ChatRepositoryTest, TheHolderHandsAChatToAColleague) {
  World();
  auto other = User("eva@vendor.test", OrgId{}, domain::Role::kAgent);
  auto a = Open("a");
  // Nobody holds a waiting chat, so nobody can hand it.
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().HandChat(a.id, agent_.id, other.id, T(kBase)); })
          .error()
          .code,
      ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.chats().TakeChat(a.id, agent_.id, T(kBase)); }));
  // Only the holder hands it.
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().HandChat(a.id, other.id, agent_.id, T(kBase)); })
          .error()
          .code,
      ErrorCode::kFailedPrecondition);
  auto handed = W([&](app::WriteTx& tx) {
    return tx.chats().HandChat(a.id, agent_.id, other.id, T(kBase + 9));
  });
  ASSERT_TRUE(handed) << handed.error().message;
  EXPECT_EQ(handed->taken_by, other.id);
  EXPECT_EQ(handed->state, chat::ChatState::kTaken);
  auto history = R([&](app::ReadTx& tx) { return tx.chats().ListChatHandoffs(a.id); });
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].from, agent_.id);
  EXPECT_EQ((*history)[0].to, other.id);
  EXPECT_EQ((*history)[0].at, T(kBase + 9));
}

TEST_P(ChatRepositoryTest, ClosedChatsLeaveTheOpenListAndCloseOnce) {
  World();
  auto a = Open("a", kBase + 2);
  auto b = Open("b", kBase + 1);
  auto c = Open("c", kBase + 3);
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.chats().TakeChat(c.id, agent_.id, T(kBase)); }));
  EXPECT_EQ(*R([](app::ReadTx& tx) { return tx.chats().CountWaitingChats(); }), 2);
  auto open = R([](app::ReadTx& tx) { return tx.chats().ListOpenChats(10); });
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 3u);
  EXPECT_EQ((*open)[0].id, b.id);  // oldest first
  EXPECT_EQ((*open)[1].id, a.id);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.chats().ListOpenChats(1); })->size(), 1u);

  auto closed = W([&](app::WriteTx& tx) { return tx.chats().CloseChat(a.id, T(kBase + 50)); });
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->state, chat::ChatState::kClosed);
  EXPECT_EQ(closed->closed_at, T(kBase + 50));
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().CloseChat(a.id, T(kBase + 51)); }).error().code,
      ErrorCode::kFailedPrecondition);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.chats().ListOpenChats(10); })->size(), 2u);
  EXPECT_EQ(*R([](app::ReadTx& tx) { return tx.chats().CountWaitingChats(); }), 1);
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.chats().TakeChat(a.id, agent_.id, T(kBase)); })
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
}

TEST_P(ChatRepositoryTest, APortalUsersOpenChatsAreListed) {
  World();
  chat::Chat c = NewChat("");
  c.user_id = customer_.id;
  auto mine = W([&](app::WriteTx& tx) { return tx.chats().InsertChat(c, {}); });
  ASSERT_TRUE(mine);
  Open("x");
  auto list = R([&](app::ReadTx& tx) { return tx.chats().ListOpenChatsOfUser(customer_.id); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, mine->id);
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.chats().CloseChat(mine->id, T(kBase)); }));
  EXPECT_TRUE(
      R([&](app::ReadTx& tx) { return tx.chats().ListOpenChatsOfUser(customer_.id); })->empty());
}

TEST_P(ChatRepositoryTest, ReadMarksOnlyRiseAndStopAtTheLastMessage) {
  World();
  auto a = Open("a");
  ASSERT_TRUE(Say(a.id, "1", "c1"));
  ASSERT_TRUE(Say(a.id, "2", "c2"));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.chats().MarkChatRead(a.id, chat::ChatAuthor::kAgent, 2);
  }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.chats().MarkChatRead(a.id, chat::ChatAuthor::kAgent, 1);
  }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.chats().MarkChatRead(a.id, chat::ChatAuthor::kVisitor, 50);
  }));
  auto got = R([&](app::ReadTx& tx) { return tx.chats().GetChat(a.id); });
  EXPECT_EQ(got->agent_read, 2);
  EXPECT_EQ(got->visitor_read, 2);
  EXPECT_EQ(store_
                ->Write([&](app::WriteTx& tx) {
                  return tx.chats().MarkChatRead(999, chat::ChatAuthor::kAgent, 1);
                })
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(ChatRepositoryTest, AChatRemembersItsTicket) {
  World();
  auto a = Open("a");
  auto t = Ticket(kBase + 3600);
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.chats().SetChatTicket(a.id, t.id); }));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.chats().GetChat(a.id); })->ticket_id, t.id);
  EXPECT_EQ(
      store_->Write([&](app::WriteTx& tx) { return tx.chats().SetChatTicket(a.id, TicketId{999}); })
          .error()
          .code,
      ErrorCode::kFailedPrecondition);
}

TEST_P(ChatRepositoryTest, AWaitAlertIsClaimedByOneNodeUntilItsLeaseEnds) {
  World();
  auto late = Open("a", kBase, T(kBase + 120));
  auto early = Open("b", kBase, T(kBase + 60));
  Open("c", kBase, T(kBase + 999));  // not due yet
  Open("d", kBase);                  // never alerts
  EXPECT_TRUE(Claim(kBase + 59, "n1", kBase + 90).empty());
  auto first = Claim(kBase + 200, "n1", kBase + 230);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].chat_id, early.id);  // oldest due first
  EXPECT_EQ(first[0].due, T(kBase + 60));
  EXPECT_EQ(first[1].chat_id, late.id);
  // Held: another node gets nothing until the lease ends.
  EXPECT_TRUE(Claim(kBase + 210, "n2", kBase + 240).empty());
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.chats().FinishChatWaitAlert(early.id, "n1", T(kBase + 211));
  }));
  // The lease on `late` ran out: n2 takes it, and n1's late finish is refused.
  auto second = Claim(kBase + 231, "n2", kBase + 260);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].chat_id, late.id);
  EXPECT_EQ(second[0].claimed_by, "n2");
  EXPECT_EQ(store_
                ->Write([&](app::WriteTx& tx) {
                  return tx.chats().FinishChatWaitAlert(late.id, "n1", T(kBase + 232));
                })
                .error()
                .code,
            ErrorCode::kAborted);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.chats().FinishChatWaitAlert(late.id, "n2", T(kBase + 233));
  }));
  // Done alerts never come back.
  EXPECT_TRUE(Claim(kBase + 500, "n3", kBase + 530).empty());
}

TEST_P(ChatRepositoryTest, WaitingChatsAreCountedPerAddress) {
  World();
  auto opened = [&](const std::string& token, const std::string& from) {
    chat::Chat c = NewChat(token);
    c.opened_from = from;
    auto r = W([&](app::WriteTx& tx) { return tx.chats().InsertChat(c, std::nullopt); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  };
  auto count = [&](const std::string& from) {
    auto r = R([&](app::ReadTx& tx) { return tx.chats().CountWaitingChatsFrom(from); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  };
  auto a = opened("a", "203.0.113.7");
  opened("b", "203.0.113.7");
  opened("c", "198.51.100.1");
  EXPECT_EQ(a.opened_from, "203.0.113.7");
  EXPECT_EQ(Get(a.id).opened_from, "203.0.113.7");
  EXPECT_EQ(count("203.0.113.7"), 2);
  EXPECT_EQ(count("198.51.100.1"), 1);
  EXPECT_EQ(count("192.0.2.1"), 0);
  // Only waiting chats count.
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.chats().CloseChat(a.id, T(kBase + 5)); }));
  EXPECT_EQ(count("203.0.113.7"), 1);
}

TEST_P(ChatRepositoryTest, AnAbandonedChatIsClosedOnceByTheNodeHoldingIt) {
  World();
  auto gone = Open("a");
  auto back = Open("b");
  auto taken = Open("c");
  auto connected = Open("d");
  auto set_due = [&](std::int64_t id, std::optional<Instant> due) {
    ASSERT_TRUE(
        store_->Write([&](app::WriteTx& tx) { return tx.chats().SetChatAbandonDue(id, due); }));
  };
  set_due(gone.id, T(kBase + 60));
  set_due(back.id, T(kBase + 30));
  set_due(taken.id, T(kBase + 10));
  set_due(connected.id, std::nullopt);
  ASSERT_TRUE(
      W([&](app::WriteTx& tx) { return tx.chats().TakeChat(taken.id, agent_.id, T(kBase + 5)); }));
  auto claim = [&](long long now, const std::string& node, long long lease) {
    auto r = W([&](app::WriteTx& tx) {
      return tx.chats().ClaimAbandonedChats(T(now), node, T(lease), 10);
    });
    SOPORTE_CHECK(r.has_value());
    return *r;
  };
  EXPECT_TRUE(claim(kBase + 29, "n1", kBase + 90).empty());
  // Oldest due first; a taken chat and one whose visitor is connected are never claimed.
  EXPECT_EQ(claim(kBase + 100, "n1", kBase + 130), (std::vector<std::int64_t>{back.id, gone.id}));
  EXPECT_TRUE(claim(kBase + 110, "n2", kBase + 140).empty());  // held
  // The visitor of `back` returned: its close is refused and it keeps waiting.
  set_due(back.id, std::nullopt);
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().AbandonChat(back.id, "n1", T(kBase + 111)); })
          .error()
          .code,
      ErrorCode::kAborted);
  EXPECT_EQ(Get(back.id).state, chat::ChatState::kWaiting);
  // A node that is not the holder may not close it; the holder does, once.
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().AbandonChat(gone.id, "n2", T(kBase + 112)); })
          .error()
          .code,
      ErrorCode::kAborted);
  auto closed =
      W([&](app::WriteTx& tx) { return tx.chats().AbandonChat(gone.id, "n1", T(kBase + 113)); });
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->state, chat::ChatState::kClosed);
  EXPECT_EQ(closed->closed_at, T(kBase + 113));
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.chats().AbandonChat(gone.id, "n1", T(kBase + 114)); })
          .error()
          .code,
      ErrorCode::kAborted);
  EXPECT_TRUE(claim(kBase + 500, "n3", kBase + 530).empty());
  EXPECT_EQ(
      store_
          ->Write([&](app::WriteTx& tx) { return tx.chats().SetChatAbandonDue(999, std::nullopt); })
          .error()
          .code,
      ErrorCode::kNotFound);
}

SOPORTE_ON_EVERY_BACKEND(ChatRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
