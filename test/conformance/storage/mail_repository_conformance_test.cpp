// tx.mail() on every backend (0002_mail.sql): outbox rows (kept as text or as facts, 0022) and
// their claim lease, Message-IDs (unique, ordered per ticket), mail kept for agents, IMAP
// positions and the automatic-answer log; claims from several threads at once.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class MailRepositoryTest : public MailStoreTest {};

TEST_P(MailRepositoryTest, OutboxRoundTripClaimLeaseAndDelivery) {
  auto a = WriteValue(*store_,
                      [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("a@x", kBase)); });
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("b@x", kBase + 100)); }));
  auto dup = WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("a@x", kBase)); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);

  // Only the due row is claimed; a second claim inside the lease gets nothing.
  auto claimed = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 10), T(kBase + 310), 10);
  });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message_id, "a@x");
  EXPECT_EQ((*claimed)[0].body_text, "cuerpo");
  EXPECT_EQ((*claimed)[0].claimed_until, T(kBase + 310));
  auto again = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 20), T(kBase + 320), 10);
  });
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  // Several rows claimed at once are all leased (each row's lease is written, not the first's).
  ASSERT_TRUE(WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("c@x", kBase)); }));
  ASSERT_TRUE(WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("d@x", kBase)); }));
  auto two = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 30), T(kBase + 330), 10);
  });
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  auto none = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 40), T(kBase + 340), 10);
  });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty()) << "a row claimed in the same round was left unleased";
  // After the lease runs out (a node died), the row is claimable again.
  auto later = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 400), T(kBase + 700), 1);
  });
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);

  app::OutboxRecord done = (*later)[0];
  done.attempts = 2;
  done.claimed_until.reset();
  done.sent_at = T(kBase + 401);
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(done); }));
  auto rows = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListOutbox(ticket_.id); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].sent_at, T(kBase + 401));
  EXPECT_EQ((*rows)[0].attempts, 2);
  EXPECT_FALSE((*rows)[0].claimed_until);
  // The body is written too (delivery blanks a password-reset link in the same write).
  done.body_text = "(link removed)";
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(done); }));
  auto blanked = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(done.id); });
  ASSERT_TRUE(blanked);
  EXPECT_EQ(blanked->body_text, "(link removed)");
  EXPECT_TRUE(blanked->sent_at);
  app::OutboxRecord missing = done;
  missing.id = 999;
  auto st =
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(missing); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
}

