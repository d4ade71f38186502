#include "domain/mail/loop_guard.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::mail {
namespace {

InboundFlags Person() {
  InboundFlags f;
  f.from_address = "ana@cliente.example";
  f.return_path = "<ana@cliente.example>";
  return f;
}

TEST(LoopGuard, AnswersAPerson) {
  EXPECT_TRUE(MayAutoAnswer(Person(), "soporte@example.com").may_auto_answer);
  InboundFlags no = Person();
  no.auto_submitted = "no";
  EXPECT_TRUE(MayAutoAnswer(no, "soporte@example.com").may_auto_answer);
  EXPECT_FALSE(MayAutoAnswer(no, "soporte@example.com").automatic);
}

// Each row: a change to a person's message and the rule that must refuse the answer.
struct Case {
  const char* name;
  void (*change)(InboundFlags&);
  const char* rule;
  bool automatic;  // RFC 3834: a machine wrote it, so it never opens a ticket
};
const Case kCases[] = {
    {"auto-replied", [](InboundFlags& f) { f.auto_submitted = "auto-replied"; }, "auto-submitted",
     true},
    {"auto-generated with params",
     [](InboundFlags& f) { f.auto_submitted = "Auto-Generated; owner=x"; }, "auto-submitted", true},
    {"precedence bulk", [](InboundFlags& f) { f.precedence = "bulk"; }, "precedence", true},
    {"precedence junk", [](InboundFlags& f) { f.precedence = "Junk"; }, "precedence", true},
    {"precedence list", [](InboundFlags& f) { f.precedence = "list"; }, "precedence", true},
    {"list-id", [](InboundFlags& f) { f.has_list_id = true; }, "list-id", true},
    {"empty return path", [](InboundFlags& f) { f.return_path = ""; }, "empty-return-path", true},
    {"dsn", [](InboundFlags& f) { f.is_dsn = true; }, "dsn", true},
    {"own address", [](InboundFlags& f) { f.from_address = "soporte@example.com"; }, "own-address",
     true},
    {"outlook oof", [](InboundFlags& f) { f.x_auto_response_suppress = "All"; }, "x-auto-response",
     false},
    {"x-autoreply", [](InboundFlags& f) { f.has_autoreply_marker = true; }, "x-autoreply", true},
    {"mailer-daemon", [](InboundFlags& f) { f.from_address = "MAILER-DAEMON@mx.example"; },
     "daemon-sender", false},
    {"no-reply", [](InboundFlags& f) { f.from_address = "no-reply@banco.example"; },
     "daemon-sender", false},
    {"no from", [](InboundFlags& f) { f.from_address = ""; }, "daemon-sender", false},
};

TEST(LoopGuard, RefusesEveryRuleOfTheTable) {
  for (const Case& c : kCases) {
    InboundFlags f = Person();
    c.change(f);
    const LoopVerdict v = MayAutoAnswer(f, "otra@example.com, soporte@example.com");
    EXPECT_FALSE(v.may_auto_answer) << c.name;
    EXPECT_EQ(v.rule, c.rule) << c.name;
    EXPECT_EQ(v.automatic, c.automatic) << c.name;
  }
}

// 2026-12-06: an out-of-office from a known customer opened a ticket. Auto-Submitted decides
// "automatic" even when an earlier rule of the table already forbade the answer.
TEST(LoopGuard, AutomaticWhenAnyMachineRuleMatches) {
  InboundFlags f = Person();
  f.from_address = "no-reply@banco.example";
  EXPECT_FALSE(MayAutoAnswer(f, "soporte@example.com").automatic);
  f.return_path = "";
  const LoopVerdict v = MayAutoAnswer(f, "soporte@example.com");
  EXPECT_EQ(v.rule, "empty-return-path");
  EXPECT_TRUE(v.automatic);
  InboundFlags outlook = Person();
  outlook.x_auto_response_suppress = "OOF";
  outlook.auto_submitted = "auto-replied";
  EXPECT_TRUE(MayAutoAnswer(outlook, "soporte@example.com").automatic);
}

}  // namespace
}  // namespace soporte::domain::mail
