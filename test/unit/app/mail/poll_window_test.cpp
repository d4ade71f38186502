// MailPoller's decisions on one window of IMAP messages (app/mail/poll_window): which UIDs are
// read, and where the high-water mark moves once each message is committed, skipped or failed.
#include "app/mail/poll_window.hpp"

#include <gtest/gtest.h>

namespace soporte::app {
namespace {

PolledMessage Committed(std::int64_t uid) {
  PolledMessage m;
  m.uid = uid;
  m.committed = true;
  return m;
}
PolledMessage Already(std::int64_t uid) {
  PolledMessage m;
  m.uid = uid;
  m.already = true;
  return m;
}
PolledMessage Skipped(std::int64_t uid) {
  PolledMessage m;
  m.uid = uid;
  m.skipped = true;
  return m;
}
PolledMessage Failed(std::int64_t uid, std::string why) {
  PolledMessage m;
  m.uid = uid;
  m.error = Error{ErrorCode::kUnavailable, std::move(why)};
  return m;
}

TEST(PollWindowTest, ReadsOnlyUidsAboveTheMarkUpToTheLimit) {
  // "n:*" answers the last message even when it is at the mark.
  EXPECT_EQ(UidsToRead({7}, 7, 500), (std::vector<std::int64_t>{}));
  EXPECT_EQ(UidsToRead({5, 8, 9, 12}, 7, 500), (std::vector<std::int64_t>{8, 9, 12}));
  EXPECT_EQ(UidsToRead({8, 9, 12}, 7, 2), (std::vector<std::int64_t>{8, 9}));
}

TEST(PollWindowTest, MarkMovesOverAGapFreeRunOnly) {
  const WindowOutcome w = SettleWindow(
      {Committed(8), Already(9), Skipped(10), Failed(11, "busy"), Committed(12)}, 7, std::nullopt);
  EXPECT_EQ(w.mark, 10);  // 11 failed: 12 is read again next round (and skipped as done)
  EXPECT_EQ(w.ingested, 2);
  EXPECT_EQ(w.failed, 1);
  // Skipped messages stay unflagged for a person to see.
  EXPECT_EQ(w.to_flag, (std::vector<std::int64_t>{8, 9, 12}));
  ASSERT_TRUE(w.error.has_value());
  EXPECT_EQ(w.error->message, "busy");
}

TEST(PollWindowTest, MarkStaysWhenTheFirstMessageFails) {
  const WindowOutcome w = SettleWindow({Failed(8, "first"), Failed(9, "second")}, 7, std::nullopt);
  EXPECT_EQ(w.mark, 7);
  EXPECT_EQ(w.ingested, 0);
  ASSERT_TRUE(w.error.has_value());
  EXPECT_EQ(w.error->message, "first");
}

TEST(PollWindowTest, FetchErrorWinsAndAllDoneMovesToTheLast) {
  const WindowOutcome w =
      SettleWindow({Committed(8), Committed(9)}, 7, Error{ErrorCode::kUnavailable, "fetch"});
  EXPECT_EQ(w.mark, 9);
  EXPECT_EQ(w.ingested, 2);
  ASSERT_TRUE(w.error.has_value());
  EXPECT_EQ(w.error->message, "fetch");
  const WindowOutcome empty = SettleWindow({}, 7, std::nullopt);
  EXPECT_EQ(empty.mark, 7);
  EXPECT_FALSE(empty.error.has_value());
}

}  // namespace
}  // namespace soporte::app