// 0022: a row kept as facts (MailFacts) gives them back from every read; empty ones and an empty
// checklist too; a row with its text has none; facts cannot ride with a text, and a checklist
// item that would not read back the same is refused (nothing is stored).
TEST_P(MailRepositoryTest, OutboxFactsRoundTripOnEveryRead) {
  app::MailFacts facts;
  facts.ticket_number = ticket_.number;
  facts.subject = "El módulo de nómina, \"urgente\"";
  facts.criticality = "important";
  facts.channel = "email";
  facts.contract_id = ticket_.contract_id;
  facts.received_at = T(kBase - 50);
  facts.due = T(kBase + 7200);
  facts.zone = "America/Bogota";
  facts.recipient_name = "Ana";
  facts.author_name = "Luis";
  facts.article_id = ArticleId{42};
  facts.missing_items = {"environment", "steps", "logs"};
  facts.alert = "sla_breach";
  app::OutboxRecord full = Row("facts@x", kBase);
  full.subject.clear();
  full.body_text.clear();
  full.facts = facts;
  app::OutboxRecord bare = Row("bare@x", kBase);
  bare.subject.clear();
  bare.body_text.clear();
  bare.facts = app::MailFacts{};
  bare.facts->subject = "Consulta";
  auto a = WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(full); });
  ASSERT_TRUE(a) << a.error().message;
  auto b = WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(bare); });
  ASSERT_TRUE(b) << b.error().message;
  auto text = WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("text@x", kBase)); });
  ASSERT_TRUE(text);

  auto same = [](const app::MailFacts& x, const app::MailFacts& y) {
    EXPECT_EQ(x.ticket_number, y.ticket_number);
    EXPECT_EQ(x.subject, y.subject);
    EXPECT_EQ(x.criticality, y.criticality);
    EXPECT_EQ(x.channel, y.channel);
    EXPECT_EQ(x.contract_id, y.contract_id);
    EXPECT_EQ(x.received_at, y.received_at);
    EXPECT_EQ(x.due, y.due);
    EXPECT_EQ(x.zone, y.zone);
    EXPECT_EQ(x.recipient_name, y.recipient_name);
    EXPECT_EQ(x.author_name, y.author_name);
    EXPECT_EQ(x.article_id, y.article_id);
    EXPECT_EQ(x.missing_items, y.missing_items);
    EXPECT_EQ(x.alert, y.alert);
  };
  auto got = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(a->id); });
  ASSERT_TRUE(got && got->facts);
  same(*got->facts, facts);
  EXPECT_EQ(got->subject, "");
  EXPECT_EQ(got->body_text, "");
  auto by_id = ReadValue(
      *store_, [&](app::ReadTx& tx) { return tx.mail().FindOutboxByMessageId("bare@x"); });
  ASSERT_TRUE(by_id && by_id->facts);
  same(*by_id->facts, *bare.facts);
  auto plain = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(text->id); });
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->facts);
  EXPECT_EQ(plain->body_text, "cuerpo");

  // Claimed, marked failed and listed: the facts come along and survive the delivery's write.
  auto claimed = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 10), T(kBase + 310), 10);
  });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 3u);
  for (auto& r : *claimed) {
    EXPECT_EQ(r.facts.has_value(), r.id != text->id) << r.message_id;
    if (r.id == a->id) same(*r.facts, facts);
  }
  app::OutboxRecord failed;
  for (const auto& r : *claimed) {
    if (r.id == a->id) failed = r;
  }
  failed.failed_at = T(kBase + 20);
  failed.attempts = 1;
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(failed); }));
  auto listed = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListFailedOutbox(10); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  ASSERT_TRUE((*listed)[0].facts);
  same(*(*listed)[0].facts, facts);
  auto all = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListOutbox(ticket_.id); });
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);

  // Bad rows are refused with the reason, and nothing is stored.
  app::OutboxRecord with_text = full;
  with_text.message_id = "both@x";
  with_text.body_text = "texto";
  auto both =
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(with_text); });
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(both.error().message.find("facts"), std::string::npos) << both.error().message;
  app::OutboxRecord comma = full;
  comma.message_id = "comma@x";
  comma.facts->missing_items = {"steps,logs"};
  auto bad = WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(comma); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("steps,logs"), std::string::npos) << bad.error().message;
  app::OutboxRecord odd_alert = full;
  odd_alert.message_id = "alert@x";
  odd_alert.facts->alert = "sla breach";
  auto odd =
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(odd_alert); });
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(odd.error().message.find("sla breach"), std::string::npos) << odd.error().message;
  auto after =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 3u);
}

