// The search port (app/ports/search_repository.hpp) on every backend: Spanish words found
// regardless of accents, case and inflection, phrases, prefixes, ticket numbers, internal notes
// only when asked, the list's filters, paging by rank, snippets, and an index that follows
// every change in the same transaction (SQLite: migration 0016's triggers).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "domain/search/search_query.hpp"
#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class SearchRepositoryTest : public StoreTest {
 protected:
  domain::Ticket Put(const std::string& subject, const std::string& description,
                     OrgId org = OrgId{}) {
    auto t = NewTicket(kBase + 100);
    t.subject = subject;
    t.description = description;
    if (org.valid()) t.org_id = org;
    auto r = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(t); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
  void Note(const domain::Ticket& t, const std::string& body, bool internal) {
    ASSERT_TRUE(W([&](app::WriteTx& tx) {
      return tx.tickets().InsertArticle(domain::Article{ArticleId{}, t.id, agent_.id, body,
                                                        internal, sla::Channel::kPortal, T(kBase)});
    }));
  }
  app::SearchRequest Request(const std::string& q) {
    auto parsed = domain::search::ParseSearchQuery(q);
    SOPORTE_CHECK(parsed.has_value());
    app::SearchRequest r;
    r.query = *parsed;
    r.include_internal = true;
    r.filters.now = T(kBase);
    return r;
  }
  app::SearchPage Find(const app::SearchRequest& r) {
    auto page = R([&](app::ReadTx& tx) { return tx.search().Search(r); });
    SOPORTE_CHECK(page.has_value());
    return *page;
  }
  // The numbers of the tickets matching `q` (staff view), sorted.
  std::vector<std::int64_t> Found(const std::string& q, bool internal = true) {
    auto r = Request(q);
    r.include_internal = internal;
    std::vector<std::int64_t> out;
    for (const auto& h : Find(r).hits) {
      auto t = R([&](app::ReadTx& tx) { return tx.tickets().GetTicket(h.ticket_id); });
      out.push_back(t->number);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

using Numbers = std::vector<std::int64_t>;

TEST_P(SearchRepositoryTest, FindsSpanishWordsRegardlessOfAccentsCaseAndInflection) {
  World();
  const auto a = Put("Error de conexión al servidor", "La facturación de marzo no llega");
  const auto b = Put("Consulta", "Necesito información sobre contraseñas");
  Put("Otra cosa", "Nada que ver");
  EXPECT_EQ(Found("conexion"), Numbers{a.number});
  EXPECT_EQ(Found("CONEXIÓN"), Numbers{a.number});
  EXPECT_EQ(Found("conexiones"), Numbers{a.number});
  EXPECT_EQ(Found("facturas"), Numbers{a.number});
  EXPECT_EQ(Found("facturacion"), Numbers{a.number});
  EXPECT_EQ(Found("informacion"), Numbers{b.number});
  EXPECT_EQ(Found("contrasena"), Numbers{b.number});
  EXPECT_EQ(Found("impresora"), Numbers{});
  // Every word must match (in the same text).
  EXPECT_EQ(Found("conexion servidor"), Numbers{a.number});
  EXPECT_EQ(Found("conexion contraseña"), Numbers{});
}

TEST_P(SearchRepositoryTest, PhrasesKeepTheirOrderAndPrefixesMatchWordStarts) {
  World();
  const auto a = Put("Error de conexión", "El servidor rechaza la conexión");
  const auto b = Put("Conexión con error", "Facturas duplicadas");
  EXPECT_EQ(Found("\"error de conexion\""), Numbers{a.number});
  EXPECT_EQ(Found("\"conexion con error\""), Numbers{b.number});
  EXPECT_EQ(Found("\"conexion de error\""), Numbers{});
  EXPECT_EQ(Found("factur*"), Numbers{b.number});
  EXPECT_EQ(Found("conex*"), (Numbers{a.number, b.number}));
  EXPECT_EQ(Found("zzz*"), Numbers{});
}

TEST_P(SearchRepositoryTest, ArticlesCallsAndFileNamesAreSearchedInternalNotesOnlyForStaff) {
  World();
  const auto t = Put("Consulta", "Sin detalles");
  Note(t, "El cliente reporta lentitud en el módulo de nómina", false);
  Note(t, "Clave temporal del servidor: cambiarla mañana", true);
  domain::Article call{ArticleId{},          t.id,    agent_.id, "Llamó por la impresora", false,
                       sla::Channel::kPhone, T(kBase)};
  call.call = domain::PhoneCall{"Ana", 5};
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertArticle(call); }));
  domain::Attachment att{AttachmentId{},
                         t.id,
                         std::nullopt,
                         std::string(64, 'a'),
                         "informe_mensual.pdf",
                         "application/pdf",
                         12,
                         customer_.id,
                         T(kBase)};
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertAttachment(att); }));

  EXPECT_EQ(Found("nomina", false), Numbers{t.number});
  EXPECT_EQ(Found("impresora", false), Numbers{t.number});
  EXPECT_EQ(Found("mensual", false), Numbers{t.number});
  EXPECT_EQ(Found("clave temporal", true), Numbers{t.number});
  EXPECT_EQ(Found("clave temporal", false), Numbers{});
}

