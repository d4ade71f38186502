#include "domain/mail/thread_matcher.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::mail {
namespace {

TEST(TicketNumberInSubject, FindsTheTag) {
  EXPECT_EQ(TicketNumberInSubject("Re: [#1042] No carga la factura"), 1042);
  EXPECT_EQ(TicketNumberInSubject("RV: RE: Error [#7]"), 7);
  EXPECT_EQ(TicketNumberInSubject("[#12a] [#13]"), 13);
}

TEST(TicketNumberInSubject, RejectsWhatIsNotATag) {
  EXPECT_FALSE(TicketNumberInSubject("Factura #1042"));
  EXPECT_FALSE(TicketNumberInSubject("[# 12]"));
  EXPECT_FALSE(TicketNumberInSubject("[#]"));
  EXPECT_FALSE(TicketNumberInSubject("[#1234567890123456789]"));
  EXPECT_FALSE(TicketNumberInSubject(""));
}

TEST(TagSubject, AddsTheTagOnce) {
  EXPECT_EQ(TagSubject("No carga", 1042), "[#1042] No carga");
  EXPECT_EQ(TagSubject("Re: [#1042] No carga", 1042), "Re: [#1042] No carga");
  EXPECT_EQ(TagSubject("", 5), "[#5]");
}

TEST(StripReplyPrefixes, RemovesLocalizedPrefixesAndTheTag) {
  EXPECT_EQ(StripReplyPrefixes("Re: RE: Fwd: Hola"), "Hola");
  EXPECT_EQ(StripReplyPrefixes("RV: [#1042] No carga"), "No carga");
  EXPECT_EQ(StripReplyPrefixes("AW: WG: Problem"), "Problem");
  EXPECT_EQ(StripReplyPrefixes("Re[2]: Hola"), "Hola");
  EXPECT_EQ(StripReplyPrefixes("Reunión: agenda"), "Reunión: agenda");
  EXPECT_EQ(StripReplyPrefixes("Respuesta pendiente"), "Respuesta pendiente");
}

TEST(ReferenceCandidates, InReplyToFirstThenNewestReference) {
  const auto c = ReferenceCandidates({"<c@x>"}, {"<a@x>", "<b@x>", "<c@x>"});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "c@x");
  EXPECT_EQ(c[1], "b@x");
  EXPECT_EQ(c[2], "a@x");
  EXPECT_TRUE(ReferenceCandidates({}, {"<>", " "}).empty());
}

// 2026-12-06 probe: "In-Reply-To: Your message of DATE <id>" (RFC 5322 §4.5.4, obsolete but
// still sent by older clients and list servers) was not threaded.
TEST(MessageIdsIn, FindsEveryBracketedIdWhateverTheTextAround) {
  EXPECT_EQ(MessageIdsIn("<a@x>"), (std::vector<std::string>{"a@x"}));
  EXPECT_EQ(MessageIdsIn("Your message of Tue, 3 Mar 2026 10:00:00 -0500 <ack-1@soporte.example>"),
            (std::vector<std::string>{"ack-1@soporte.example"}));
  EXPECT_EQ(MessageIdsIn("\"Ana\" <ana> (comment) <a@x>\r\n <b@y>"),
            (std::vector<std::string>{"a@x", "b@y"}));
  EXPECT_EQ(MessageIdsIn("<a@x> <<b@y>"), (std::vector<std::string>{"a@x", "b@y"}));
  EXPECT_TRUE(MessageIdsIn("").empty());
  EXPECT_TRUE(MessageIdsIn("a@x").empty());
  EXPECT_TRUE(MessageIdsIn("<a@x").empty());
  EXPECT_TRUE(MessageIdsIn("<a b@x>").empty());
}

// 2026-12-06 probe: a reply without a From header (sender only in Return-Path) was lost.
TEST(AuthorAddress, FromThenSenderThenReturnPath) {
  EXPECT_EQ(AuthorAddress("ana@x.example", "b@y", "<c@z>"), "ana@x.example");
  EXPECT_EQ(AuthorAddress("", "Bea@Y.example", "<c@z>"), "bea@y.example");
  EXPECT_EQ(AuthorAddress("", "", " <Ana@Acme.example> "), "ana@acme.example");
  EXPECT_EQ(AuthorAddress("", "", "<>"), "");
  EXPECT_EQ(AuthorAddress("", "", ""), "");
  EXPECT_EQ(AuthorAddress("undisclosed", "", "<c@z>"), "c@z");
}

TEST(NormalizeMessageId, DropsBrackets) {
  EXPECT_EQ(NormalizeMessageId(" <Abc.1@Mail.example.com> "), "Abc.1@Mail.example.com");
  EXPECT_EQ(NormalizeMessageId("abc@x"), "abc@x");
}

}  // namespace
}  // namespace soporte::domain::mail