TEST_P(MailRepositoryTest, MessageIdsAreUniqueAndOrderedPerTicket) {
  for (const char* id : {"m2@x", "m1@x", "m3@x"}) {
    ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
      return tx.mail().InsertMessageId(
          app::MessageIdRecord{id, ticket_.id, std::nullopt, id[1] == '1', T(kBase)});
    }));
  }
  auto dup = store_->Write([&](app::WriteTx& tx) {
    return tx.mail().InsertMessageId(
        app::MessageIdRecord{"m1@x", ticket_.id, std::nullopt, false, T(kBase)});
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto found = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindMessageId("m1@x"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->ticket_id, ticket_.id);
  EXPECT_TRUE(found->outbound);
  auto none = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindMessageId("zz@x"); });
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  auto list =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListMessageIds(ticket_.id); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].message_id, "m2@x");
  EXPECT_EQ((*list)[2].message_id, "m3@x");
  auto bad = store_->Write([&](app::WriteTx& tx) {
    return tx.mail().InsertMessageId(
        app::MessageIdRecord{"m9@x", TicketId{777}, std::nullopt, false, T(kBase)});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(MailRepositoryTest, UnassignedImapStateAndAutoReplies) {
  app::InboundUnassignedRecord u{0,       T(kBase), "x@y.test", "Hola",          "k@y",
                                 "texto", "",       0,          "unknown_sender"};
  auto stored =
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertInboundUnassigned(u); });
  ASSERT_TRUE(stored);
  EXPECT_GT(stored->id, 0);
  auto found =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindInboundUnassigned("k@y"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->reason, "unknown_sender");
  EXPECT_EQ(found->follows_id, 0);
  // A follow-up names the first kept message of its conversation (0008).
  app::InboundUnassignedRecord follow = u;
  follow.message_id = "k2@y";
  follow.follows_id = stored->id;
  ASSERT_TRUE(WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertInboundUnassigned(follow); }));
  auto again =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindInboundUnassigned("k2@y"); });
  ASSERT_TRUE(again);
  EXPECT_EQ(again->follows_id, stored->id);
  EXPECT_EQ(ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListInboundUnassigned(); })
                ->size(),
            2u);

  EXPECT_EQ(
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetImapState("imap://h/INBOX"); })
          .error()
          .code,
      ErrorCode::kNotFound);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.mail().PutImapState({"imap://h/INBOX", 7, 10});
  }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.mail().PutImapState({"imap://h/INBOX", 7, 12});
  }));
  auto pos =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetImapState("imap://h/INBOX"); });
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->uidvalidity, 7);
  EXPECT_EQ(pos->last_uid, 12);
  // Per-UID marks above the high-water mark (0003), forgotten as the mark passes them.
  for (std::int64_t uid : {15, 14, 20, 14}) {
    ASSERT_TRUE(store_->Write(
        [&](app::WriteTx& tx) { return tx.mail().MarkImapUid("imap://h/INBOX", 7, uid); }));
  }
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.mail().MarkImapUid("imap://h/INBOX", 6, 30); }));
  auto uids = ReadValue(
      *store_, [&](app::ReadTx& tx) { return tx.mail().ListImapUids("imap://h/INBOX", 7, 12); });
  ASSERT_TRUE(uids);
  EXPECT_EQ(*uids, (std::vector<std::int64_t>{14, 15, 20}));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.mail().PutImapState({"imap://h/INBOX", 7, 15});
  }));
  EXPECT_EQ(
      *ReadValue(*store_,
                 [&](app::ReadTx& tx) { return tx.mail().ListImapUids("imap://h/INBOX", 7, 0); }),
      (std::vector<std::int64_t>{20}));
  EXPECT_TRUE(
      ReadValue(*store_,
                [&](app::ReadTx& tx) { return tx.mail().ListImapUids("imap://h/INBOX", 6, 0); })
          ->empty())
      << "marks of another UIDVALIDITY are dropped";

  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.mail().RecordAutoReply("x@y.test", T(kBase)); }));
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.mail().RecordAutoReply("x@y.test", T(kBase + 100)); }));
  EXPECT_EQ(*ReadValue(*store_,
                       [&](app::ReadTx& tx) {
                         return tx.mail().CountAutoReplies("x@y.test", T(kBase + 50));
                       }),
            1);
  EXPECT_EQ(
      *ReadValue(*store_,
                 [&](app::ReadTx& tx) { return tx.mail().CountAutoReplies("x@y.test", T(kBase)); }),
      2);
  EXPECT_EQ(
      *ReadValue(*store_,
                 [&](app::ReadTx& tx) { return tx.mail().CountAutoReplies("other@y.test", T(0)); }),
      0);
}

// 0003: kept mail carries its files and staff's decision; the decision is stored, the message kept.
TEST_P(MailRepositoryTest, UnassignedFilesAndDecision) {
  app::InboundUnassignedRecord u{0,       T(kBase), "x@y.test", "Hola",          "k2@y",
                                 "texto", "abc",    10,         "unknown_sender"};
  u.language = "en";
  u.attachments.push_back({"11aa", "foto.png", "image/png", 300, true});
  u.attachments.push_back({"22bb", "informe.pdf", "application/pdf", 4000, false});
  auto stored =
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.mail().InsertInboundUnassigned(u); });
  ASSERT_TRUE(stored) << stored.error().message;
  auto got = ReadValue(*store_,
                       [&](app::ReadTx& tx) { return tx.mail().GetInboundUnassigned(stored->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, "open");
  EXPECT_EQ(got->language, "en");
  ASSERT_EQ(got->attachments.size(), 2u);
  EXPECT_EQ(got->attachments[0].filename, "foto.png");
  EXPECT_TRUE(got->attachments[0].is_inline);
  EXPECT_EQ(got->attachments[1].sha256, "22bb");
  EXPECT_EQ(got->attachments[1].size, 4000);
  EXPECT_FALSE(got->resolved_at);

  app::InboundUnassignedRecord decided = *got;
  decided.status = "assigned";
  decided.resolved_at = T(kBase + 60);
  decided.resolved_by = ticket_.requester_id;
  decided.ticket_id = ticket_.id;
  decided.resolution_note = "n";
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().ResolveInboundUnassigned(decided); }));
  auto after = ReadValue(
      *store_, [&](app::ReadTx& tx) { return tx.mail().GetInboundUnassigned(stored->id); });
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, "assigned");
  EXPECT_EQ(after->resolved_at, T(kBase + 60));
  EXPECT_EQ(after->resolved_by, ticket_.requester_id);
  EXPECT_EQ(after->ticket_id, ticket_.id);
  EXPECT_EQ(after->resolution_note, "n");
  EXPECT_EQ(after->body_text, "texto") << "the message itself never changes";
  EXPECT_EQ(after->attachments.size(), 2u);
  auto listed =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListInboundUnassigned(); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].status, "assigned");

  app::InboundUnassignedRecord missing = decided;
  missing.id = 999;
  auto st =
      store_->Write([&](app::WriteTx& tx) { return tx.mail().ResolveInboundUnassigned(missing); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetInboundUnassigned(999); })
                .error()
                .code,
            ErrorCode::kNotFound);
}

