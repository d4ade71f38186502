#include "storage/memory/memory_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <mutex>
#include <tuple>

#include "domain/profile/intake_checklist.hpp"
#include "storage/validate.hpp"
#include "storage/validate_mail.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage {

struct MemoryStore::State {
  std::map<std::int64_t, domain::Organization> orgs;
  std::map<std::int64_t, domain::Contract> contracts;
  std::map<std::int64_t, domain::User> users;
  std::map<std::int64_t, domain::Ticket> tickets;
  std::map<std::int64_t, domain::Article> articles;
  std::map<std::int64_t, domain::Attachment> attachments;
  std::map<std::int64_t, domain::TicketEvent> events;
  std::map<std::string, app::SessionRecord> sessions;
  std::map<std::int64_t, app::ApiTokenRecord> api_tokens;
  // Next ids, as an SQLite rowid would give them.
  std::int64_t next_org = 1, next_contract = 1, next_user = 1, next_ticket = 1, next_article = 1,
               next_attachment = 1, next_event = 1, next_api_token = 1;
  std::int64_t next_ticket_number = 1001;
  // Email channel (0002_mail.sql).
  std::vector<app::MessageIdRecord> message_ids;  // in insertion order
  std::map<std::int64_t, app::OutboxRecord> outbox;
  std::map<std::int64_t, app::InboundUnassignedRecord> unassigned;
  std::map<std::string, app::ImapStateRecord> imap;
  std::set<std::tuple<std::string, std::int64_t, std::int64_t>> imap_done;
  std::vector<std::pair<std::string, Instant>> auto_replies;
  std::int64_t next_outbox = 1, next_unassigned = 1;
  // Web UI (0003_web.sql).
  std::map<std::int64_t, app::PasswordResetRecord> password_resets;  // by user id
  std::map<std::string, app::SettingRecord> settings;
  // Customer profile (0005_profile.sql).
  std::map<std::int64_t, domain::ProfileEntry> profile_entries;
  std::map<std::int64_t, app::SecretRecord> secrets;
  std::vector<app::RevealRecord> reveals;
  std::vector<app::ProfileEventRecord> profile_events;
  std::int64_t next_profile_entry = 1, next_secret = 1, next_reveal = 1, next_profile_event = 1;
  std::map<std::int64_t, std::map<std::string, std::string>> ticket_intake;
  // Calendars (0006_calendars.sql).
  std::map<std::int64_t, domain::calendar::CalendarDefinition> calendars;
  std::int64_t next_calendar = 1;
  // User accounts (0007_user_events.sql).
  std::vector<app::UserEventRecord> user_events;
  std::int64_t next_user_event = 1;
};

namespace {

using State = MemoryStore::State;

Error NotFound(std::string what) { return Error{ErrorCode::kNotFound, std::move(what) + " not found"}; }

template <class Map>
Status CheckExists(const Map& m, std::int64_t id, std::string_view what) {
  if (!m.count(id)) return tl::make_unexpected(MissingReference(std::string(what) + " " + std::to_string(id)));
  return Ok();
}

template <class Map>
auto Find(const Map& m, std::int64_t id, std::string what)
    -> Result<typename Map::mapped_type> {
  auto it = m.find(id);
  if (it == m.end()) return tl::make_unexpected(NotFound(std::move(what)));
  return it->second;
}

class MemoryTx final : public app::WriteTx {
 public:
  explicit MemoryTx(State& s) : s_(s) {}

  Result<domain::Organization> GetOrg(OrgId id) override {
    return Find(s_.orgs, id.value(), "organisation " + std::to_string(id.value()));
  }
  Result<domain::Organization> GetOrgBySlug(const std::string& slug) override {
    for (const auto& [id, o] : s_.orgs) {
      if (o.slug == slug) return o;
    }
    return tl::make_unexpected(NotFound("organisation '" + slug + "'"));
  }
  Result<std::vector<domain::Organization>> ListOrgs() override { return Values(s_.orgs); }

  Result<domain::Contract> GetContract(ContractId id) override {
    return Find(s_.contracts, id.value(), "contract " + std::to_string(id.value()));
  }
  Result<std::vector<domain::Contract>> ListContracts(OrgId org) override {
    std::vector<domain::Contract> out;
    for (const auto& [id, c] : s_.contracts) {
      if (c.org_id == org) out.push_back(c);
    }
    return out;
  }

