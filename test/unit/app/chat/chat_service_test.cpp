// The chat use cases over the memory store and a FakeClock: a visitor opens a chat and gets a
// token scoped to it, messages resume after a seq and a resent client id is stored once, one
// agent takes a chat, hand-offs, closed chats read-only, the cap on waiting chats, the wait
// alert exactly once, and a chat turned into a ticket whose clock starts at its first message.
#include "app/chat/chat_service.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/settings/contact_settings.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
namespace chat = domain::chat;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

class RecordingChatEvents final : public ChatEvents {
 public:
  void Publish(const ChatEvent& e) override { events.push_back(e); }
  std::vector<ChatEvent> events;
};

class ChatServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    ChatOptions options;
    options.max_waiting = 3;
    options.wait_alert = Seconds{120};
    chats_ = std::make_unique<ChatService>(store_, tokens_, clock_, events_, options);
    chats_->SetTickets(tickets_.get());
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    NewContract c24;
    c24.modality = sla::Modality::k24x7;
    c24.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c24));
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
    colleague_ = Make("luis@example.com", Role::kAgent, std::nullopt);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(),
                                NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }
  ChatService::Opened Visitor(const std::string& email = "ana@acme.example.com") {
    auto o = chats_->Open(ChatCaller{}, "Ana", email, "https://www.vendor.test", "es");
    EXPECT_TRUE(o) << (o ? "" : o.error().message);
    return *o;
  }
  static ChatCaller Token(const ChatService::Opened& o) { return ChatCaller{Principal{}, o.token}; }
  static ChatCaller Staff(const Principal& p) { return ChatCaller{p, ""}; }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::CountingTokens tokens_;
  testing::RecordingBus bus_;
  RecordingChatEvents events_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<ChatService> chats_;
  Principal customer_, agent_, colleague_;
};