// 0003: a failed row is never claimed, is listed and counted, and can be put back.
TEST_P(MailRepositoryTest, FailedOutboxRowsAreNotClaimedAndAreCounted) {
  auto a = WriteValue(*store_,
                      [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("fa@x", kBase)); });
  auto b = WriteValue(*store_,
                      [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("fb@x", kBase)); });
  ASSERT_TRUE(a && b);
  app::OutboxRecord failed = *a;
  failed.attempts = 1;
  failed.failed_at = T(kBase + 5);
  failed.last_error = "550 no such user";
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(failed); }));
  auto counts = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().CountOutbox(); });
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->failed, 1);
  auto claimed = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 10), T(kBase + 310), 10);
  });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message_id, "fb@x");
  auto list = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListFailedOutbox(10); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].failed_at, T(kBase + 5));
  EXPECT_EQ((*list)[0].last_error, "550 no such user");
  auto by_id =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindOutboxByMessageId("fa@x"); });
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->id, a->id);
  EXPECT_EQ(
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindOutboxByMessageId("zz@x"); })
          .error()
          .code,
      ErrorCode::kNotFound);

  app::OutboxRecord retry = *by_id;
  retry.failed_at.reset();
  retry.retried_at = T(kBase + 20);
  retry.next_attempt_at = T(kBase + 20);
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(retry); }));
  auto got = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(a->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->retried_at, T(kBase + 20));
  EXPECT_FALSE(got->failed_at);
  auto again = WriteValue(*store_, [&](app::WriteTx& tx) {
    return tx.mail().ClaimOutbox(T(kBase + 30), T(kBase + 330), 10);
  });
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].message_id, "fa@x");
  EXPECT_EQ(
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(999); }).error().code,
      ErrorCode::kNotFound);
}

TEST_P(MailRepositoryTest, PurgeDeletesOnlyDeliveredRowsOlderThanTheCutOldestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = WriteValue(*store_, [&](app::WriteTx& tx) {
      return tx.mail().InsertOutbox(Row("p" + std::to_string(i) + "@x", kBase));
    });
    ASSERT_TRUE(r) << r.error().message;
    ids.push_back(r->id);
  }
  // Rows 0..2 delivered at kBase+30, +10, +20; row 3 failed; row 4 pending.
  const int sent_at[] = {30, 10, 20};
  for (int i = 0; i < 3; ++i) {
    auto row = *ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(ids[i]); });
    row.sent_at = T(kBase + sent_at[i]);
    ASSERT_TRUE(
        store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(row); }));
  }
  auto failed = *ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(ids[3]); });
  failed.failed_at = T(kBase + 5);
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.mail().UpdateOutboxDelivery(failed); }));

  auto one = WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().PurgeSentOutbox(T(kBase + 1000), 1); });
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(*one, 1);
  EXPECT_EQ(
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(ids[1]); }).error().code,
      ErrorCode::kNotFound)
      << "the oldest delivery goes first";
  // The cut is exclusive: a row delivered at the cut stays.
  EXPECT_EQ(
      *WriteValue(*store_,
                  [&](app::WriteTx& tx) { return tx.mail().PurgeSentOutbox(T(kBase + 30), 10); }),
      1);
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(ids[0]); }));
  EXPECT_EQ(
      *WriteValue(*store_,
                  [&](app::WriteTx& tx) { return tx.mail().PurgeSentOutbox(T(kBase + 1000), 10); }),
      1);
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(ids[3]); }));
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().GetOutbox(ids[4]); }));
}

