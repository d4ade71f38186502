// IngestMessage's decisions on one message's text (app/mail/ingest_steps): what counts as a
// retry, when the raw message is kept, and the subject, bodies and notes stored. Values only.
#include "app/mail/ingest_steps.hpp"

#include <gtest/gtest.h>

namespace soporte::app::ingest {
namespace {

domain::User UserWithRole(domain::Role role) {
  domain::User u;
  u.role = role;
  return u;
}

TEST(IngestStepsTest, OnlyStoreTroubleIsTransient) {
  EXPECT_TRUE(IsTransient(ErrorCode::kUnavailable));
  EXPECT_TRUE(IsTransient(ErrorCode::kAborted));
  EXPECT_TRUE(IsTransient(ErrorCode::kResourceExhausted));
  EXPECT_TRUE(IsTransient(ErrorCode::kInternal));
  // A refusal of the ticket itself keeps the message for agents instead of retrying forever.
  EXPECT_FALSE(IsTransient(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(IsTransient(ErrorCode::kPermissionDenied));
  EXPECT_FALSE(IsTransient(ErrorCode::kFailedPrecondition));
  EXPECT_FALSE(IsTransient(ErrorCode::kNotFound));
}

TEST(IngestStepsTest, OnlyAVerifiedAuthorPostsWhenTheMtaIsTrusted) {
  using domain::mail::AuthStatus;
  using domain::mail::AuthVerdict;
  IngestOptions off;
  EXPECT_TRUE(MayPostAsSender(off, AuthVerdict{AuthStatus::kNoResult, ""})) << "today's behaviour";
  IngestOptions on;
  on.auth_serv_id = "mx.example.com";
  EXPECT_TRUE(MayPostAsSender(on, AuthVerdict{AuthStatus::kVerified, "dmarc=pass"}));
  EXPECT_FALSE(MayPostAsSender(on, AuthVerdict{AuthStatus::kFailed, "dmarc=fail"}));
  EXPECT_FALSE(MayPostAsSender(on, AuthVerdict{AuthStatus::kNoResult, ""}));
}

TEST(IngestStepsTest, AFollowUpJoinsTheFirstOpenKeptMessage) {
  InboundUnassignedRecord first;
  first.id = 7;
  EXPECT_EQ(HeldConversation(first), 7);
  InboundUnassignedRecord second = first;
  second.id = 9;
  second.follows_id = 7;
  EXPECT_EQ(HeldConversation(second), 7) << "a reply to the second still joins the first";
  first.status = "discarded";
  EXPECT_EQ(HeldConversation(first), 0) << "decided: the follow-up waits on its own";
}

TEST(IngestStepsTest, CutUtf8NeverSplitsACharacter) {
  EXPECT_EQ(CutUtf8("abc", 5), "abc");
  EXPECT_EQ(CutUtf8("abcdef", 3), "abc");
  // "añb": 'ñ' is two bytes (0xC3 0xB1); a cut after its first byte drops the whole character.
  EXPECT_EQ(CutUtf8("a\xc3\xb1"
                    "b",
                    2),
            "a");
  EXPECT_EQ(CutUtf8("a\xc3\xb1"
                    "b",
                    3),
            "a\xc3\xb1");
  // A three-byte character (€) cut in its middle.
  EXPECT_EQ(CutUtf8("\xe2\x82\xac", 2), "");
}

TEST(IngestStepsTest, TrimmedAndOneLine) {
  EXPECT_EQ(Trimmed(" \t\r\nhola \n"), "hola");
  EXPECT_EQ(Trimmed(" \r\n\t "), "");
  EXPECT_EQ(OneLine("  Delivery\r\n  failed:\tuser   unknown \n"), "Delivery failed: user unknown");
  EXPECT_EQ(OneLine(std::string(2000, 'x')).size(), 601u);
}

TEST(IngestStepsTest, RawKeptForBouncesStrangersAndStaffOnly) {
  EXPECT_TRUE(KeepsRawMessage(true, UserWithRole(domain::Role::kCustomer), true));
  EXPECT_TRUE(KeepsRawMessage(false, std::nullopt, true));
  EXPECT_TRUE(KeepsRawMessage(false, UserWithRole(domain::Role::kAgent), true));
  EXPECT_FALSE(KeepsRawMessage(false, UserWithRole(domain::Role::kCustomer), true));
  EXPECT_TRUE(KeepsRawMessage(false, UserWithRole(domain::Role::kCustomer), false));
}

TEST(IngestStepsTest, SubjectIsTrimmedCutOrThePlaceholder) {
  const IngestOptions o;
  EXPECT_EQ(StoredSubject("  Falla en pólizas \r\n", o), "Falla en pólizas");
  EXPECT_EQ(StoredSubject(" \t", o), o.no_subject);
  EXPECT_EQ(StoredSubject(std::string(400, 's'), o).size(), kMaxSubject);
}

TEST(IngestStepsTest, ReplyBodyCutsQuotesAndMarksAutomaticAnswers) {
  const IngestOptions o;
  const std::string text = "Ya funciona, gracias.\n\nEl lun, 1 dic 2026 escribió:\n> antes\n";
  const std::string plain = ReplyBody(text, false, o);
  EXPECT_EQ(plain.find("> antes"), std::string::npos);
  EXPECT_EQ(plain.rfind("Ya funciona, gracias.", 0), 0u);
  EXPECT_EQ(ReplyBody(" \r\n", false, o), o.no_text);
  const std::string automatic = ReplyBody("Estoy de vacaciones.", true, o);
  EXPECT_EQ(automatic, o.auto_reply_note + "\n\nEstoy de vacaciones.");
  EXPECT_EQ(ReplyBody(std::string(200 * 1024, 'x'), false, o).size(), kMaxBody);
}

TEST(IngestStepsTest, NewTicketSubjectDropsReplyPrefixesOnlyForAnswers) {
  const IngestOptions o;
  EXPECT_EQ(NewTicketSubject("Re: [#42] Falla", true, o), "Falla");
  EXPECT_EQ(NewTicketSubject("Re: Falla", false, o), "Re: Falla");
  EXPECT_EQ(NewTicketSubject("RE: ", true, o), o.no_subject);
}

TEST(IngestStepsTest, DescriptionAndBounceTexts) {
  const IngestOptions o;
  EXPECT_EQ(NewTicketDescription(" \n", o), o.no_text);
  EXPECT_EQ(NewTicketDescription("texto", o), "texto");
  EXPECT_EQ(BounceNote("550 no such user", o), o.bounce_note + "\n\n550 no such user");
  EXPECT_EQ(BounceNote(std::string(10 * 1024, 'b'), o).size(),
            o.bounce_note.size() + 2 + kMaxBounceText);
  EXPECT_EQ(BounceError("550\n  no such user"), "bounce: 550 no such user");
  EXPECT_EQ(BounceError(std::string(2000, 'e')).size(), kMaxBounceError);
}

}  // namespace
}  // namespace soporte::app::ingest
