// MailPoller: concurrent ingestion and the mark that only moves over committed UIDs.
#include "unit/app/mail/mail_use_cases_fixture.hpp"

namespace soporte::app {
namespace {

using namespace mail_test;  // NOLINT(google-build-using-namespace): the shared fixture

// ---- MailPoller ------------------------------------------------------------------------------

TEST_F(MailUseCasesTest, PollerIngestsConcurrentlyAndMovesTheMarkOnlyOverCommittedUids) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "soporte-poller-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  FakeMailbox box;
  for (int uid = 1; uid <= 12; ++uid) {
    box.messages[uid] = "carlos@acme.example.com\nasunto " + std::to_string(uid) + "\ntexto\n";
  }
  LineParser parser;
  parser.fail_subjects = {"asunto 4"};
  MailPoller poller(store_, parser, *ingest_, tmpl, 4);
  auto first = poller.PollOnce(box);
  ASSERT_FALSE(first) << "the failed message is reported";
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  auto mark = ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetImapState(box.Name()); });
  ASSERT_TRUE(mark);
  EXPECT_EQ(mark->last_uid, 3) << "the mark stops before the gap";
  EXPECT_EQ(mark->uidvalidity, 77);
  EXPECT_FALSE(box.flagged.count(4)) << "never flagged before its commit";
  EXPECT_EQ(box.flagged.size(), 11u);
  // Next round: only UID 4 is new work; the others were recorded as committed and are skipped.
  parser.fail_subjects.clear();
  auto second = poller.PollOnce(box);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->ingested, 1);
  EXPECT_EQ(
      ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetImapState(box.Name()); })->last_uid,
      12);
  EXPECT_TRUE(
      ReadValue(store_, [&](ReadTx& tx) { return tx.mail().ListImapUids(box.Name(), 77, 0); })
          ->empty())
      << "marks at or below the high-water mark are forgotten";
  TicketListQuery q;
  q.limit = 200;
  EXPECT_EQ(tickets_->List(agent_, q)->tickets.size(), 12u) << "each message stored exactly once";
  EXPECT_EQ(box.flagged.size(), 12u);
  // Nothing new: nothing done.
  auto third = poller.PollOnce(box);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->ingested, 0);
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace soporte::app