  Result<domain::User> GetUser(UserId id) override {
    return Find(s_.users, id.value(), "user " + std::to_string(id.value()));
  }
  Result<domain::User> GetUserByEmail(const std::string& normalized_email) override {
    for (const auto& [id, u] : s_.users) {
      if (u.email == normalized_email) return u;
    }
    return tl::make_unexpected(NotFound("user '" + normalized_email + "'"));
  }
  Result<std::vector<domain::User>> ListUsers(std::optional<OrgId> org) override {
    std::vector<domain::User> out;
    for (const auto& [id, u] : s_.users) {
      if (!org || u.org_id == *org) out.push_back(u);
    }
    return out;
  }

  Result<domain::Ticket> GetTicket(TicketId id) override {
    return Find(s_.tickets, id.value(), "ticket " + std::to_string(id.value()));
  }
  Result<domain::Ticket> GetTicketByNumber(std::int64_t number) override {
    for (const auto& [id, t] : s_.tickets) {
      if (t.number == number) return t;
    }
    return tl::make_unexpected(NotFound("ticket #" + std::to_string(number)));
  }
  Result<app::TicketContext> GetTicketContext(std::int64_t number) override {
    app::TicketContext c;
    SOPORTE_TRY(ticket, GetTicketByNumber(number));
    SOPORTE_TRY(org, GetOrg(ticket.org_id));
    SOPORTE_TRY(contract, GetContract(ticket.contract_id));
    SOPORTE_TRY(requester, GetUser(ticket.requester_id));
    if (ticket.assignee_id.valid()) {
      SOPORTE_TRY(assignee, GetUser(ticket.assignee_id));
      c.assignee = app::PersonRef{assignee.id, assignee.name, assignee.email};
    }
    c.requester = app::PersonRef{requester.id, requester.name, requester.email};
    c.ticket = std::move(ticket);
    c.org = std::move(org);
    c.contract = std::move(contract);
    return c;
  }

  Result<app::TicketPage> ListTickets(const app::TicketQuery& q) override {
    SOPORTE_TRY_STATUS(ValidateQuery(q));
    std::vector<const domain::Ticket*> hits;
    for (const auto& [id, t] : s_.tickets) {
      if (q.status && t.status != *q.status) continue;
      if (q.criticality && t.criticality != *q.criticality) continue;
      if (q.org_id && t.org_id != *q.org_id) continue;
      if (q.assignee_id && t.assignee_id.value() != q.assignee_id->value()) continue;
      if (q.breached && domain::ResponseBreached(t, q.now) != *q.breached) continue;
      if (q.after && std::make_pair(t.response_due, t.number) <= *q.after) continue;
      hits.push_back(&t);
    }
    std::sort(hits.begin(), hits.end(), [](const domain::Ticket* a, const domain::Ticket* b) {
      return std::tie(a->response_due, a->number) < std::tie(b->response_due, b->number);
    });
    app::TicketPage page;
    page.has_more = hits.size() > static_cast<std::size_t>(q.limit);
    for (std::size_t i = 0; i < hits.size() && i < static_cast<std::size_t>(q.limit); ++i) {
      page.tickets.push_back(*hits[i]);
    }
    return page;
  }

  Result<app::TicketStats> GetTicketStats(Instant now) override {
    app::TicketStats st;
    for (const auto& [id, t] : s_.tickets) {
      const bool active = domain::IsActive(t.status);
      const bool breached = domain::ResponseBreached(t, now);
      if (active) {
        switch (t.criticality) {
          case domain::sla::Criticality::kNormal: ++st.open_normal; break;
          case domain::sla::Criticality::kImportant: ++st.open_important; break;
          case domain::sla::Criticality::kCritical: ++st.open_critical; break;
        }
        if (breached) ++st.breached_open;
      }
      if (breached) ++st.breached_total;
    }
    return st;
  }

  Result<std::vector<domain::Article>> ListArticles(TicketId t, bool include_internal) override {
    std::vector<domain::Article> out;
    for (const auto& [id, a] : s_.articles) {
      if (a.ticket_id == t && (include_internal || !a.internal)) out.push_back(a);
    }
    return out;
  }
  Result<std::vector<domain::Attachment>> ListAttachments(TicketId t) override {
    std::vector<domain::Attachment> out;
    for (const auto& [id, a] : s_.attachments) {
      if (a.ticket_id == t) out.push_back(a);
    }
    return out;
  }
  Result<domain::Attachment> GetAttachment(AttachmentId id) override {
    return Find(s_.attachments, id.value(), "attachment " + std::to_string(id.value()));
  }
  Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) override {
    std::vector<domain::TicketEvent> out;
    for (const auto& [id, e] : s_.events) {
      if (e.ticket_id == t) out.push_back(e);
    }
    return out;
  }

