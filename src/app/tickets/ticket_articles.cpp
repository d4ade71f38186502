// TicketService: the conversation on a ticket — public replies, internal notes and logged phone
// calls. What an article does to its ticket (response clock, status) and who may log a call under
// which contract are domain/ticket/ticket_article.
#include <map>
#include <string>
#include <utility>

#include "app/tickets/acting_user.hpp"
#include "app/tickets/ticket_service.hpp"
#include "domain/ticket/ticket_article.hpp"

namespace soporte::app {

Result<ArticleView> TicketService::AddArticle(const Principal& who, std::int64_t number,
                                              std::string body, bool internal) {
  SOPORTE_TRY_STATUS(domain::CheckArticle(body, internal, ActorOf(who), limits_));
  const Instant now = clock_.Now();
  OrgId ticket_org;
  domain::Ticket saved;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<ArticleView> {
    SOPORTE_TRY(view, AddArticleInTx(tx, who, number, std::move(body), internal,
                                     sla::Channel::kPortal, now, &saved));
    ticket_org = saved.org_id;
    if (notifier_) SOPORTE_TRY_STATUS(notifier_->ArticleAdded(tx, saved, view.article, who));
    return view;
  });
  if (added) {
    // Internal notes are announced too (staff views refresh); subscribers filter by audience.
    events_.Publish({number, ticket_org, internal ? "note" : "article"});
  }
  return added;
}

Result<ArticleView> TicketService::LogPhoneCall(const Principal& who, std::int64_t number,
                                                PhoneCallLog call) {
  SOPORTE_TRY(phone, domain::CheckPhoneCall(std::move(call.caller), call.duration_minutes,
                                            call.notes, ActorOf(who), limits_));
  phone.direction = call.direction;
  const Instant now = clock_.Now();
  OrgId ticket_org;
  domain::Ticket saved;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<ArticleView> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    SOPORTE_TRY_STATUS(domain::CheckPhoneLine(contract, number, now, call.direction));
    SOPORTE_TRY(view, AddArticleInTx(tx, who, number, std::move(call.notes), call.internal,
                                     sla::Channel::kPhone, now, &saved, std::move(phone)));
    ticket_org = saved.org_id;
    if (notifier_) SOPORTE_TRY_STATUS(notifier_->ArticleAdded(tx, saved, view.article, who));
    return view;
  });
  if (added) events_.Publish({number, ticket_org, call.internal ? "note" : "article"});
  return added;
}

Result<ArticleView> TicketService::AddArticleInTx(WriteTx& tx, const Principal& who,
                                                  std::int64_t number, std::string body,
                                                  bool internal, sla::Channel channel, Instant now,
                                                  domain::Ticket* saved_out,
                                                  std::optional<domain::PhoneCall> call) {
  SOPORTE_TRY(t, VisibleTicket(tx, who, number));
  SOPORTE_TRY(change, domain::ApplyArticle(t, ActingUserOf(who), internal, now));
  domain::Article a;
  a.ticket_id = t.id;
  a.author_id = who.user_id;
  a.body = std::move(body);
  a.internal = internal;
  a.channel = channel;
  a.created_at = now;
  a.call = std::move(call);
  SOPORTE_TRY(stored, tx.tickets().InsertArticle(std::move(a)));
  for (auto& e : change.events) SOPORTE_TRY_STATUS(tx.audit().AppendEvent(std::move(e)));
  SOPORTE_TRY(saved, tx.tickets().UpdateTicket(std::move(change.ticket)));
  SOPORTE_TRY_STATUS(observers_.ArticleAdded(tx, saved, stored, who));
  if (saved_out) *saved_out = saved;
  SOPORTE_TRY(author, tx.accounts().GetUser(who.user_id));
  SOPORTE_TRY(contract, tx.orgs().GetContract(saved.contract_id));
  return ArticleView{std::move(stored), PersonRef{author.id, author.name, author.email},
                     std::string(domain::RoleName(author.role)), contract.zone};
}

Result<std::vector<ArticleView>> TicketService::ListArticles(const Principal& who,
                                                             std::int64_t number) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<ArticleView>> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    SOPORTE_TRY(articles, tx.tickets().ListArticles(t.id, who.staff()));
    std::map<std::int64_t, std::pair<PersonRef, std::string>> people;
    std::vector<ArticleView> out;
    out.reserve(articles.size());
    for (auto& a : articles) {
      auto it = people.find(a.author_id.value());
      if (it == people.end()) {
        SOPORTE_TRY(u, tx.accounts().GetUser(a.author_id));
        it =
            people
                .emplace(a.author_id.value(), std::make_pair(PersonRef{u.id, u.name, u.email},
                                                             std::string(domain::RoleName(u.role))))
                .first;
      }
      out.push_back(ArticleView{std::move(a), it->second.first, it->second.second, contract.zone});
    }
    return out;
  });
}

}  // namespace soporte::app
