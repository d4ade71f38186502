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
}

// Each row: a change to a person's message and the rule that must refuse the answer.
struct Case {
  const char* name;
  void (*change)(InboundFlags&);
  const char* rule;
};
const Case kCases[] = {
    {"auto-replied", [](InboundFlags& f) { f.auto_submitted = "auto-replied"; }, "auto-submitted"},
    {"auto-generated with params", [](InboundFlags& f) { f.auto_submitted = "Auto-Generated; owner=x"; }, "auto-submitted"},
    {"precedence bulk", [](InboundFlags& f) { f.precedence = "bulk"; }, "precedence"},
    {"precedence junk", [](InboundFlags& f) { f.precedence = "Junk"; }, "precedence"},
    {"precedence list", [](InboundFlags& f) { f.precedence = "list"; }, "precedence"},
    {"list-id", [](InboundFlags& f) { f.has_list_id = true; }, "list-id"},
    {"empty return path", [](InboundFlags& f) { f.return_path = ""; }, "empty-return-path"},
    {"dsn", [](InboundFlags& f) { f.is_dsn = true; }, "dsn"},
    {"own address", [](InboundFlags& f) { f.from_address = "soporte@example.com"; }, "own-address"},
    {"outlook oof", [](InboundFlags& f) { f.x_auto_response_suppress = "All"; }, "x-auto-response"},
    {"x-autoreply", [](InboundFlags& f) { f.has_autoreply_marker = true; }, "x-auto-response"},
    {"mailer-daemon", [](InboundFlags& f) { f.from_address = "MAILER-DAEMON@mx.example"; }, "daemon-sender"},
    {"no-reply", [](InboundFlags& f) { f.from_address = "no-reply@banco.example"; }, "daemon-sender"},
    {"no from", [](InboundFlags& f) { f.from_address = ""; }, "daemon-sender"},
};

TEST(LoopGuard, RefusesEveryRuleOfTheTable) {
  for (const Case& c : kCases) {
    InboundFlags f = Person();
    c.change(f);
    const LoopVerdict v = MayAutoAnswer(f, "otra@example.com, soporte@example.com");
    EXPECT_FALSE(v.may_auto_answer) << c.name;
    EXPECT_EQ(v.rule, c.rule) << c.name;
  }
}

}  // namespace
}  // namespace soporte::domain::mail