TEST_P(SearchRepositoryTest, TheIndexFollowsUpdatesInTheSameTransaction) {
  World();
  auto t = Put("Impresora atascada", "Sin detalles");
  EXPECT_EQ(Found("impresora"), Numbers{t.number});
  t.subject = "Escáner atascado";
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); }));
  EXPECT_EQ(Found("impresora"), Numbers{});
  EXPECT_EQ(Found("escaner"), Numbers{t.number});
  // A write that rolls back leaves the index as it was.
  auto failed = store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY(got, tx.tickets().GetTicket(t.id));
    got.subject = "Teclado";
    SOPORTE_TRY_STATUS(tx.tickets().UpdateTicket(got));
    return Fail(ErrorCode::kAborted, "roll back");
  });
  (void)failed;
  EXPECT_EQ(Found("teclado"), Numbers{});
  EXPECT_EQ(Found("escaner"), Numbers{t.number});
  // Rebuilding finds the same.
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) { return tx.search().Rebuild(); }));
  EXPECT_EQ(Found("escaner"), Numbers{t.number});
}

TEST_P(SearchRepositoryTest, ManyWritesOneAfterAnotherStayFoundWhileTheIndexIsMerged) {
  // SQLite: each write indexes its ticket in a segment of its own, and the writer merges
  // segments between writes (migration 0025); every ticket is found before and after, and an
  // edit after the merges replaces the ticket's old words.
  World();
  constexpr int kTickets = 40;  // one page of hits (limit 50)
  std::vector<domain::Ticket> put;
  for (int i = 0; i < kTickets; ++i) {
    put.push_back(Put("Servidor caído nodo" + std::to_string(i), "Revisión diaria del clúster"));
  }
  EXPECT_EQ(Found("servidor").size(), static_cast<std::size_t>(kTickets));
  EXPECT_EQ(Found("\"revision diaria\"").size(), static_cast<std::size_t>(kTickets));
  for (int i = 0; i < kTickets; i += 7) {
    EXPECT_EQ(Found("nodo" + std::to_string(i)), Numbers{put[i].number});
  }
  auto t = put[kTickets / 2];
  t.subject = "Impresora sin tóner";
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); }));
  EXPECT_EQ(Found("servidor").size(), static_cast<std::size_t>(kTickets - 1));
  EXPECT_EQ(Found("toner"), Numbers{t.number});
  EXPECT_EQ(Found("clus*").size(), static_cast<std::size_t>(kTickets));
}