// Workers claiming at once (on PostgreSQL each on its own connection, as nodes would) lease
// every due row exactly once: SQLite's single writer serialises the claims; PostgreSQL's skip
// the rows another claim holds locked, and a claim that raced a committed one is run again.
TEST_P(MailRepositoryTest, ConcurrentClaimsLeaseEachRowOnce) {
  constexpr int kRows = 40, kThreads = 4;
  for (int i = 0; i < kRows; ++i) {
    ASSERT_TRUE(WriteValue(*store_, [&](app::WriteTx& tx) {
      return tx.mail().InsertOutbox(Row("race" + std::to_string(i) + "@x", kBase + i));
    }));
  }
  std::mutex mu;
  std::map<std::int64_t, int> times_claimed;
  std::atomic<int> claimed{0}, failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&] {
      // Bounded: a claim may come back empty while another holds the last rows locked.
      for (int round = 0; round < 200 && claimed.load() < kRows; ++round) {
        auto got = WriteValue(*store_, [&](app::WriteTx& tx) {
          return tx.mail().ClaimOutbox(T(kBase + 100), T(kBase + 400), 3);
        });
        if (!got) {
          ++failures;
          continue;
        }
        EXPECT_LE(got->size(), 3u) << "a claim took more rows than its limit";
        std::lock_guard lock(mu);
        for (const auto& r : *got) ++times_claimed[r.id];
        claimed += static_cast<int>(got->size());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(times_claimed.size(), static_cast<std::size_t>(kRows));
  for (const auto& [id, n] : times_claimed) EXPECT_EQ(n, 1) << "row " << id << " claimed twice";
  EXPECT_EQ(claimed.load(), kRows);
}

// Refusals are answers, not broken transactions (PostgreSQL aborts a transaction on a failed
// statement): a write that meets a taken Message-ID or a missing ticket goes on and commits.
TEST_P(MailRepositoryTest, RefusalsAreAnsweredAndTheWriteGoesOn) {
  ASSERT_TRUE(WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.mail().InsertOutbox(Row("a@x", kBase)); }));
  auto expect = [](const auto& r, ErrorCode code, const char* what) -> Status {
    if (r || r.error().code != code) return Fail(ErrorCode::kInternal, what);
    return Ok();
  };
  const Status st = store_->Write([&](app::WriteTx& tx) -> Status {
    auto& m = tx.mail();
    SOPORTE_TRY_STATUS(
        expect(m.InsertOutbox(Row("a@x", kBase)), ErrorCode::kAlreadyExists, "outbox"));
    app::OutboxRecord orphan = Row("o@x", kBase);
    orphan.ticket_id = TicketId{999};
    SOPORTE_TRY_STATUS(expect(m.InsertOutbox(orphan), ErrorCode::kFailedPrecondition, "ticket"));
    app::MessageIdRecord id{"m@x", ticket_.id, std::nullopt, false, T(kBase)};
    SOPORTE_TRY_STATUS(m.InsertMessageId(id));
    SOPORTE_TRY_STATUS(expect(m.InsertMessageId(id), ErrorCode::kAlreadyExists, "message id"));
    app::MessageIdRecord nowhere{"n@x", TicketId{999}, std::nullopt, false, T(kBase)};
    SOPORTE_TRY_STATUS(
        expect(m.InsertMessageId(nowhere), ErrorCode::kFailedPrecondition, "message id ticket"));
    SOPORTE_TRY_STATUS(m.MarkImapUid("inbox", 7, 3));
    SOPORTE_TRY_STATUS(m.MarkImapUid("inbox", 7, 3));
    return m.InsertOutbox(Row("b@x", kBase)).map([](auto&&) {});
  });
  ASSERT_TRUE(st) << st.error().message;
  auto rows =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 2u);
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().FindMessageId("m@x"); }));
  EXPECT_EQ(
      *ReadValue(*store_, [&](app::ReadTx& tx) { return tx.mail().ListImapUids("inbox", 7, 0); }),
      std::vector<std::int64_t>{3});
}

SOPORTE_ON_EVERY_BACKEND(MailRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