  Result<app::SessionRecord> GetSession(const std::string& token_hash) override {
    auto it = s_.sessions.find(token_hash);
    if (it == s_.sessions.end()) return tl::make_unexpected(NotFound("session"));
    return it->second;
  }
  Result<app::ApiTokenRecord> GetApiToken(const std::string& token_hash) override {
    for (const auto& [id, t] : s_.api_tokens) {
      if (t.token_hash == token_hash) return t;
    }
    return tl::make_unexpected(NotFound("API token"));
  }

  Result<domain::Organization> InsertOrg(domain::Organization o) override {
    SOPORTE_TRY_STATUS(ValidateOrg(o));
    if (GetOrgBySlug(o.slug)) return tl::make_unexpected(OrgSlugTaken(o.slug));
    o.id = OrgId{s_.next_org++};
    s_.orgs[o.id.value()] = o;
    return o;
  }

  Result<domain::Contract> InsertContract(domain::Contract c) override {
    SOPORTE_TRY_STATUS(ValidateContract(c));
    SOPORTE_TRY_STATUS(CheckExists(s_.orgs, c.org_id.value(), "organisation"));
    if (c.calendar_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.calendars, c.calendar_id.value(), "calendar"));
    c.id = ContractId{s_.next_contract++};
    s_.contracts[c.id.value()] = c;
    return c;
  }

  Result<domain::User> InsertUser(domain::User u) override {
    SOPORTE_TRY_STATUS(NormalizeUser(u));
    if (u.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.orgs, u.org_id.value(), "organisation"));
    if (GetUserByEmail(u.email)) return tl::make_unexpected(UserEmailTaken(u.email));
    u.id = UserId{s_.next_user++};
    s_.users[u.id.value()] = u;
    return u;
  }

  Status UpdateUser(const domain::User& in) override {
    domain::User u = in;
    SOPORTE_TRY_STATUS(NormalizeUser(u));
    if (u.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.orgs, u.org_id.value(), "organisation"));
    if (auto other = GetUserByEmail(u.email); other && other->id != u.id) {
      return tl::make_unexpected(UserEmailTaken(u.email));
    }
    auto it = s_.users.find(u.id.value());
    if (it == s_.users.end()) return tl::make_unexpected(NotFound("user " + std::to_string(u.id.value())));
    it->second = u;
    return Ok();
  }

  Result<domain::Ticket> InsertTicket(domain::Ticket t) override {
    SOPORTE_TRY_STATUS(CheckTicket(t));
    t.id = TicketId{s_.next_ticket++};
    t.number = s_.next_ticket_number++;
    s_.tickets[t.id.value()] = t;
    return t;
  }

  Result<domain::Ticket> UpdateTicket(domain::Ticket t) override {
    SOPORTE_TRY_STATUS(CheckTicket(t));
    auto it = s_.tickets.find(t.id.value());
    if (it == s_.tickets.end()) return tl::make_unexpected(NotFound("ticket " + std::to_string(t.id.value())));
    if (it->second.version != t.version) {
      return Fail(ErrorCode::kAborted, "ticket #" + std::to_string(it->second.number) +
                                           " was changed by someone else (version " +
                                           std::to_string(it->second.version) + ", not " +
                                           std::to_string(t.version) + ")");
    }
    t.number = it->second.number;  // assigned once, never rewritten
    t.version += 1;
    it->second = t;
    return t;
  }

  Result<domain::Article> InsertArticle(domain::Article a) override {
    SOPORTE_TRY_STATUS(ValidateArticle(a));
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, a.ticket_id.value(), "ticket"));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, a.author_id.value(), "user"));
    a.id = ArticleId{s_.next_article++};
    s_.articles[a.id.value()] = a;
    return a;
  }

  Result<domain::Attachment> InsertAttachment(domain::Attachment a) override {
    SOPORTE_TRY_STATUS(ValidateAttachment(a));
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, a.ticket_id.value(), "ticket"));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, a.uploaded_by.value(), "user"));
    if (a.article_id) {
      auto it = s_.articles.find(a.article_id->value());
      if (it == s_.articles.end() || it->second.ticket_id != a.ticket_id) {
        return tl::make_unexpected(MissingReference(
            "article " + std::to_string(a.article_id->value()) + " of ticket " +
            std::to_string(a.ticket_id.value())));
      }
    }
    a.id = AttachmentId{s_.next_attachment++};
    s_.attachments[a.id.value()] = a;
    return a;
  }

  Status AppendEvent(domain::TicketEvent e) override {
    SOPORTE_TRY_STATUS(ValidateEvent(e));
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, e.ticket_id.value(), "ticket"));
    if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.actor_id.value(), "user"));
    e.id = s_.next_event++;
    s_.events[e.id] = e;
    return Ok();
  }

  Status InsertSession(const app::SessionRecord& r) override {
    SOPORTE_TRY_STATUS(ValidateSession(r));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, r.user_id.value(), "user"));
    if (s_.sessions.count(r.token_hash)) return tl::make_unexpected(SessionTaken());
    s_.sessions[r.token_hash] = r;
    return Ok();
  }
  Status DeleteSession(const std::string& token_hash) override {
    s_.sessions.erase(token_hash);
    return Ok();
  }
  Result<std::int64_t> DeleteExpiredSessions(Instant now) override {
    return static_cast<std::int64_t>(
        std::erase_if(s_.sessions, [&](const auto& kv) { return kv.second.expires_at < now; }));
  }
  Result<std::vector<app::UserEventRecord>> ListUserEvents(UserId user) override {
    std::vector<app::UserEventRecord> out;
    for (const auto& e : s_.user_events) {
      if (e.user_id == user) out.push_back(e);
    }
    return out;
  }
  Result<std::int64_t> DeleteUserApiTokens(UserId user) override {
    return static_cast<std::int64_t>(
        std::erase_if(s_.api_tokens, [&](const auto& kv) { return kv.second.user_id == user; }));
  }
  Status AppendUserEvent(app::UserEventRecord e) override {
    SOPORTE_TRY_STATUS(ValidateUserEvent(e));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, e.user_id.value(), "user"));
    if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.actor_id.value(), "user"));
    e.id = s_.next_user_event++;
    s_.user_events.push_back(std::move(e));
    return Ok();
  }
  Result<app::ApiTokenRecord> InsertApiToken(app::ApiTokenRecord t) override {
    SOPORTE_TRY_STATUS(ValidateApiToken(t));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, t.user_id.value(), "user"));
    if (GetApiToken(t.token_hash)) return tl::make_unexpected(ApiTokenTaken());
    t.id = s_.next_api_token++;
    s_.api_tokens[t.id] = t;
    return t;
  }

  // --- email channel ---
  Result<app::MessageIdRecord> FindMessageId(const std::string& message_id) override {
    for (const auto& r : s_.message_ids) {
      if (r.message_id == message_id) return r;
    }
    return Fail(ErrorCode::kNotFound, "message id <" + message_id + "> not found");
  }
  Result<std::vector<app::MessageIdRecord>> ListMessageIds(TicketId t) override {
    std::vector<app::MessageIdRecord> out;
    for (const auto& r : s_.message_ids) {
      if (r.ticket_id == t) out.push_back(r);
    }
    return out;
  }
  Result<std::vector<app::OutboxRecord>> ListOutbox(std::optional<TicketId> t) override {
    std::vector<app::OutboxRecord> out;
    for (const auto& [id, r] : s_.outbox) {
      if (!t || r.ticket_id == *t) out.push_back(r);
    }
    return out;
  }
  Result<std::vector<app::InboundUnassignedRecord>> ListInboundUnassigned() override {
    auto list = Values(s_.unassigned);
    for (auto& r : list) r.attachments.clear();  // as the SQL store: files only through Get
    return list;
  }
  Result<app::InboundUnassignedRecord> FindInboundUnassigned(const std::string& message_id) override {
    for (const auto& [id, r] : s_.unassigned) {
      if (r.message_id == message_id) {
        auto copy = r;
        copy.attachments.clear();
        return copy;
      }
    }
    return Fail(ErrorCode::kNotFound, "no kept message <" + message_id + ">");
  }
  Result<app::InboundUnassignedRecord> GetInboundUnassigned(std::int64_t id) override {
    auto it = s_.unassigned.find(id);
    if (it == s_.unassigned.end()) return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(id));
    return it->second;
  }
  Result<app::OutboxRecord> GetOutbox(std::int64_t id) override {
    auto it = s_.outbox.find(id);
    if (it == s_.outbox.end()) return Fail(ErrorCode::kNotFound, "no outgoing mail " + std::to_string(id));
    return it->second;
  }
  Result<std::vector<app::OutboxRecord>> ListFailedOutbox(int limit) override {
    std::vector<app::OutboxRecord> out;
    for (const auto& [id, r] : s_.outbox) {
      if (r.failed_at) out.push_back(r);
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(*b.failed_at, b.id) < std::tie(*a.failed_at, a.id);
    });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(std::max(limit, 0)));
    return out;
  }
  Result<app::OutboxRecord> FindOutboxByMessageId(const std::string& message_id) override {
    for (const auto& [id, r] : s_.outbox) {
      if (r.message_id == message_id) return r;
    }
    return Fail(ErrorCode::kNotFound, "no outgoing mail <" + message_id + ">");
  }
  Result<app::OutboxCounts> CountOutbox() override {
    app::OutboxCounts c;
    for (const auto& [id, r] : s_.outbox) {
      if (r.failed_at) {
        ++c.failed;
      } else if (!r.sent_at) {
        ++c.pending;
      }
    }
    return c;
  }
  Result<std::vector<std::int64_t>> ListImapUids(const std::string& mailbox, std::int64_t uidvalidity,
                                                 std::int64_t after_uid) override {
    std::vector<std::int64_t> out;
    for (const auto& [m, v, uid] : s_.imap_done) {
      if (m == mailbox && v == uidvalidity && uid > after_uid) out.push_back(uid);
    }
    return out;  // the set is ordered by (mailbox, uidvalidity, uid): ascending
  }
  Result<app::ImapStateRecord> GetImapState(const std::string& mailbox) override {
    auto it = s_.imap.find(mailbox);
    if (it == s_.imap.end()) return Fail(ErrorCode::kNotFound, "mailbox " + mailbox + " not found");
    return it->second;
  }
  Result<std::int64_t> CountAutoReplies(const std::string& address, Instant since) override {
    return static_cast<std::int64_t>(std::count_if(
        s_.auto_replies.begin(), s_.auto_replies.end(),
        [&](const auto& e) { return e.first == address && e.second >= since; }));
  }
  Status InsertMessageId(const app::MessageIdRecord& r) override {
    SOPORTE_TRY_STATUS(ValidateMessageId(r));
    if (FindMessageId(r.message_id)) return tl::make_unexpected(MessageIdTaken(r.message_id));
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
    if (r.article_id) SOPORTE_TRY_STATUS(CheckExists(s_.articles, r.article_id->value(), "article"));
    s_.message_ids.push_back(r);
    return Ok();
  }
  Result<app::OutboxRecord> InsertOutbox(app::OutboxRecord r) override {
    SOPORTE_TRY_STATUS(ValidateOutbox(r));
    if (r.ticket_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
    for (const auto& [id, o] : s_.outbox) {
      if (o.message_id == r.message_id) return tl::make_unexpected(MessageIdTaken(r.message_id));
    }
    r.id = s_.next_outbox++;
    s_.outbox[r.id] = r;
    return r;
  }
  Result<std::vector<app::OutboxRecord>> ClaimOutbox(Instant now, Instant lease_until, int limit) override {
    std::vector<app::OutboxRecord*> due;
    for (auto& [id, r] : s_.outbox) {
      if (!r.sent_at && !r.failed_at && r.next_attempt_at <= now && (!r.claimed_until || *r.claimed_until < now)) {
        due.push_back(&r);
      }
    }
    std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
      return std::tie(a->next_attempt_at, a->id) < std::tie(b->next_attempt_at, b->id);
    });
    std::vector<app::OutboxRecord> out;
    for (auto* r : due) {
      if (static_cast<int>(out.size()) >= limit) break;
      r->claimed_until = lease_until;
      out.push_back(*r);
    }
    return out;
  }
  Status UpdateOutboxDelivery(const app::OutboxRecord& r) override {
    auto it = s_.outbox.find(r.id);
    if (it == s_.outbox.end()) return Fail(ErrorCode::kNotFound, "outbox row " + std::to_string(r.id) + " not found");
    it->second.attempts = r.attempts;
    it->second.next_attempt_at = r.next_attempt_at;
    it->second.claimed_until = r.claimed_until;
    it->second.sent_at = r.sent_at;
    it->second.last_error = r.last_error;
    it->second.failed_at = r.failed_at;
    it->second.retried_at = r.retried_at;
    return Ok();
  }
  Result<app::InboundUnassignedRecord> InsertInboundUnassigned(app::InboundUnassignedRecord r) override {
    r.id = s_.next_unassigned++;
    s_.unassigned[r.id] = r;
    return r;
  }
  Status ResolveInboundUnassigned(const app::InboundUnassignedRecord& r) override {
    auto it = s_.unassigned.find(r.id);
    if (it == s_.unassigned.end()) return Fail(ErrorCode::kNotFound, "no kept message " + std::to_string(r.id));
    if (r.resolved_by.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, r.resolved_by.value(), "user"));
    if (r.ticket_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
    it->second.status = r.status;
    it->second.resolved_at = r.resolved_at;
    it->second.resolved_by = r.resolved_by;
    it->second.resolution_note = r.resolution_note;
    it->second.ticket_id = r.ticket_id;
    return Ok();
  }
  Status PutImapState(const app::ImapStateRecord& r) override {
    s_.imap[r.mailbox] = r;
    std::erase_if(s_.imap_done, [&](const auto& d) {
      return std::get<0>(d) == r.mailbox && (std::get<1>(d) != r.uidvalidity || std::get<2>(d) <= r.last_uid);
    });
    return Ok();
  }
  Status MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity, std::int64_t uid) override {
    s_.imap_done.emplace(mailbox, uidvalidity, uid);
    return Ok();
  }
  Status RecordAutoReply(const std::string& address, Instant at) override {
    s_.auto_replies.emplace_back(address, at);
    return Ok();
  }

  // --- web UI ---
  Result<app::PasswordResetRecord> GetPasswordReset(const std::string& token_hash) override {
    for (const auto& [user, r] : s_.password_resets) {
      if (r.token_hash == token_hash) return r;
    }
    return tl::make_unexpected(NotFound("password reset"));
  }
  Result<std::vector<app::SettingRecord>> ListSettings() override { return Values(s_.settings); }
  Status PutPasswordReset(const app::PasswordResetRecord& r) override {
    SOPORTE_TRY_STATUS(ValidatePasswordReset(r));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, r.user_id.value(), "user"));
    for (const auto& [user, other] : s_.password_resets) {
      if (user != r.user_id.value() && other.token_hash == r.token_hash) {
        return tl::make_unexpected(PasswordResetTaken());
      }
    }
    s_.password_resets[r.user_id.value()] = r;
    return Ok();
  }
  Status DeletePasswordReset(UserId user) override {
    s_.password_resets.erase(user.value());
    return Ok();
  }
  Result<std::int64_t> DeleteUserSessions(UserId user) override {
    return static_cast<std::int64_t>(
        std::erase_if(s_.sessions, [&](const auto& kv) { return kv.second.user_id == user; }));
  }
  Status PutSetting(const app::SettingRecord& r) override {
    SOPORTE_TRY_STATUS(ValidateSetting(r));
    s_.settings[r.key] = r;
    return Ok();
  }
  // --- customer profile ---
  Result<std::vector<domain::ProfileEntry>> ListProfileEntries(OrgId org) override {
    std::vector<domain::ProfileEntry> out;
    for (const auto& [id, e] : s_.profile_entries) {
      if (e.org_id == org) out.push_back(e);
    }
    return out;
  }
  Result<domain::ProfileEntry> GetProfileEntry(domain::ProfileEntryId id) override {
    return Find(s_.profile_entries, id.value(), "profile entry " + std::to_string(id.value()));
  }
  Result<std::vector<app::SecretRecord>> ListSecrets(std::optional<OrgId> org) override {
    std::vector<app::SecretRecord> out;
    for (const auto& [id, r] : s_.secrets) {
      if (!org || r.org_id == *org) out.push_back(r);
    }
    return out;
  }
  Result<app::SecretRecord> GetSecret(std::int64_t id) override {
    return Find(s_.secrets, id, "secret " + std::to_string(id));
  }
  Result<std::vector<app::RevealRecord>> ListReveals(OrgId org) override {
    std::vector<app::RevealRecord> out;
    for (const auto& r : s_.reveals) {
      if (r.org_id == org) out.push_back(r);
    }
    return out;
  }
  Result<std::vector<app::ProfileEventRecord>> ListProfileEvents(OrgId org) override {
    std::vector<app::ProfileEventRecord> out;
    for (const auto& e : s_.profile_events) {
      if (e.org_id == org) out.push_back(e);
    }
    return out;
  }
  Result<domain::ProfileEntry> InsertProfileEntry(domain::ProfileEntry e) override {
    SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
    SOPORTE_TRY_STATUS(CheckExists(s_.orgs, e.org_id.value(), "organisation"));
    SOPORTE_TRY_STATUS(CheckEntryParent(e));
    e.id = domain::ProfileEntryId{s_.next_profile_entry++};
    s_.profile_entries[e.id.value()] = e;
    return e;
  }
  Status UpdateProfileEntry(const domain::ProfileEntry& e) override {
    SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
    auto it = s_.profile_entries.find(e.id.value());
    if (it == s_.profile_entries.end()) {
      return tl::make_unexpected(NotFound("profile entry " + std::to_string(e.id.value())));
    }
    if (it->second.kind != e.kind || it->second.org_id != e.org_id) {
      return Fail(ErrorCode::kInvalidArgument, "a profile entry keeps its kind and organisation");
    }
    SOPORTE_TRY_STATUS(CheckEntryParent(e));
    domain::ProfileEntry updated = e;
    updated.created_at = it->second.created_at;
    it->second = updated;
    return Ok();
  }
  Status DeleteProfileEntry(domain::ProfileEntryId id) override {
    if (!s_.profile_entries.count(id.value())) {
      return tl::make_unexpected(NotFound("profile entry " + std::to_string(id.value())));
    }
    for (const auto& [k, e] : s_.profile_entries) {
      if (e.parent == id) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "profile entry " + std::to_string(id.value()) + " still holds other entries");
      }
    }
    std::erase_if(s_.secrets, [id](const auto& kv) { return kv.second.entry_id == id; });
    s_.profile_entries.erase(id.value());
    return Ok();
  }
  Result<app::SecretRecord> PutSecret(app::SecretRecord r) override {
    SOPORTE_TRY_STATUS(ValidateSecret(r));
    SOPORTE_TRY(entry, GetProfileEntry(r.entry_id));
    if (entry.org_id != r.org_id) {
      return Fail(ErrorCode::kInvalidArgument, "a secret belongs to its entry's organisation");
    }
    const auto* f = domain::FieldOf(entry.kind, r.field);
    if (f == nullptr || f->type != domain::FieldType::kSecret) {
      return Fail(ErrorCode::kInvalidArgument, "'" + r.field + "' is not a secret field of a " +
                                                   std::string(domain::SpecOf(entry.kind).name));
    }
    for (auto& [id, old] : s_.secrets) {
      if (old.entry_id == r.entry_id && old.field == r.field) {
        r.id = id;
        old = r;
        return r;
      }
    }
    r.id = s_.next_secret++;
    s_.secrets[r.id] = r;
    return r;
  }
  Status DeleteSecret(domain::ProfileEntryId entry, const std::string& field) override {
    std::erase_if(s_.secrets, [&](const auto& kv) {
      return kv.second.entry_id == entry && kv.second.field == field;
    });
    return Ok();
  }
  Status AppendReveal(app::RevealRecord r) override {
    SOPORTE_TRY_STATUS(ValidateReveal(r));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, r.actor_id.value(), "user"));
    r.id = s_.next_reveal++;
    s_.reveals.push_back(std::move(r));
    return Ok();
  }
  Result<std::map<std::string, std::string>> ListTicketIntake(TicketId t) override {
    auto it = s_.ticket_intake.find(t.value());
    if (it == s_.ticket_intake.end()) return std::map<std::string, std::string>{};
    return it->second;
  }
  Status PutTicketIntake(TicketId t, const std::string& item, const std::string& text) override {
    if (!domain::ParseIntakeItem(item)) return Fail(ErrorCode::kInvalidArgument, "unknown intake item '" + item + "'");
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, t.value(), "ticket"));
    s_.ticket_intake[t.value()][item] = text;
    return Ok();
  }
  Status AppendProfileEvent(app::ProfileEventRecord e) override {
    SOPORTE_TRY_STATUS(ValidateProfileEvent(e));
    e.id = s_.next_profile_event++;
    s_.profile_events.push_back(std::move(e));
    return Ok();
  }

  // --- calendars ---
  Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) override {
    return Find(s_.calendars, id.value(), "calendar " + std::to_string(id.value()));
  }
  Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() override {
    auto out = Values(s_.calendars);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }
  Result<domain::calendar::CalendarDefinition> InsertCalendar(domain::calendar::CalendarDefinition c) override {
    SOPORTE_TRY_STATUS(ValidateCalendar(c));
    SOPORTE_TRY_STATUS(CheckCalendarRefs(c));
    c.id = CalendarId{s_.next_calendar++};
    c.version = 1;
    s_.calendars[c.id.value()] = c;
    return c;
  }
  Result<domain::calendar::CalendarDefinition> UpdateCalendar(domain::calendar::CalendarDefinition c) override {
    SOPORTE_TRY_STATUS(ValidateCalendar(c));
    auto it = s_.calendars.find(c.id.value());
    if (it == s_.calendars.end()) return tl::make_unexpected(NotFound("calendar " + std::to_string(c.id.value())));
    SOPORTE_TRY_STATUS(CheckCalendarRefs(c));
    if (it->second.version != c.version) {
      return Fail(ErrorCode::kAborted, "calendar " + std::to_string(c.id.value()) +
                                           " was changed by someone else (version " +
                                           std::to_string(it->second.version) + ", not " +
                                           std::to_string(c.version) + ")");
    }
    c.version += 1;
    c.created_at = it->second.created_at;  // as the SQL store: created_at is never rewritten
    it->second = c;
    return c;
  }
  Status SetContractCalendar(ContractId contract, CalendarId calendar) override {
    auto it = s_.contracts.find(contract.value());
    if (it == s_.contracts.end()) return tl::make_unexpected(NotFound("contract " + std::to_string(contract.value())));
    domain::Contract c = it->second;
    c.calendar_id = calendar;
    SOPORTE_TRY_STATUS(ValidateContract(c));
    if (calendar.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.calendars, calendar.value(), "calendar"));
    it->second = c;
    return Ok();
  }

 private:
  // The unique name and the users named by closure days, as SQLite's constraints check them.
  Status CheckCalendarRefs(const domain::calendar::CalendarDefinition& c) {
    for (const auto& [id, other] : s_.calendars) {
      if (id != c.id.value() && other.name == c.name) return tl::make_unexpected(CalendarNameTaken(c.name));
    }
    for (const auto& e : c.closures) {
      if (e.created_by.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.created_by.value(), "user"));
    }
    return Ok();
  }

  template <class Map>
  static std::vector<typename Map::mapped_type> Values(const Map& m) {
    std::vector<typename Map::mapped_type> out;
    for (const auto& [k, v] : m) out.push_back(v);
    return out;
  }

  Status CheckEntryParent(const domain::ProfileEntry& e) {
    if (!e.parent.valid()) return Ok();
    auto it = s_.profile_entries.find(e.parent.value());
    if (it == s_.profile_entries.end()) {
      return tl::make_unexpected(MissingReference("profile entry " + std::to_string(e.parent.value())));
    }
    return CheckParent(e, it->second);
  }

  Status CheckTicket(const domain::Ticket& t) {
    SOPORTE_TRY_STATUS(ValidateTicket(t));
    SOPORTE_TRY_STATUS(CheckExists(s_.orgs, t.org_id.value(), "organisation"));
    SOPORTE_TRY_STATUS(CheckExists(s_.contracts, t.contract_id.value(), "contract"));
    SOPORTE_TRY_STATUS(CheckExists(s_.users, t.requester_id.value(), "user"));
    if (t.assignee_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, t.assignee_id.value(), "user"));
    return Ok();
  }

  State& s_;
};

}  // namespace

MemoryStore::MemoryStore() : state_(std::make_unique<State>()) {}
MemoryStore::~MemoryStore() = default;

Status MemoryStore::Read(const std::function<Status(app::ReadTx&)>& fn) {
  std::shared_lock lock(mu_);
  // Reads get a tx over the shared state; ReadTx offers no method that changes it.
  MemoryTx tx(*state_);
  return fn(tx);
}

Status MemoryStore::Write(const std::function<Status(app::WriteTx&)>& fn) {
  std::unique_lock lock(mu_);
  auto draft = std::make_unique<State>(*state_);  // copy-on-write: swapped in only on success
  MemoryTx tx(*draft);
  Status st = fn(tx);
  if (st) state_ = std::move(draft);
  return st;
}

}  // namespace soporte::storage