TEST_P(SearchRepositoryTest, ARowAddedAndEditedInOneWriteIsFoundByItsLastText) {
  World();
  domain::Ticket t;
  ASSERT_TRUE(W([&](app::WriteTx& tx) -> Status {
    auto n = NewTicket(kBase + 100);
    n.subject = "Monitor roto";
    n.description = "Sin imagen";
    SOPORTE_TRY(stored, tx.tickets().InsertTicket(n));
    stored.subject = "Ratón roto";
    SOPORTE_TRY_STATUS(tx.tickets().UpdateTicket(stored));
    SOPORTE_TRY_STATUS(
        tx.tickets()
            .InsertArticle(domain::Article{ArticleId{}, stored.id, agent_.id, "Cable desconectado",
                                           false, sla::Channel::kPortal, T(kBase)})
            .map([](auto&&) {}));
    t = stored;
    return Ok();
  }));
  EXPECT_EQ(Found("monitor"), Numbers{});
  EXPECT_EQ(Found("raton"), Numbers{t.number});
  EXPECT_EQ(Found("cable"), Numbers{t.number});
  // Edited again later: the index follows.
  ASSERT_TRUE(W([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY(got, tx.tickets().GetTicket(t.id));
    got.subject = "Teclado roto";
    return tx.tickets().UpdateTicket(got).map([](auto&&) {});
  }));
  EXPECT_EQ(Found("raton"), Numbers{});
  EXPECT_EQ(Found("teclado"), Numbers{t.number});
}

TEST_P(SearchRepositoryTest, ConcurrentWritesIndexTheirRowsAndNotTheFailedOnes) {
  // Writes arriving together (SQLite commits them as one batch): each committed row is found
  // once, a write that failed after inserting leaves nothing in the index.
  World();
  constexpr int kWriters = 16;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([this, i] {
      (void)store_->Write([&](app::WriteTx& tx) -> Status {
        auto n = NewTicket(kBase + 100);
        n.subject = "Lote " + std::string(i % 2 == 0 ? "aceptado" : "fallido");
        n.description = "Prueba concurrente";
        SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(n).map([](auto&&) {}));
        if (i % 2 == 1) return Fail(ErrorCode::kAborted, "undone after the insert");
        return Ok();
      });
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(Found("aceptado").size(), static_cast<std::size_t>(kWriters / 2));
  EXPECT_EQ(Found("fallido").size(), 0u);
  EXPECT_EQ(Found("concurrente").size(), static_cast<std::size_t>(kWriters / 2));
}

TEST_P(SearchRepositoryTest, FiltersOrganisationAndStatusApply) {
  World();
  const auto other = Org("globex");
  const auto mine = Put("Conexión caída", "x");
  const auto theirs = Put("Conexión caída", "x", other.id);
  auto r = Request("conexion");
  r.filters.org_id = org_.id;
  auto page = Find(r);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].ticket_id, mine.id);
  r.filters.org_id = other.id;
  page = Find(r);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].ticket_id, theirs.id);
  r.filters.org_id.reset();
  r.filters.status = domain::TicketStatus::kClosed;
  EXPECT_TRUE(Find(r).hits.empty());
}

TEST_P(SearchRepositoryTest, AnOrganisationsSearchSeesItsOwnTextsOfEveryKindAndNoOther) {
  // SQLite finds an organisation's texts inside the index (0028); messages and file names carry
  // their ticket's organisation, and the organisation's id is never a word of its texts.
  World();
  const auto other = Org("globex");
  const auto mine = Put("Consulta", "Sin detalles");
  const auto theirs = Put("Consulta", "Sin detalles", other.id);
  for (const auto& t : {mine, theirs}) {
    Note(t, "El respaldo nocturno falló", false);
    domain::Attachment att{AttachmentId{},
                           t.id,
                           std::nullopt,
                           std::string(64, 'b'),
                           "bitacora.log",
                           "text/plain",
                           3,
                           customer_.id,
                           T(kBase)};
    ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertAttachment(att); }));
  }
  const auto by_number = Put("Factura " + std::to_string(other.id.value()), "x", org_.id);
  for (const char* q : {"respaldo", "bitacora", "consulta"}) {
    auto r = Request(q);
    r.filters.org_id = org_.id;
    auto page = Find(r);
    ASSERT_EQ(page.hits.size(), 1u) << q;
    EXPECT_EQ(page.hits[0].ticket_id, mine.id) << q;
    r.filters.org_id = other.id;
    page = Find(r);
    ASSERT_EQ(page.hits.size(), 1u) << q;
    EXPECT_EQ(page.hits[0].ticket_id, theirs.id) << q;
  }
  // globex's id as a word (quoted, so that it is not also a ticket number): only the ticket
  // whose subject holds it, in its own organisation.
  auto r = Request("\"" + std::to_string(other.id.value()) + "\"");
  r.filters.org_id = other.id;
  EXPECT_TRUE(Find(r).hits.empty());
  r.filters.org_id = org_.id;
  auto page = Find(r);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].ticket_id, by_number.id);
}

