// tx.tickets() on every backend: numbers (also when created at once), every field, the version
// check, the joined context, listing (sort, filters, pages), articles, attachments and intake
// answers.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class TicketRepositoryTest : public StoreTest {};
class TicketIntakeTest : public ProfileStoreTest {};

TEST_P(TicketRepositoryTest, TicketContextIsTheTicketWithItsOrgContractAndPeople) {
  World();
  const domain::Contract second =
      Contract(org_.id);  // a second contract: the join must pick the ticket's
  domain::Ticket assigned = NewTicket(kBase + 3600, sla::Criticality::kImportant);
  assigned.contract_id = second.id;
  assigned.assignee_id = agent_.id;
  auto a = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(assigned); });
  ASSERT_TRUE(a);
  const domain::Ticket unassigned = Ticket(kBase);

  auto c = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContext(a->number); });
  ASSERT_TRUE(c) << c.error().message;
  auto alone = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(a->number); });
  ASSERT_TRUE(alone);
  EXPECT_EQ(c->ticket.id, alone->id);
  EXPECT_EQ(c->ticket.subject, alone->subject);
  EXPECT_EQ(c->ticket.tags, alone->tags);
  EXPECT_EQ(c->ticket.response_due, alone->response_due);
  EXPECT_EQ(c->ticket.version, alone->version);
  EXPECT_EQ(c->org.id, org_.id);
  EXPECT_EQ(c->org.slug, "acme");
  EXPECT_EQ(c->org.name, "Org acme");
  EXPECT_EQ(c->contract.id, second.id);
  EXPECT_EQ(c->contract.zone, "America/Bogota");
  EXPECT_EQ(c->contract.targets.important, Seconds{7200});
  EXPECT_EQ(c->contract.modality, sla::Modality::k24x7);
  EXPECT_EQ(c->requester.id, customer_.id);
  EXPECT_EQ(c->requester.name, customer_.name);
  EXPECT_EQ(c->requester.email, customer_.email);
  ASSERT_TRUE(c->assignee.has_value());
  EXPECT_EQ(c->assignee->id, agent_.id);
  EXPECT_EQ(c->assignee->email, "luis@vendor.test");

  auto u = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContext(unassigned.number); });
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ticket.id, unassigned.id);
  EXPECT_EQ(u->contract.id, contract_.id);
  EXPECT_FALSE(u->assignee.has_value());

  auto missing = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContext(99999); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("#99999"), std::string::npos) << missing.error().message;
}

TEST_P(TicketRepositoryTest, TicketsGetNumbersFrom1001AndRoundTripEveryField) {
  World();
  domain::Ticket in = NewTicket(kBase + 3600, sla::Criticality::kCritical);
  in.type = domain::TicketType::kRequest;
  in.status = domain::TicketStatus::kOpen;
  in.channel = sla::Channel::kPhone;
  in.environment = domain::Environment::kProd;
  in.assignee_id = agent_.id;
  in.first_response_at = T(kBase + 60);
  auto first = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(in); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->number, 1001);
  EXPECT_TRUE(first->id.valid());
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(1001); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, first->id);
  EXPECT_EQ(got->org_id, org_.id);
  EXPECT_EQ(got->contract_id, contract_.id);
  EXPECT_EQ(got->requester_id, customer_.id);
  EXPECT_EQ(got->type, domain::TicketType::kRequest);
  EXPECT_EQ(got->criticality, sla::Criticality::kCritical);
  EXPECT_EQ(got->status, domain::TicketStatus::kOpen);
  EXPECT_EQ(got->channel, sla::Channel::kPhone);
  EXPECT_EQ(got->environment, domain::Environment::kProd);
  EXPECT_EQ(got->subject, in.subject);
  EXPECT_EQ(got->description, in.description);
  EXPECT_EQ(got->assignee_id, agent_.id);
  EXPECT_EQ(got->tags, (std::vector<std::string>{"facturación", "prod"}));
  EXPECT_EQ(got->response_due, T(kBase + 3600));
  EXPECT_EQ(got->first_response_at, T(kBase + 60));
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(first->id); })->number, 1001);

  EXPECT_EQ(Ticket(kBase).number, 1002);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(5); }).error().code,
            ErrorCode::kNotFound);

  domain::Ticket bad_tag = NewTicket(kBase);
  bad_tag.tags = {
      "a\x1f"
      "b"};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(bad_tag); }).error().code,
            ErrorCode::kInvalidArgument);
  domain::Ticket orphan = NewTicket(kBase);
  orphan.contract_id = ContractId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(orphan); }).error().code,
            ErrorCode::kFailedPrecondition);
  // Refused inserts gave no number away.
  EXPECT_EQ(Ticket(kBase).number, 1003);
}