TEST_F(ChatServiceTest, AVisitorsTokenOpensTheirChatOnly) {
  auto a = Visitor();
  auto b = Visitor("otro@acme.example.com");
  EXPECT_FALSE(a.token.empty());
  EXPECT_NE(a.token, b.token);
  EXPECT_EQ(a.chat.visitor_email, "ana@acme.example.com");
  ASSERT_TRUE(chats_->Get(Token(a), a.chat.id));
  // A token cannot read another chat, and the answer does not say whether it exists.
  auto other = chats_->Get(Token(a), b.chat.id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chats_->Messages(Token(a), b.chat.id, 0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chats_->Post(Token(a), b.chat.id, "hola", "x", {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chats_->ByToken("nope").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(chats_->ByToken(a.token)->id, a.chat.id);
  // A customer sees only their own chats; staff see all.
  EXPECT_EQ(chats_->Get(Staff(customer_), a.chat.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(chats_->Get(Staff(agent_), a.chat.id));
  // A visitor must give a name and an address.
  auto bad = chats_->Open(ChatCaller{}, "Ana", "no-address", "", "es");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message.rfind("email", 0), 0u);
}

TEST_F(ChatServiceTest, MessagesResumeAfterASeqAndAResendIsStoredOnce) {
  auto a = Visitor();
  clock_.Advance(Seconds{5});
  auto m1 = chats_->Post(Token(a), a.chat.id, "hola", "c-1", {});
  ASSERT_TRUE(m1) << m1.error().message;
  EXPECT_EQ(m1->message.seq, 1);
  auto again = chats_->Post(Token(a), a.chat.id, "hola", "c-1", {});
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->inserted);
  EXPECT_EQ(again->message.seq, 1);
  ASSERT_TRUE(chats_->Post(Token(a), a.chat.id, "¿hay alguien?", "c-2", {}));
  auto all = chats_->Messages(Token(a), a.chat.id, 0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  auto rest = chats_->Messages(Token(a), a.chat.id, 1);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].text, "¿hay alguien?");
  // One "message" event per stored message: the resend published nothing.
  int published = 0;
  for (const auto& e : events_.events) published += e.kind == "message";
  EXPECT_EQ(published, 2);
  EXPECT_EQ(chats_->Post(Token(a), a.chat.id, std::string(5000, 'x'), "c-3", {}).error().code,
            ErrorCode::kInvalidArgument);
}

// The flood limits are counted in the store, so two services on one store (two nodes) share
// them: a chat's messages_per_chat in the window, then a wait until its oldest leaves.
TEST_F(ChatServiceTest, AChatsFloodLimitHoldsAcrossNodes) {
  ChatOptions options;
  options.messages_per_chat = 4;
  options.flood_window = Seconds{10};
  ChatService other(store_, tokens_, clock_, events_, options);
  ChatService mine(store_, tokens_, clock_, events_, options);
  auto a = Visitor();
  for (int i = 0; i < 4; ++i) {
    ChatService& node = i % 2 == 0 ? mine : other;
    ASSERT_TRUE(node.Post(Token(a), a.chat.id, "hola", "f-" + std::to_string(i), {}));
    clock_.Advance(Seconds{1});
  }
  auto over = mine.Post(Token(a), a.chat.id, "hola", "f-4", {});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(over.error().retry_after, Seconds{6});  // the first left 4 s ago, in a 10 s window
  EXPECT_EQ(other.Post(Token(a), a.chat.id, "hola", "f-4", {}).error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(chats_->Messages(Token(a), a.chat.id, 0)->size(), 4u)
      << "the refused one is not stored";
  // A resend of a stored message is answered, not counted.
  EXPECT_TRUE(mine.Post(Token(a), a.chat.id, "hola", "f-3", {}));
  clock_.Advance(Seconds{6});
  EXPECT_TRUE(other.Post(Token(a), a.chat.id, "hola", "f-4", {}));
}

// One address's messages over all its chats, across nodes (tx.throttle()).
TEST_F(ChatServiceTest, AnAddressFloodLimitHoldsAcrossChatsAndNodes) {
  ChatOptions options;
  options.messages_per_address = 3;
  options.flood_window = Seconds{10};
  ChatService other(store_, tokens_, clock_, events_, options);
  ChatService mine(store_, tokens_, clock_, events_, options);
  auto a = Visitor();
  auto b = Visitor("otro@acme.example.com");
  ChatCaller from_a = Token(a);
  from_a.principal.address = "198.51.100.4";
  ChatCaller from_b = Token(b);
  from_b.principal.address = "198.51.100.4";
  ASSERT_TRUE(mine.Post(from_a, a.chat.id, "uno", "a-1", {}));
  ASSERT_TRUE(other.Post(from_b, b.chat.id, "dos", "b-1", {}));
  ASSERT_TRUE(mine.Post(from_b, b.chat.id, "tres", "b-2", {}));
  EXPECT_EQ(other.Post(from_a, a.chat.id, "cuatro", "a-2", {}).error().code,
            ErrorCode::kResourceExhausted);
  ChatCaller elsewhere = Token(a);
  elsewhere.principal.address = "198.51.100.5";
  EXPECT_TRUE(other.Post(elsewhere, a.chat.id, "cuatro", "a-2", {}));
  clock_.Advance(Seconds{10});
  EXPECT_TRUE(mine.Post(from_b, b.chat.id, "cinco", "b-3", {}));
}

TEST_F(ChatServiceTest, OneAgentTakesAndAnswersOthersSeeItTaken) {
  auto a = Visitor();
  ASSERT_TRUE(chats_->Post(Token(a), a.chat.id, "hola", "c-1", {}));
  // Nobody answers before taking the chat.
  EXPECT_EQ(chats_->Post(Staff(agent_), a.chat.id, "hola", "", {}).error().code,
            ErrorCode::kFailedPrecondition);
  auto taken = chats_->Take(agent_, a.chat.id);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->taken_by, agent_.user_id);
  auto late = chats_->Take(colleague_, a.chat.id);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(chats_->Take(customer_, a.chat.id).error().code, ErrorCode::kPermissionDenied);
  auto reply = chats_->Post(Staff(agent_), a.chat.id, "¿En qué te ayudo?", "", {});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->message.author, chat::ChatAuthor::kAgent);
  EXPECT_EQ(chats_->Post(Staff(colleague_), a.chat.id, "yo también", "", {}).error().code,
            ErrorCode::kFailedPrecondition);
  // Hand it over: now the colleague answers.
  EXPECT_EQ(chats_->Hand(agent_, a.chat.id, customer_.user_id).error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(chats_->Hand(agent_, a.chat.id, colleague_.user_id));
  EXPECT_TRUE(chats_->Post(Staff(colleague_), a.chat.id, "sigo yo", "", {}));
  // The visitor sees the whole conversation, the "taken" marker included.
  auto all = chats_->Messages(Token(a), a.chat.id, 0);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[1].author, chat::ChatAuthor::kSystem);
}

TEST_F(ChatServiceTest, ClosedChatsAreReadOnlyButAnEarlierSendIsRecognised) {
  auto a = Visitor();
  ASSERT_TRUE(chats_->Post(Token(a), a.chat.id, "hola", "c-1", {}));
  ASSERT_TRUE(chats_->Close(Token(a), a.chat.id));
  EXPECT_EQ(chats_->Post(Token(a), a.chat.id, "otra", "c-2", {}).error().code,
            ErrorCode::kFailedPrecondition);
  auto resend = chats_->Post(Token(a), a.chat.id, "hola", "c-1", {});
  ASSERT_TRUE(resend);
  EXPECT_FALSE(resend->inserted);
  EXPECT_TRUE(chats_->Messages(Token(a), a.chat.id, 0));
}

TEST_F(ChatServiceTest, TheWaitingChatsAreCapped) {
  Visitor("a@x.example.com");
  Visitor("b@x.example.com");
  auto third = Visitor("c@x.example.com");
  auto fourth = chats_->Open(ChatCaller{}, "D", "d@x.example.com", "", "es");
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, ErrorCode::kResourceExhausted);
  ASSERT_TRUE(chats_->Take(agent_, third.chat.id));
  EXPECT_TRUE(chats_->Open(ChatCaller{}, "D", "d@x.example.com", "", "es"));
}

TEST_F(ChatServiceTest, OneAddressIsCappedBeforeItFillsTheDesk) {
  ChatCaller from_a, from_b;
  from_a.principal.address = "203.0.113.7";
  from_b.principal.address = "198.51.100.1";
  ASSERT_TRUE(chats_->Open(from_a, "A", "a@x.example.com", "", "es"));
  ASSERT_TRUE(chats_->Open(from_a, "B", "b@x.example.com", "", "es"));
  ASSERT_TRUE(chats_->Open(from_a, "C", "c@x.example.com", "", "es"));
  // The address's share (3) is reached before the desk's cap (3): that address is told so.
  auto mine = chats_->Open(from_a, "D", "d@x.example.com", "", "es");
  ASSERT_FALSE(mine);
  EXPECT_EQ(mine.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(mine.error().reason, "chat_address_limit");
  EXPECT_EQ(mine.error().retry_after, std::chrono::seconds(30));
  // Another address meets the desk's cap, with its own reason.
  auto desk = chats_->Open(from_b, "E", "e@x.example.com", "", "es");
  ASSERT_FALSE(desk);
  EXPECT_EQ(desk.error().reason, "chat_desk_full");
}

TEST_F(ChatServiceTest, AChatWhoseVisitorLeftIsAbandonedOnce) {
  auto gone = Visitor("a@x.example.com");
  auto stays = Visitor("b@x.example.com");
  ASSERT_TRUE(chats_->VisitorPresence(stays.chat.id, true));
  clock_.Advance(Seconds{599});
  EXPECT_EQ(*chats_->RunAbandons("n1", Seconds{60}, 10), 0);
  clock_.Advance(Seconds{2});
  EXPECT_EQ(*chats_->RunAbandons("n1", Seconds{60}, 10), 1);
  EXPECT_EQ(chats_->Get(Token(gone), gone.chat.id)->state, chat::ChatState::kClosed);
  EXPECT_EQ(chats_->Get(Token(stays), stays.chat.id)->state, chat::ChatState::kWaiting);
  EXPECT_EQ(events_.events.back().kind, "closed");
  EXPECT_EQ(*chats_->RunAbandons("n2", Seconds{60}, 10), 0);
  // The staying visitor leaves: abandoned 600 s later, not before.
  ASSERT_TRUE(chats_->VisitorPresence(stays.chat.id, false));
  clock_.Advance(Seconds{599});
  EXPECT_EQ(*chats_->RunAbandons("n1", Seconds{60}, 10), 0);
  clock_.Advance(Seconds{2});
  EXPECT_EQ(*chats_->RunAbandons("n1", Seconds{60}, 10), 1);
}

TEST_F(ChatServiceTest, APortalCustomerChatsAsThemselvesInOneChat) {
  auto first = chats_->Open(Staff(customer_), "", "", "https://desk.test", "en");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->token.empty());
  EXPECT_EQ(first->chat.user_id, customer_.user_id);
  EXPECT_EQ(first->chat.lang, "en");
  auto again = chats_->Open(Staff(customer_), "", "", "https://desk.test", "en");
  EXPECT_EQ(again->chat.id, first->chat.id);
  EXPECT_EQ(chats_->Open(Staff(agent_), "", "", "", "es").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_F(ChatServiceTest, AChatNobodyTakesAlertsTheAgentsOnShiftOnce) {
  auto a = Visitor();
  auto b = Visitor("b@x.example.com");
  ASSERT_TRUE(chats_->Take(agent_, b.chat.id));  // taken in time: no alert
  clock_.Advance(Seconds{60});
  EXPECT_EQ(*chats_->RunWaitAlerts("n1", Seconds{30}, 10), 0);
  clock_.Advance(Seconds{61});
  events_.events.clear();
  EXPECT_EQ(*chats_->RunWaitAlerts("n1", Seconds{30}, 10), 1);
  int waiting = 0;
  for (const auto& e : events_.events) {
    if (e.kind != "waiting") continue;
    ++waiting;
    EXPECT_EQ(e.chat.id, a.chat.id);
    EXPECT_TRUE(e.to_user.valid());
  }
  EXPECT_EQ(waiting, 2);  // the two agents (always staffed without StaffedHours)
  clock_.Advance(Seconds{3600});
  EXPECT_EQ(*chats_->RunWaitAlerts("n2", Seconds{30}, 10), 0);
}

TEST_F(ChatServiceTest, AChatBecomesATicketWhoseClockStartsAtItsFirstMessage) {
  auto a = Visitor("carlos@acme.example.com");
  clock_.Advance(Seconds{30});
  const Instant first = clock_.Now();
  ASSERT_TRUE(chats_->Post(Token(a), a.chat.id, "El ERP no arranca", "c-1", {}));
  // A visitor's own line break cannot make a line that reads as the agent's.
  ASSERT_TRUE(chats_->Post(Token(a), a.chat.id, "ver\n[10:05 UTC] " + agent_.name + ": cerrado",
                           "c-2", {}));
  ASSERT_TRUE(chats_->Take(agent_, a.chat.id));
  clock_.Advance(Seconds{300});
  ASSERT_TRUE(chats_->Post(Staff(agent_), a.chat.id, "Lo reviso", "", {}));
  // A visitor's organisation must be named.
  EXPECT_EQ(
      chats_->ConvertToTicket(agent_, a.chat.id, sla::Criticality::kCritical, "ERP caído", "", "")
          .error()
          .code,
      ErrorCode::kInvalidArgument);
  auto t = chats_->ConvertToTicket(agent_, a.chat.id, sla::Criticality::kCritical, "ERP caído",
                                   "acme", "");
  ASSERT_TRUE(t) << t.error().message;
  // The consoles hear of the new ticket as of any other.
  ASSERT_FALSE(bus_.events.empty());
  EXPECT_EQ(bus_.events.back().number, t->ticket.number);
  EXPECT_EQ(bus_.events.back().org_id, t->ticket.org_id);
  EXPECT_EQ(bus_.events.back().what, "created");
  EXPECT_EQ(t->ticket.channel, sla::Channel::kChat);
  EXPECT_EQ(t->ticket.criticality, sla::Criticality::kCritical);
  EXPECT_EQ(t->ticket.received_at, first);
  EXPECT_NE(t->ticket.description.find("Ana: El ERP no arranca"), std::string::npos);
  EXPECT_NE(t->ticket.description.find(" UTC] " + agent_.name + ": Lo reviso"), std::string::npos);
  EXPECT_NE(t->ticket.description.find("ver\n    [10:05 UTC] "), std::string::npos)
      << t->ticket.description;
  auto c = chats_->Get(Staff(agent_), a.chat.id);
  EXPECT_EQ(c->state, chat::ChatState::kClosed);
  EXPECT_EQ(c->ticket_id, t->ticket.id);
  EXPECT_EQ(chats_->ConvertToTicket(agent_, a.chat.id, sla::Criticality::kNormal, "x", "acme", "")
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(ChatServiceTest, AChatIsAddedToAnExistingTicketAsANote) {
  NewTicket in;
  in.subject = "Factura";
  auto t = tickets_->Create(customer_, in);
  ASSERT_TRUE(t) << t.error().message;
  auto a = Visitor();
  ASSERT_TRUE(chats_->Post(Token(a), a.chat.id, "sobre la factura", "c-1", {}));
  const std::size_t heard = bus_.events.size();
  auto note = chats_->AddToTicket(agent_, a.chat.id, t->ticket.number);
  ASSERT_TRUE(note) << note.error().message;
  ASSERT_EQ(bus_.events.size(), heard + 1);  // the consoles hear of the note
  EXPECT_EQ(bus_.events.back().number, t->ticket.number);
  EXPECT_EQ(bus_.events.back().org_id, t->ticket.org_id);
  EXPECT_EQ(bus_.events.back().what, "note");
  EXPECT_TRUE(note->article.internal);
  EXPECT_NE(note->article.body.find("sobre la factura"), std::string::npos);
  EXPECT_EQ(chats_->Get(Staff(agent_), a.chat.id)->ticket_id, t->ticket.id);
  // Once only.
  EXPECT_EQ(chats_->AddToTicket(agent_, a.chat.id, t->ticket.number).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(ChatServiceTest, FilesAreSentByTheirUploaderAndBecomeTheTicketsAttachments) {
  auto a = Visitor("carlos@acme.example.com");
  auto b = Visitor("otro@acme.example.com");
  auto upload = [](std::string name, std::string type) {
    return ChatFileUpload{std::move(name), std::move(type), BlobInfo{std::string(64, 'c'), 2048}};
  };
  // Staff upload only into a chat they hold; a token only into its own chat.
  EXPECT_EQ(chats_->CheckCanAddFile(Staff(agent_), a.chat.id).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(chats_->AddFile(Token(b), a.chat.id, upload("x.png", "image/png")).error().code,
            ErrorCode::kNotFound);
  auto shot = chats_->AddFile(Token(a), a.chat.id, upload("../pantalla.png", "image/png"));
  ASSERT_TRUE(shot) << shot.error().message;
  EXPECT_EQ(shot->filename, "pantalla.png");  // cleaned as a ticket's attachment names are
  EXPECT_EQ(shot->author, chat::ChatAuthor::kVisitor);
  EXPECT_EQ(shot->seq, 0);
  // Another chat's visitor cannot send it; nor can the agent.
  EXPECT_EQ(chats_->Post(Token(b), b.chat.id, "", "b-1", {shot->id}).error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(chats_->Take(agent_, a.chat.id));
  EXPECT_EQ(chats_->Post(Staff(agent_), a.chat.id, "", "g-1", {shot->id}).error().code,
            ErrorCode::kInvalidArgument);
  // The visitor sends it with no text; the event carries the file.
  events_.events.clear();
  auto sent = chats_->Post(Token(a), a.chat.id, "", "c-1", {shot->id});
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_EQ(sent->message.files.size(), 1u);
  EXPECT_EQ(sent->message.files[0].seq, sent->message.seq);
  ASSERT_FALSE(events_.events.empty());
  ASSERT_TRUE(events_.events.back().message);
  EXPECT_EQ(events_.events.back().message->files.size(), 1u);
  // A resend is recognised (not refused as "already sent").
  auto again = chats_->Post(Token(a), a.chat.id, "", "c-1", {shot->id});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->inserted);
  // Sent once.
  EXPECT_EQ(chats_->Post(Token(a), a.chat.id, "", "c-2", {shot->id}).error().code,
            ErrorCode::kInvalidArgument);
  // The agent's upload is the visitor's to see only once sent.
  auto log = chats_->AddFile(Staff(agent_), a.chat.id, upload("fix.log", "text/plain"));
  ASSERT_TRUE(log) << log.error().message;
  EXPECT_EQ(chats_->GetFile(Token(a), a.chat.id, log->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(chats_->GetFile(Staff(colleague_), a.chat.id, log->id));
  ASSERT_TRUE(chats_->Post(Staff(agent_), a.chat.id, "Aplique esto", "", {log->id}));
  EXPECT_TRUE(chats_->GetFile(Token(a), a.chat.id, log->id));
  EXPECT_EQ(chats_->GetFile(Token(b), a.chat.id, log->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chats_->GetFile(Token(b), b.chat.id, log->id).error().code, ErrorCode::kNotFound);
  // An unsent upload does not travel to the ticket.
  ASSERT_TRUE(chats_->AddFile(Token(a), a.chat.id, upload("borrador.txt", "text/plain")));

  auto t =
      chats_->ConvertToTicket(agent_, a.chat.id, sla::Criticality::kImportant, "ERP", "acme", "");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_NE(t->ticket.description.find("    \xF0\x9F\x93\x8E pantalla.png\n"), std::string::npos)
      << t->ticket.description;
  auto files = tickets_->ListAttachments(agent_, t->ticket.number);
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].attachment.filename, "pantalla.png");
  EXPECT_EQ((*files)[0].attachment.content_type, "image/png");
  EXPECT_EQ((*files)[0].attachment.size, 2048);
  EXPECT_EQ((*files)[0].attachment.uploaded_by, t->ticket.requester_id);  // a visitor is no user
  EXPECT_EQ((*files)[1].attachment.filename, "fix.log");
  EXPECT_EQ((*files)[1].attachment.uploaded_by, agent_.user_id);
  // A closed chat takes no more files.
  EXPECT_EQ(chats_->CheckCanAddFile(Token(a), a.chat.id).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(ChatServiceTest, AChatHoldsAtMostItsShareOfFiles) {
  auto a = Visitor();
  for (std::int64_t i = 0; i < chat::kMaxChatFiles; ++i)
    ASSERT_TRUE(chats_->AddFile(Token(a), a.chat.id,
                                ChatFileUpload{"f.txt", "text/plain", BlobInfo{"ab", 1}}));
  auto full = chats_->AddFile(Token(a), a.chat.id,
                              ChatFileUpload{"f.txt", "text/plain", BlobInfo{"ab", 1}});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(full.error().reason, "chat_file_limit");
}

TEST_F(ChatServiceTest, TheAgentSeesWhoTheCustomerIsAndWhetherOnlyTheirEmailSaysSo) {
  auto stranger = Visitor("nadie@otro.example.com");
  auto c = chats_->Customer(agent_, stranger.chat.id);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->matched_by, "");
  EXPECT_FALSE(c->org);
  auto claims = Visitor("carlos@acme.example.com");
  c = chats_->Customer(agent_, claims.chat.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->matched_by, "email");
  ASSERT_TRUE(c->org);
  EXPECT_EQ(c->org->slug, "acme");
  EXPECT_EQ(c->user->id, customer_.user_id);
  auto portal = chats_->Open(Staff(customer_), "", "", "https://soporte.example.com", "es");
  ASSERT_TRUE(portal) << portal.error().message;
  c = chats_->Customer(agent_, portal->chat.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->matched_by, "account");
  EXPECT_EQ(c->org->slug, "acme");
  EXPECT_EQ(chats_->Customer(customer_, portal->chat.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(chats_->Customer(agent_, 9999).error().code, ErrorCode::kNotFound);
}

// Staffed hours, greeting and colour, and the out-of-hours phone (issue 13, part 2): the widget's
// configuration. Friday 16:00 in Bogotá is within the built-in 8x5 hours; 21:00 is not.
class ChatHoursTest : public ChatServiceTest {
 protected:
  void SetUp() override {
    ChatServiceTest::SetUp();
    chats_->SetStaffedHours(&staffed_);
    chats_->SetContactSettings(&settings_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "beta", "Beta"));
    NewContract c8;
    c8.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
    ASSERT_TRUE(admin_->CreateContract(sys, "beta", c8));
    beta_ = Make("berta@beta.example.com", Role::kCustomer, "beta");
  }
  static ContactSettings Contact() {
    ContactSettings c;
    c.phone = "+57 601 555 0100";
    c.chat_greeting_es = "Buenas, somos ACME";
    c.chat_greeting_en = "Hello from ACME";
    c.chat_color = "#aa3300";
    return c;
  }
  static LeftChatMessage Left(std::string email, std::string text, std::string client_id) {
    return LeftChatMessage{"Ana", std::move(email),         std::move(text), std::move(client_id),
                           "es",  "https://www.vendor.test"};
  }
  StaffedHours staffed_;
  ContactSettingsService settings_{store_, clock_, Contact()};
  Principal beta_;
};

TEST_F(ChatHoursTest, TheConfigSaysWhetherAgentsAnswerAndGivesThePhoneOnlyTo24x7Customers) {
  auto in = chats_->WidgetConfig(Principal{}, "es");
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_TRUE(in->staffed);
  EXPECT_EQ(in->greeting, "Buenas, somos ACME");
  EXPECT_EQ(in->color, "#aa3300");
  EXPECT_EQ(in->phone, "");  // in hours nobody needs the out-of-hours line
  EXPECT_EQ(chats_->WidgetConfig(customer_, "es")->phone, "");
  EXPECT_EQ(chats_->WidgetConfig(Principal{}, "en")->greeting, "Hello from ACME");

  clock_.Advance(Seconds{5 * 3600});  // 21:00 in Bogotá
  auto visitor = chats_->WidgetConfig(Principal{}, "es");
  EXPECT_FALSE(visitor->staffed);
  EXPECT_EQ(visitor->phone, "");  // a visitor is not a known 24x7 customer
  EXPECT_EQ(visitor->email, "");
  auto carlos = chats_->WidgetConfig(customer_, "es");  // acme holds a 24x7 contract
  EXPECT_FALSE(carlos->staffed);
  EXPECT_EQ(carlos->phone, "+57 601 555 0100");
  EXPECT_EQ(carlos->email, customer_.email);
  EXPECT_EQ(chats_->WidgetConfig(beta_, "es")->phone, "");  // beta's contract is 8x5
  EXPECT_EQ(chats_->WidgetConfig(agent_, "es")->phone, "");
}

TEST_F(ChatHoursTest, TheChatsOwnCalendarComesBeforeTheOnCallOne) {
  // A calendar open around the clock every day, named only for the chat: staffed at 21:00.
  clock_.Advance(Seconds{5 * 3600});
  domain::calendar::CalendarDefinition def;
  def.name = "Chat 24x7";
  def.zone = "America/Bogota";
  def.colombian_holidays = false;
  for (auto& day : def.hours) day.push_back({Seconds{0}, Seconds{24 * 3600}});
  auto cal = WriteValue(store_, [&](WriteTx& tx) { return tx.calendars().InsertCalendar(def); });
  ASSERT_TRUE(cal) << cal.error().message;
  EXPECT_FALSE(*chats_->Staffed());
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) {
    return tx.settings().PutSetting(SettingRecord{ChatService::kStaffedCalendarKey,
                                                  std::to_string(cal->id.value()), clock_.Now()});
  }));
  EXPECT_TRUE(*chats_->Staffed());
  EXPECT_TRUE(chats_->WidgetConfig(Principal{}, "es")->staffed);
  // Paging still follows the on-call hours.
  EXPECT_FALSE(
      *ReadValue(store_, [&](ReadTx& tx) { return staffed_.IsStaffed(tx, clock_.Now()); }));
}

TEST_F(ChatHoursTest, AMessageLeftByASignedInCustomerBecomesOneTicketOnChannelChat) {
  clock_.Advance(Seconds{5 * 3600});
  const std::string id = "w-0123456789abcdef";
  auto left = chats_->LeaveMessage(ChatCaller{customer_, ""},
                                   Left("", "\n  El ERP no arranca\nDesde las 20:00", id));
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->inserted);
  ASSERT_GT(left->ticket_number, 0);
  EXPECT_EQ(left->chat.state, chat::ChatState::kClosed);
  auto t = tickets_->Get(agent_, left->ticket_number);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->ticket.channel, sla::Channel::kChat);
  EXPECT_EQ(t->ticket.subject, "El ERP no arranca");
  EXPECT_EQ(t->ticket.description, "\n  El ERP no arranca\nDesde las 20:00");
  EXPECT_EQ(t->requester.email, "carlos@acme.example.com");
  // A resend (the answer was lost) makes no second ticket.
  auto again = chats_->LeaveMessage(ChatCaller{customer_, ""}, Left("", "otra cosa", id));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->inserted);
  EXPECT_EQ(again->ticket_number, left->ticket_number);
  EXPECT_EQ(again->chat.id, left->chat.id);
  EXPECT_FALSE(tickets_->Get(agent_, left->ticket_number + 1));
}

// Anyone can type a customer's email in the widget: that makes no ticket in their name, the
// message waits for an agent like any visitor's.
TEST_F(ChatHoursTest, AVisitorGivingACustomersEmailMakesNoTicketInTheirName) {
  auto left = chats_->LeaveMessage(
      ChatCaller{}, Left("Carlos@Acme.example.com", "Cierren mi ticket", "w-claim-0123456789"));
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->ticket_number, 0);
  EXPECT_EQ(left->chat.state, chat::ChatState::kWaiting);
  EXPECT_EQ(left->chat.visitor_email, "carlos@acme.example.com");
  auto open = chats_->ListOpen(agent_);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), 1u);
}

TEST_F(ChatHoursTest, AMessageLeftByAnUnknownVisitorWaitsForAnAgentToPlaceIt) {
  auto left = chats_->LeaveMessage(
      ChatCaller{}, Left("nadie@otra.example.com", "Quiero una demo", "w-unknown-0123456789"));
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->ticket_number, 0);
  EXPECT_EQ(left->chat.state, chat::ChatState::kWaiting);
  auto open = chats_->ListOpen(agent_);
  ASSERT_EQ(open->size(), 1u);
  ASSERT_TRUE(chats_->Take(agent_, left->chat.id));
  auto t =
      chats_->ConvertToTicket(agent_, left->chat.id, sla::Criticality::kNormal, "Demo", "acme", "");
  ASSERT_FALSE(t);  // not a customer of acme: the agent creates the person first (as for mail)
  EXPECT_EQ(t.error().code, ErrorCode::kNotFound);
  Make("nadie@otra.example.com", Role::kCustomer, "acme");
  t = chats_->ConvertToTicket(agent_, left->chat.id, sla::Criticality::kNormal, "Demo", "acme", "");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->ticket.channel, sla::Channel::kChat);
  EXPECT_NE(t->ticket.description.find("Ana: Quiero una demo"), std::string::npos);
  // A second message from the same address waits too; the per-address cap applies.
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(chats_->LeaveMessage(ChatCaller{}, Left("nadie@otra.example.com", "hola",
                                                        "w-more-0123456789-" + std::to_string(i))));
}