TEST_P(SearchRepositoryTest, ATicketMovedToAnotherOrganisationTakesItsTextsAlong) {
  // No service moves a ticket today; the store keeps the index right if one ever does.
  World();
  const auto other = Org("globex");
  auto t = Put("Consulta", "Sin detalles");
  Note(t, "El respaldo nocturno falló", false);
  t.org_id = other.id;
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(t); }));
  for (const char* q : {"respaldo", "consulta"}) {
    auto r = Request(q);
    r.filters.org_id = org_.id;
    EXPECT_TRUE(Find(r).hits.empty()) << q;
    r.filters.org_id = other.id;
    auto page = Find(r);
    ASSERT_EQ(page.hits.size(), 1u) << q;
    EXPECT_EQ(page.hits[0].ticket_id, t.id) << q;
  }
}

TEST_P(SearchRepositoryTest, ATicketNumberFindsItsTicketFirst) {
  World();
  const auto a = Put("Consulta", "x");
  const auto b = Put("Referencia", "ver el ticket " + std::to_string(a.number));
  auto page = Find(Request("#" + std::to_string(b.number)));
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].ticket_id, b.id);
  // A bare number: the ticket with it first, then texts that mention it.
  page = Find(Request(std::to_string(a.number)));
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].ticket_id, a.id);
  EXPECT_EQ(page.hits[1].ticket_id, b.id);
}

TEST_P(SearchRepositoryTest, PagesByRankAndCutsHighlightedSnippets) {
  World();
  for (int i = 0; i < 3; ++i) Put("Error de red " + std::to_string(i), "La red no responde");
  auto r = Request("red");
  r.limit = 2;
  auto first = Find(r);
  ASSERT_EQ(first.hits.size(), 2u);
  EXPECT_TRUE(first.has_more);
  r.offset = 2;
  auto second = Find(r);
  ASSERT_EQ(second.hits.size(), 1u);
  EXPECT_FALSE(second.has_more);
  for (const auto& h : first.hits) EXPECT_NE(h.ticket_id, second.hits[0].ticket_id);

  const auto& parts = first.hits[0].snippet;
  ASSERT_FALSE(parts.empty());
  std::string text, hits;
  for (const auto& p : parts) {
    text += p.text;
    if (p.hit) hits += "[" + p.text + "]";
  }
  EXPECT_NE(text.find("red"), std::string::npos) << text;
  EXPECT_NE(hits.find("[red]"), std::string::npos) << hits;

  r.limit = 0;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.search().Search(r); }).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(SearchRepositoryTest, SubjectWordsRankAboveDescriptionWords) {
  // The subject weighs four times the description (SQLite: soporte_rank with weights 4 and 1). The
  // subject's ticket is the older one, so newest-first alone would put it second.
  World();
  const auto in_subject = Put("Impresora atascada", "Sin detalles del equipo");
  const auto in_description = Put("Consulta general", "La impresora no imprime");
  auto page = Find(Request("impresora"));
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].ticket_id, in_subject.id);
  EXPECT_EQ(page.hits[1].ticket_id, in_description.id);
}

SOPORTE_ON_EVERY_BACKEND(SearchRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