// Tickets created at once from several threads each get a number, none twice and none skipped:
// SQLite's single writer serialises them; PostgreSQL's SERIALIZABLE writes clash on the counter
// row and the store runs the refused ones again.
TEST_P(TicketRepositoryTest, ConcurrentCreationsGetEveryNumberOnce) {
  World();
  constexpr int kThreads = 4, kPerThread = 10;
  std::atomic<int> failures{0};
  std::mutex mu;
  std::set<std::int64_t> numbers;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < kPerThread; ++k) {
        auto t = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(NewTicket(kBase)); });
        if (!t) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mu);
        numbers.insert(t->number);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*numbers.begin(), 1001);
  EXPECT_EQ(*numbers.rbegin(), 1000 + kThreads * kPerThread);
}

TEST_P(TicketRepositoryTest, UpdateTicketChecksTheVersion) {
  World();
  auto t = Ticket(kBase + 100);
  t.status = domain::TicketStatus::kOpen;
  t.tags = {};
  t.assignee_id = agent_.id;
  auto v2 = W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); });
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->number, t.number);
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(t.id); });
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->status, domain::TicketStatus::kOpen);
  EXPECT_TRUE(got->tags.empty());
  EXPECT_EQ(got->assignee_id, agent_.id);

  t.subject = "stale";  // still version 1
  auto stale = W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  EXPECT_NE(R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(t.id); })->subject, "stale");

  t.id = TicketId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(TicketRepositoryTest, ListTicketsSortsFiltersAndPages) {
  World();
  const auto other_org = Org("globex");
  // Dues out of insertion order; two share a due (then number decides).
  const auto a = Ticket(kBase + 300);                               // 1001
  const auto b = Ticket(kBase + 100, sla::Criticality::kCritical);  // 1002
  const auto c = Ticket(kBase + 300);                               // 1003
  auto d_in = NewTicket(kBase + 200);
  d_in.assignee_id = agent_.id;
  d_in.status = domain::TicketStatus::kOpen;
  const auto d = *W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(d_in); });  // 1004
  auto e_in = NewTicket(kBase + 50);
  e_in.first_response_at = T(kBase + 40);  // answered in time
  const auto e = *W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(e_in); });  // 1005
  auto f_in = NewTicket(kBase + 60);
  f_in.first_response_at = T(kBase + 61);  // answered late
  f_in.status = domain::TicketStatus::kClosed;
  const auto f = *W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(f_in); });  // 1006
  (void)other_org;

  auto numbers = [&](app::TicketQuery q) {
    auto page = R([&](app::ReadTx& tx) { return tx.tickets().ListTickets(q); });
    SOPORTE_CHECK(page.has_value());
    std::vector<std::int64_t> out;
    for (const auto& t : page->tickets) out.push_back(t.number);
    return std::make_pair(out, page->has_more);
  };
  using V = std::vector<std::int64_t>;
  app::TicketQuery all;
  all.now = T(kBase + 200);
  EXPECT_EQ(numbers(all).first, (V{e.number, f.number, b.number, d.number, a.number, c.number}));
  EXPECT_FALSE(numbers(all).second);

  // Keyset paging: limit 2, then after the last one.
  app::TicketQuery page = all;
  page.limit = 2;
  auto p1 = numbers(page);
  EXPECT_EQ(p1.first, (V{e.number, f.number}));
  EXPECT_TRUE(p1.second);
  page.after = std::make_pair(T(kBase + 300), a.number);
  auto p3 = numbers(page);
  EXPECT_EQ(p3.first, (V{c.number}));
  EXPECT_FALSE(p3.second);

  app::TicketQuery q = all;
  q.status = domain::TicketStatus::kOpen;
  EXPECT_EQ(numbers(q).first, (V{d.number}));
  q = all;
  q.criticality = sla::Criticality::kCritical;
  EXPECT_EQ(numbers(q).first, (V{b.number}));
  q = all;
  q.assignee_id = agent_.id;
  EXPECT_EQ(numbers(q).first, (V{d.number}));
  q = all;
  q.assignee_id = UserId{};  // unassigned
  EXPECT_EQ(numbers(q).first.size(), 5u);
  q = all;
  q.org_id = other_org.id;
  EXPECT_TRUE(numbers(q).first.empty());
  q = all;
  q.org_id = org_.id;
  EXPECT_EQ(numbers(q).first.size(), 6u);

  // Breached at now = base+200: f (answered late), b (due 100, no reply) and d (due exactly now).
  q = all;
  q.breached = true;
  EXPECT_EQ(numbers(q).first, (V{f.number, b.number, d.number}));
  q.breached = false;
  EXPECT_EQ(numbers(q).first, (V{e.number, a.number, c.number}));

  q = all;
  q.limit = 0;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().ListTickets(q); }).error().code,
            ErrorCode::kInvalidArgument);

  auto stats = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketStats(T(kBase + 200)); });
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->open_normal, 4);  // a, c, d, e (f is closed)
  EXPECT_EQ(stats->open_important, 0);
  EXPECT_EQ(stats->open_critical, 1);   // b
  EXPECT_EQ(stats->breached_open, 2);   // b, d
  EXPECT_EQ(stats->breached_total, 3);  // b, d, f
}