TEST_F(ChatHoursTest, ALeftMessageIsCheckedFieldByFieldAndStaffCannotLeaveOne) {
  auto field = [&](const ChatCaller& who, const LeftChatMessage& in) {
    auto r = chats_->LeaveMessage(who, in);
    EXPECT_FALSE(r);
    if (r) return std::string("ok");
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().message;
    return r.error().message.substr(0, r.error().message.find(':'));
  };
  EXPECT_EQ(field({}, Left("ana@example.com", "hola", "")), "client_id");
  EXPECT_EQ(field({}, Left("ana@example.com", "hola", "short")), "client_id");
  EXPECT_EQ(field({}, Left("ana@example.com", "   ", "w-0123456789abcdef")), "text");
  EXPECT_EQ(field({}, Left("ana@example.com", std::string(5000, 'x'), "w-0123456789abcdef")),
            "text");
  EXPECT_EQ(field({}, Left("no-address", "hola", "w-0123456789abcdef")), "email");
  auto staff = chats_->LeaveMessage(Staff(agent_), Left("", "hola", "w-0123456789abcdef"));
  ASSERT_FALSE(staff);
  EXPECT_EQ(staff.error().code, ErrorCode::kPermissionDenied);
}

// Left messages per address per left_window, counted in the store (any node): past the limit
// kResourceExhausted with the reason chat_leave_limit, until the window moves on.
TEST_F(ChatHoursTest, LeftMessagesPerAddressAreCappedInTheStore) {
  ChatOptions options;
  options.left_messages_per_address = 2;
  options.max_waiting_per_address = 10;
  ChatService other(store_, tokens_, clock_, events_, options);
  other.SetStaffedHours(&staffed_);
  other.SetContactSettings(&settings_);
  chats_ = std::make_unique<ChatService>(store_, tokens_, clock_, events_, options);
  chats_->SetStaffedHours(&staffed_);
  chats_->SetContactSettings(&settings_);
  Principal from;
  from.address = "203.0.113.10";
  ASSERT_TRUE(chats_->LeaveMessage(ChatCaller{from, ""},
                                   Left("x@otra.example.com", "hola", "w-left-0123456789-0")));
  ASSERT_TRUE(other.LeaveMessage(ChatCaller{from, ""},
                                 Left("y@otra.example.com", "hola", "w-left-0123456789-1")));
  auto over = chats_->LeaveMessage(ChatCaller{from, ""},
                                   Left("z@otra.example.com", "hola", "w-left-0123456789-2"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(over.error().reason, "chat_leave_limit");
  EXPECT_EQ(over.error().retry_after, Seconds{600});
  // A resend of one already left is answered as before, not refused.
  EXPECT_TRUE(other.LeaveMessage(ChatCaller{from, ""},
                                 Left("y@otra.example.com", "hola", "w-left-0123456789-1")));
  clock_.Advance(Seconds{600});
  EXPECT_TRUE(other.LeaveMessage(ChatCaller{from, ""},
                                 Left("z@otra.example.com", "hola", "w-left-0123456789-2")));
}

TEST_F(ChatHoursTest, OneAddressLeavesNoMoreWaitingMessagesThanItMayHaveWaitingChats) {
  Principal from;
  from.address = "203.0.113.9";
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(chats_->LeaveMessage(
        ChatCaller{from, ""},
        Left("x@otra.example.com", "hola", "w-cap-0123456789-" + std::to_string(i))));
  auto over = chats_->LeaveMessage(ChatCaller{from, ""},
                                   Left("x@otra.example.com", "hola", "w-cap-0123456789-9"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace soporte::app
