#include "storage/postgres/live_note_codec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace soporte::storage::pg_internal {
namespace {

TEST(LiveNoteCodec, TicketAndChatNotesGoAndComeBack) {
  auto t = EncodeLiveNote({"a1b2", 7, app::TicketChanged{42, OrgId{3}, "created", UserId{}}});
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, "L1 a1b2 7 T 42 3 0 created");
  auto back = DecodeLiveNote(*t);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->node, "a1b2");
  EXPECT_EQ(back->seq, 7);
  const auto& ticket = std::get<app::TicketChanged>(back->note);
  EXPECT_EQ(ticket.number, 42);
  EXPECT_EQ(ticket.org_id, OrgId{3});
  EXPECT_EQ(ticket.what, "created");
  EXPECT_FALSE(ticket.user_id.valid());

  auto c = EncodeLiveNote({"n-1", 1, app::ChatNote{9, "message", 12, UserId{}}});
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, "L1 n-1 1 C 9 12 0 message");
  auto chat = DecodeLiveNote("L1 n-1 2 C 9 0 5 waiting");
  ASSERT_TRUE(chat) << chat.error().message;
  const auto& note = std::get<app::ChatNote>(chat->note);
  EXPECT_EQ(note.chat_id, 9);
  EXPECT_EQ(note.kind, "waiting");
  EXPECT_EQ(note.seq, 0);
  EXPECT_EQ(note.to_user, UserId{5});
}

TEST(LiveNoteCodec, ValuesOutsideTheFormatAreNotWritten) {
  EXPECT_FALSE(EncodeLiveNote({"a b", 1, app::TicketChanged{1, OrgId{1}, "created", {}}}));
  EXPECT_FALSE(EncodeLiveNote({"a", 0, app::TicketChanged{1, OrgId{1}, "created", {}}}));
  EXPECT_FALSE(EncodeLiveNote({"a", 1, app::TicketChanged{1, OrgId{1}, "Created", {}}}));
  EXPECT_FALSE(EncodeLiveNote({"a", 1, app::TicketChanged{-1, OrgId{1}, "created", {}}}));
  EXPECT_FALSE(EncodeLiveNote({"a", 1, app::ChatNote{1, "", 0, {}}}));
}

TEST(LiveNoteCodec, AnythingElseIsRefusedNamingTheProblem) {
  const char* bad[] = {
      "",                                           // empty
      "garbage",                                    // one field
      "L1 a 1 T 42 3 0",                            // seven fields
      "L1 a 1 T 42 3 0 created extra",              // nine
      "L1 a 1 T 42 3 0 created ",                   // a trailing space: an empty ninth field
      "L1  a 1 T 42 3 0 created",                   // two spaces
      "L2 a 1 T 42 3 0 created",                    // another version
      "L1 a 0 T 42 3 0 created",                    // seq 0
      "L1 a -1 T 42 3 0 created",                   // signed
      "L1 a +1 T 42 3 0 created",                   // signed
      "L1 a 01 T 42 3 0 created",                   // padded
      "L1 a 1 T 4x2 3 0 created",                   // not a number
      "L1 a 1 T 99999999999999999999 3 0 created",  // past int64
      "L1 a 1 X 42 3 0 created",                    // unknown type
      "L1 a 1 T 42 3 0 Created",                    // upper case
      "L1 a 1 T 42 3 0 cre\xc3\xa9ted",             // non-ASCII
      "L1 a\"b 1 T 42 3 0 created",                 // a quote in the node
      "L1 a 1 T 42 3 0 created\n",                  // a line end
  };
  for (const char* p : bad) {
    auto r = DecodeLiveNote(p);
    EXPECT_FALSE(r) << "accepted: " << p;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  EXPECT_FALSE(DecodeLiveNote(std::string(kMaxLiveNoteText + 1, 'a')));
  EXPECT_FALSE(DecodeLiveNote(std::string_view("L1 a 1 T 42 3 0 cr\0ated", 23)));
}

}  // namespace
}  // namespace soporte::storage::pg_internal