TEST_P(TicketRepositoryTest, ArticlesAttachmentsAndHistory) {
  World();
  const auto t = Ticket(kBase + 100);
  auto pub = W([&](app::WriteTx& tx) {
    return tx.tickets().InsertArticle(domain::Article{ArticleId{}, t.id, customer_.id, "hola",
                                                      false, sla::Channel::kEmail, T(kBase)});
  });
  ASSERT_TRUE(pub);
  auto note = W([&](app::WriteTx& tx) {
    return tx.tickets().InsertArticle(domain::Article{ArticleId{}, t.id, agent_.id, "nota", true,
                                                      sla::Channel::kPortal, T(kBase + 1)});
  });
  ASSERT_TRUE(note);
  auto with = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, true); });
  ASSERT_EQ(with->size(), 2u);
  EXPECT_EQ((*with)[0].body, "hola");
  EXPECT_EQ((*with)[0].channel, sla::Channel::kEmail);
  EXPECT_TRUE((*with)[1].internal);
  auto without = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, false); });
  ASSERT_EQ(without->size(), 1u);
  EXPECT_EQ((*without)[0].id, pub->id);

  domain::Attachment att{AttachmentId{}, t.id,         pub->id, std::string(64, 'a'),
                         "log.txt",      "text/plain", 12,      customer_.id,
                         T(kBase)};
  auto stored = W([&](app::WriteTx& tx) { return tx.tickets().InsertAttachment(att); });
  ASSERT_TRUE(stored);
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetAttachment(stored->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->article_id, pub->id);
  EXPECT_EQ(got->sha256, std::string(64, 'a'));
  EXPECT_EQ(got->size, 12);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().ListAttachments(t.id); })->size(), 1u);
  att.sha256 = "not-a-hash";
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertAttachment(att); }).error().code,
            ErrorCode::kInvalidArgument);

  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.audit().AppendEvent(
        domain::TicketEvent{0, t.id, UserId{}, T(kBase), "created", "", "new"});
  }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.audit().AppendEvent(
        domain::TicketEvent{0, t.id, agent_.id, T(kBase + 5), "status", "new", "open"});
  }));
  auto events = R([&](app::ReadTx& tx) { return tx.audit().ListEvents(t.id); });
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].field, "created");
  EXPECT_FALSE((*events)[0].actor_id.valid());
  EXPECT_EQ((*events)[1].actor_id, agent_.id);
  EXPECT_EQ((*events)[1].before, "new");
  EXPECT_EQ((*events)[1].after, "open");
  EXPECT_LT((*events)[0].id, (*events)[1].id);
}

