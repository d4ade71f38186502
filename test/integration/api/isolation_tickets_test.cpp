// Tenant isolation, ticket by ticket: a foreign ticket answers exactly like a missing one, and
// the same probes on the caller's own ticket succeed (isolation_fixture.hpp).
#include "isolation_fixture.hpp"

namespace soporte::test {
namespace {

using namespace isolation;  // NOLINT(google-build-using-namespace): the shared fixture

TEST_F(IsolationTest, ForeignTicketsAnswerExactlyLikeMissingOnes) {
  HttpClient& c = *client_;
  for (const Probe& p : TicketProbes()) {
    SCOPED_TRACE(std::string(p.method) + " " + p.path + " " + p.body);
    HttpResponse foreign = SendProbe(c, p, gina_, acme_.ticket, acme_.attachment);
    HttpResponse missing = SendProbe(c, p, gina_, kMissingTicket, kMissingAttachment);
    EXPECT_EQ(foreign.status, missing.status)
        << "foreign: " << foreign.Describe() << "\nmissing: " << missing.Describe();
    EXPECT_EQ(foreign.ErrorCode(), missing.ErrorCode());
    const std::string foreign_msg =
        ReplaceAll(ReplaceAll(foreign.ErrorMessage(), std::to_string(acme_.ticket), "N"),
                   std::to_string(acme_.attachment), "N");
    const std::string missing_msg =
        ReplaceAll(missing.ErrorMessage(), std::to_string(kMissingTicket), "N");
    EXPECT_EQ(foreign_msg, missing_msg);
    EXPECT_FALSE(foreign.ErrorCode().empty()) << "must be refused: " << foreign.Describe();
    // Reads and status changes name no ticket: 404. (Customers may never set criticality or
    // write internal notes, so those two are 403 whatever the ticket.)
    const bool always_forbidden = p.body.find("criticality") != std::string::npos ||
                                  p.body.find("internal") != std::string::npos ||
                                  p.body.find("caller") != std::string::npos;  // staff only
    EXPECT_EQ(foreign.status, always_forbidden ? 403 : 404) << foreign.Describe();
    EXPECT_EQ(foreign.body.find("acme"), std::string::npos) << foreign.Describe();
    EXPECT_EQ(foreign.body.find("secreto"), std::string::npos) << foreign.Describe();
  }

  // Nothing was changed or added on acme's ticket by any of the above.
  const std::string t = "/api/v1/tickets/" + std::to_string(acme_.ticket);
  json::object ticket = Expect(c.Get(t, alice_), 200, "alice reads her ticket");
  EXPECT_EQ(Str(ticket, "status"), "new");
  EXPECT_EQ(Str(ticket, "criticality"), "important");
  EXPECT_EQ(
      Expect(c.Get(t + "/messages", agent_), 200, "messages").at("messages").as_array().size(), 2u);
  EXPECT_EQ(Expect(c.Get(t + "/attachments", agent_), 200, "attachments")
                .at("attachments")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(Expect(c.Get(t + "/history", agent_), 200, "history").at("events").as_array().size(),
            2u)
      << "created + attachment";
}

// The positive control: the same probes on globex's own ticket succeed for globex's customer,
// so the 404s above are about ownership, not broken endpoints.
TEST_F(IsolationTest, OwnTicketsAnswerNormally) {
  HttpClient& c = *client_;
  const std::string t = "/api/v1/tickets/" + std::to_string(globex_.ticket);
  EXPECT_EQ(Str(Expect(c.Get(t, gina_), 200, "own ticket"), "org"), "globex");
  json::array msgs =
      Expect(c.Get(t + "/messages", gina_), 200, "own messages").at("messages").as_array();
  ASSERT_EQ(msgs.size(), 1u) << "the internal note is hidden from the customer";
  EXPECT_EQ(Str(msgs[0], "body"), "mensaje de globex");
  EXPECT_EQ(Expect(c.Get(t + "/attachments", gina_), 200, "own attachments")
                .at("attachments")
                .as_array()
                .size(),
            1u);
  HttpResponse file = c.Get("/api/v1/attachments/" + std::to_string(globex_.attachment), gina_);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "log de globex\n");
  EXPECT_EQ(Expect(c.Get(t + "/history", gina_), 200, "own history").at("events").as_array().size(),
            2u);
  Expect(c.Post(t + "/messages", json::object{{"body", "sigo esperando"}}, gina_), 201,
         "own message");
}

}  // namespace
}  // namespace soporte::test
