// Search through the real API (issue 18, parts 1, 6, 7): GET /api/v1/tickets?q= on the list
// endpoint, against the isolation fixture's two organisations (acme, globex), each with a
// ticket, a public message, an internal note and an attachment. A customer finds only its own
// organisation's tickets and never by an internal note; bad queries are a 400 naming `q`.
#include "isolation_fixture.hpp"

namespace soporte::test {
namespace {

using namespace isolation;  // NOLINT(google-build-using-namespace): the shared fixture

std::string Enc(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class SearchApiTest : public IsolationTest {
 protected:
  // The numbers of the tickets `who` finds with `q` (and `extra` query parameters).
  std::vector<std::int64_t> Find(const Auth& who, std::string_view q,
                                 const std::string& extra = "") {
    json::object page =
        Expect(client_->Get("/api/v1/tickets?q=" + Enc(q) + extra, who), 200, std::string(q));
    std::vector<std::int64_t> out;
    for (const auto& t : page.at("tickets").as_array()) out.push_back(Int(t.as_object(), "number"));
    std::sort(out.begin(), out.end());
    return out;
  }
  using N = std::vector<std::int64_t>;
};

TEST_F(SearchApiTest, CustomersFindOnlyTheirOrganisationsTicketsAndNeverByInternalNotes) {
  // Both tickets say "secreto"; each customer finds its own, staff both.
  EXPECT_EQ(Find(gina_, "secreto"), N{globex_.ticket});
  EXPECT_EQ(Find(alice_, "secreto"), N{acme_.ticket});
  EXPECT_EQ(Find(agent_, "secreto"), (N{acme_.ticket, globex_.ticket}));
  // Naming the other organisation, its ticket number or its file changes nothing.
  EXPECT_EQ(Find(gina_, "secreto", "&org=acme"), N{});
  EXPECT_EQ(Find(gina_, "#" + std::to_string(acme_.ticket)), N{});
  EXPECT_EQ(Find(gina_, "acme"), N{});
  EXPECT_EQ(Find(gina_, "globex.log"), N{globex_.ticket});
  // Internal notes: staff only.
  EXPECT_EQ(Find(alice_, "interna"), N{});
  EXPECT_EQ(Find(gina_, "nota interna"), N{});
  EXPECT_EQ(Find(agent_, "interna"), (N{acme_.ticket, globex_.ticket}));
  EXPECT_EQ(Find(agent_, "\"nota interna\"", "&org=acme"), N{acme_.ticket});
  // Filters combine with the search.
  EXPECT_EQ(Find(agent_, "secreto", "&criticality=important&status=new"),
            (N{acme_.ticket, globex_.ticket}));
  EXPECT_EQ(Find(agent_, "secreto", "&status=closed"), N{});
  // Accents, case and Spanish inflection: "MENSAJES" finds "mensaje".
  EXPECT_EQ(Find(agent_, "MENSAJES", "&org=globex"), N{globex_.ticket});
}

TEST_F(SearchApiTest, AnswersCarryHighlightedSnippetsAndPageByRank) {
  json::object page =
      Expect(client_->Get("/api/v1/tickets?limit=1&q=" + Enc("mensaje"), agent_), 200, "page 1");
  const auto& tickets = page.at("tickets").as_array();
  ASSERT_EQ(tickets.size(), 1u);
  const auto& snippet = tickets[0].as_object().at("snippet").as_array();
  std::string hits;
  for (const auto& part : snippet) {
    if (part.as_object().at("hit").as_bool()) hits += Str(part.as_object(), "text");
  }
  EXPECT_EQ(hits, "mensaje");
  const std::string cursor = Str(page, "next_cursor");
  ASSERT_EQ(cursor, "r1");
  json::object next = Expect(
      client_->Get("/api/v1/tickets?limit=1&cursor=" + cursor + "&q=" + Enc("mensaje"), agent_),
      200, "page 2");
  ASSERT_EQ(next.at("tickets").as_array().size(), 1u);
  EXPECT_NE(Int(next.at("tickets").as_array()[0].as_object(), "number"),
            Int(tickets[0].as_object(), "number"));
  EXPECT_TRUE(next.at("next_cursor").is_null());
  // A list cursor with a search (or the reverse) is refused.
  EXPECT_EQ(client_->Get("/api/v1/tickets?cursor=r1", agent_).status, 400);
}

TEST_F(SearchApiTest, BadQueriesAreA400NamingQNeverA500) {
  const std::vector<std::string> bad = {"",
                                        "   ",
                                        "\"sin cerrar",
                                        "a \"b\" \"c",
                                        "()*:^",
                                        std::string(300, 'x'),
                                        "a b c d e f g h i j k l m"};
  for (const auto& q : bad) {
    HttpResponse r = client_->Get("/api/v1/tickets?q=" + Enc(q), agent_);
    EXPECT_EQ(r.status, 400) << q << ": " << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "invalid_argument") << r.Describe();
    EXPECT_EQ(Str(r.Json().as_object().at("error").as_object(), "field"), "q") << r.Describe();
  }
  // A 10 KB query: refused before any search (by the query's limit or the request line's).
  HttpResponse huge = client_->Get("/api/v1/tickets?q=" + std::string(10 * 1024, 'a'), agent_);
  EXPECT_GE(huge.status, 400);
  EXPECT_LT(huge.status, 500) << huge.Describe();
  // FTS5 syntax typed by a user is text: never an error from the engine.
  for (const std::string q : {"secreto OR nota", "NEAR(secreto nota)", "subject:secreto",
                              "secreto*", "-secreto", "\"secreto\" AND", "sec\"\"reto", "^secreto",
                              "secreto) OR (1=1", "' OR 1=1 --", "\xff\xfe"}) {
    HttpResponse r = client_->Get("/api/v1/tickets?q=" + Enc(q), agent_);
    EXPECT_TRUE(r.status == 200 || r.status == 400) << q << ": " << r.Describe();
    if (r.status == 400) {
      EXPECT_EQ(r.ErrorCode(), "invalid_argument") << r.Describe();
    }
    EXPECT_EQ(r.body.find("fts5"), std::string::npos) << r.Describe();
  }
}

}  // namespace
}  // namespace soporte::test