TEST_P(TicketRepositoryTest, PhoneCallArticlesKeepCallerAndLength) {
  World();
  const auto t = Ticket(kBase + 100);
  domain::Article call{ArticleId{},          t.id,    agent_.id, "Reiniciamos", false,
                       sla::Channel::kPhone, T(kBase)};
  call.call = domain::PhoneCall{"Ana (+57 300 000 0000)", 12};
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertArticle(call); }));
  auto list = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, true); });
  ASSERT_EQ(list->size(), 1u);
  ASSERT_TRUE((*list)[0].call);
  EXPECT_EQ((*list)[0].call->caller, "Ana (+57 300 000 0000)");
  EXPECT_EQ((*list)[0].call->duration_minutes, 12);
  EXPECT_EQ((*list)[0].call->direction, domain::CallDirection::kIncoming);
  // An outgoing call keeps its direction (issue 12, part 6).
  call.call->direction = domain::CallDirection::kOutgoing;
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertArticle(call); }));
  list = R([&](app::ReadTx& tx) { return tx.tickets().ListArticles(t.id, true); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].call->direction, domain::CallDirection::kOutgoing);
  // A call belongs to the phone channel.
  call.channel = sla::Channel::kPortal;
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.tickets().InsertArticle(call); }).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(TicketIntakeTest, TicketIntakeAnswersUpsertByItem) {
  auto ticket = WriteValue(*store_, [&](app::WriteTx& tx) -> Result<domain::Ticket> {
    domain::Contract c;
    c.org_id = acme_;
    c.valid_from = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
    c.channels = domain::DefaultChannels(domain::sla::Modality::k8x5);
    c.targets.critical = c.targets.important = c.targets.normal = Seconds{3600};
    c.created_at = T(kBase);
    SOPORTE_TRY(contract, tx.orgs().InsertContract(c));
    domain::Ticket t;
    t.org_id = acme_;
    t.contract_id = contract.id;
    t.requester_id = user_;
    t.subject = "s";
    t.received_at = t.clock_start = t.response_due = t.created_at = t.updated_at = T(kBase);
    return tx.tickets().InsertTicket(t);
  });
  ASSERT_TRUE(ticket) << ticket.error().message;
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.tickets().PutTicketIntake(ticket->id, "steps", "uno"));
    SOPORTE_TRY_STATUS(tx.tickets().PutTicketIntake(ticket->id, "versions", "FOX 1.4"));
    return tx.tickets().PutTicketIntake(ticket->id, "steps", "dos");
  }));
  auto got = ReadValue(*store_,
                       [&](app::ReadTx& tx) { return tx.tickets().ListTicketIntake(ticket->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, (std::map<std::string, std::string>{{"steps", "dos"}, {"versions", "FOX 1.4"}}));
  auto unknown = store_->Write(
      [&](app::WriteTx& tx) { return tx.tickets().PutTicketIntake(ticket->id, "mood", "x"); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  auto missing = store_->Write(
      [&](app::WriteTx& tx) { return tx.tickets().PutTicketIntake(TicketId{999}, "steps", "x"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) {
                return tx.tickets().ListTicketIntake(TicketId{999});
              })->empty());
}

SOPORTE_ON_EVERY_BACKEND(TicketRepositoryTest);
SOPORTE_ON_EVERY_BACKEND(TicketIntakeTest);

}  // namespace
}  // namespace soporte::storage::conformance
