#include "app/chat/chat_service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <utility>

#include "app/alerts/staff_alerts.hpp"
#include "app/mail/ingest_steps.hpp"
#include "domain/ticket/file_name.hpp"

namespace soporte::app {

namespace chat = domain::chat;

namespace {

Error Hidden(std::int64_t id) {
  return Error{ErrorCode::kNotFound, "chat " + std::to_string(id) + " not found"};
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

ChatService::ChatService(Store& store, const TokenService& tokens, const Clock& clock,
                         ChatEvents& events, ChatOptions options)
    : store_(store), tokens_(tokens), clock_(clock), events_(events), options_(options) {}

Status ChatService::CheckAddressShare(ReadTx& tx, const std::string& address) const {
  SOPORTE_TRY(mine_waiting, tx.chats().CountWaitingChatsFrom(address));
  if (mine_waiting < options_.max_waiting_per_address) return Ok();
  Error e{ErrorCode::kResourceExhausted,
          "too many chats are waiting from this address; wait for an agent"};
  e.retry_after = std::chrono::seconds(30);
  return tl::make_unexpected(WithReason(std::move(e), "chat_address_limit"));
}

Status ChatService::CheckFlood(WriteTx& tx, std::int64_t chat_id, std::int64_t seq,
                               const std::string& address, Instant now) const {
  const Instant since = now - options_.flood_window + Seconds{1};
  auto flooded = [&](Instant oldest) {
    Error e{ErrorCode::kResourceExhausted, "too many messages; wait a moment"};
    e.retry_after = std::max(Seconds{1}, oldest + options_.flood_window - now);
    return tl::make_unexpected(std::move(e));
  };
  // Per chat, from the stored messages (no write): seqs are consecutive, so the message
  // messages_per_chat before this one tells whether the window already holds that many.
  if (seq > options_.messages_per_chat) {
    SOPORTE_TRY(back,
                tx.chats().ListChatMessages(chat_id, seq - options_.messages_per_chat - 1, 1));
    if (!back.empty() && back.front().created_at >= since) return flooded(back.front().created_at);
  }
  if (address.empty()) return Ok();
  std::string key = "chat.address:";
  key += address;
  SOPORTE_TRY(from, tx.throttle().CountFailures(key, since));
  if (from.count >= options_.messages_per_address) return flooded(from.oldest);
  return tx.throttle().RecordFailure(key, now, options_.messages_per_address);
}

Status ChatService::CheckLeftShare(WriteTx& tx, const std::string& address, Instant now) const {
  if (address.empty()) return Ok();
  std::string key = "chat.left:";
  key += address;
  SOPORTE_TRY(left, tx.throttle().CountFailures(key, now - options_.left_window + Seconds{1}));
  if (left.count >= options_.left_messages_per_address) {
    Error e{ErrorCode::kResourceExhausted, "too many messages from this address; wait a while"};
    e.retry_after = std::max(Seconds{1}, left.oldest + options_.left_window - now);
    return tl::make_unexpected(WithReason(std::move(e), "chat_leave_limit"));
  }
  return tx.throttle().RecordFailure(key, now, options_.left_messages_per_address);
}

Result<chat::Chat> ChatService::Visible(ReadTx& tx, const ChatCaller& who, std::int64_t chat_id) {
  if (who.principal.user_id.valid()) {
    auto c = tx.chats().GetChat(chat_id);
    if (!c) return c;
    if (who.principal.staff() || c->user_id == who.principal.user_id) return c;
    return tl::make_unexpected(Hidden(chat_id));
  }
  if (who.token.empty()) return tl::make_unexpected(Hidden(chat_id));
  auto c = tx.chats().FindChatByToken(tokens_.HashToken(who.token));
  // A token opens its own chat only, and never says whether another chat exists.
  if (!c || c->id != chat_id) return tl::make_unexpected(Hidden(chat_id));
  return c;
}

Result<ChatService::Opened> ChatService::Open(const ChatCaller& who, const std::string& name,
                                              const std::string& email, const std::string& origin,
                                              const std::string& lang) {
  if (who.principal.user_id.valid() && who.principal.staff())
    return Fail(ErrorCode::kPermissionDenied, "staff answer chats; they do not open them");
  const Instant now = clock_.Now();
  chat::Chat c;
  c.origin = origin.substr(0, chat::kMaxChatOrigin);
  c.lang = lang == "en" ? "en" : "es";
  c.created_at = now;
  c.opened_from = who.principal.address;
  std::string token;
  if (who.principal.user_id.valid()) {
    c.user_id = who.principal.user_id;
    c.org_id = who.principal.org_id;
    c.visitor_name = who.principal.name.empty() ? who.principal.email : who.principal.name;
    c.visitor_email = who.principal.email;
  } else {
    c.visitor_name = Trim(name);
    c.visitor_email = Lower(Trim(email));
    SOPORTE_TRY_STATUS(chat::CheckVisitor(c.visitor_name, c.visitor_email));
    token = tokens_.NewToken();
    c.token_hash = tokens_.HashToken(token);
  }
  const std::optional<Instant> alert =
      options_.wait_alert.count() > 0
          ? std::optional<Instant>(chat::WaitAlertDue(now, options_.wait_alert))
          : std::nullopt;
  bool fresh = true;
  auto opened = WriteValue(store_, [&](WriteTx& tx) -> Result<chat::Chat> {
    if (c.user_id.valid()) {
      SOPORTE_TRY(mine, tx.chats().ListOpenChatsOfUser(c.user_id));
      if (!mine.empty()) {
        fresh = false;
        return mine.back();
      }
    }
    // The address first: one that fills its own share is told so, and never fills the desk's.
    SOPORTE_TRY_STATUS(CheckAddressShare(tx, c.opened_from));
    SOPORTE_TRY(waiting, tx.chats().CountWaitingChats());
    if (waiting >= options_.max_waiting) {
      Error e{ErrorCode::kResourceExhausted, "too many chats are waiting for an agent"};
      e.retry_after = std::chrono::seconds(30);
      return tl::make_unexpected(WithReason(std::move(e), "chat_desk_full"));
    }
    SOPORTE_TRY(inserted, tx.chats().InsertChat(c, alert));
    // A visitor who never connects leaves the chat abandoned too.
    if (options_.abandon_after.count() > 0)
      SOPORTE_TRY_STATUS(tx.chats().SetChatAbandonDue(inserted.id, now + options_.abandon_after));
    return inserted;
  });
  if (!opened) return tl::make_unexpected(opened.error());
  if (fresh) events_.Publish(ChatEvent{"opened", *opened, std::nullopt, UserId{}});
  return Opened{*opened, token};
}

Result<chat::Chat> ChatService::Get(const ChatCaller& who, std::int64_t chat_id) {
  return ReadValue(store_, [&](ReadTx& tx) { return Visible(tx, who, chat_id); });
}

Result<chat::Chat> ChatService::ByToken(const std::string& token) {
  if (token.empty()) return Fail(ErrorCode::kUnauthenticated, "a chat token is required");
  auto c = ReadValue(
      store_, [&](ReadTx& tx) { return tx.chats().FindChatByToken(tokens_.HashToken(token)); });
  if (!c && c.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kUnauthenticated, "unknown chat token");
  return c;
}

Result<std::vector<chat::ChatMessage>> ChatService::Messages(const ChatCaller& who,
                                                             std::int64_t chat_id,
                                                             std::int64_t after) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<chat::ChatMessage>> {
    SOPORTE_TRY(c, Visible(tx, who, chat_id));
    return tx.chats().ListChatMessages(c.id, std::max<std::int64_t>(after, 0),
                                       options_.history_limit);
  });
}

Result<AppendedChatMessage> ChatService::Post(const ChatCaller& who, std::int64_t chat_id,
                                              const std::string& text, const std::string& client_id,
                                              const std::vector<std::int64_t>& files) {
  SOPORTE_TRY_STATUS(chat::CheckChatMessage(text, client_id, files.size()));
  const Instant now = clock_.Now();
  chat::Chat after;
  auto posted = WriteValue(store_, [&](WriteTx& tx) -> Result<AppendedChatMessage> {
    SOPORTE_TRY(c, Visible(tx, who, chat_id));
    chat::ChatMessage m;
    m.chat_id = c.id;
    m.client_id = client_id;
    m.text = text;
    m.created_at = now;
    if (who.principal.user_id.valid() && who.principal.staff()) {
      if (c.state != chat::ChatState::kTaken || c.taken_by != who.principal.user_id) {
        if (c.state == chat::ChatState::kClosed) SOPORTE_TRY_STATUS(chat::CanPost(c));
        return Fail(ErrorCode::kFailedPrecondition,
                    "chat " + std::to_string(c.id) + ": take the chat before answering");
      }
      m.author = chat::ChatAuthor::kAgent;
      m.author_id = who.principal.user_id;
    } else {
      m.author = chat::ChatAuthor::kVisitor;
      m.author_id = who.principal.user_id;
    }
    for (std::int64_t id : files) {
      auto f = tx.chats().GetChatFile(id);
      if (!f && f.error().code == ErrorCode::kNotFound)
        return Fail(ErrorCode::kInvalidArgument,
                    "files: file " + std::to_string(id) + " is unknown");
      if (!f) return tl::make_unexpected(f.error());
      SOPORTE_TRY_STATUS(chat::CanSendFile(*f, c.id, m.author, m.author_id));
      m.files.push_back(std::move(*f));
    }
    if (c.state == chat::ChatState::kClosed) {
      // A resend of a message stored before the close was accepted then: answer it again.
      // Paged: a long chat is never loaded at once.
      for (std::int64_t after_seq = 0; !client_id.empty();) {
        SOPORTE_TRY(page, tx.chats().ListChatMessages(c.id, after_seq, 500));
        if (page.empty()) break;
        for (auto& o : page)
          if (o.client_id == client_id) return AppendedChatMessage{std::move(o), false};
        after_seq = page.back().seq;
      }
      SOPORTE_TRY_STATUS(chat::CanPost(c));
    }
    SOPORTE_TRY(appended, tx.chats().AppendChatMessage(m));
    if (appended.inserted) {  // a resend answered again is no new message
      SOPORTE_TRY_STATUS(CheckFlood(tx, c.id, appended.message.seq, who.principal.address, now));
    }
    SOPORTE_TRY(now_chat, tx.chats().GetChat(c.id));
    after = std::move(now_chat);
    return appended;
  });
  if (posted && posted->inserted)
    events_.Publish(ChatEvent{"message", after, posted->message, UserId{}});
  return posted;
}

Status ChatService::CanAddFile(ReadTx& tx, const ChatCaller& who, std::int64_t chat_id) {
  SOPORTE_TRY(c, Visible(tx, who, chat_id));
  SOPORTE_TRY_STATUS(chat::CanPost(c));
  if (who.principal.user_id.valid() && who.principal.staff() &&
      (c.state != chat::ChatState::kTaken || c.taken_by != who.principal.user_id))
    return Fail(ErrorCode::kFailedPrecondition,
                "chat " + std::to_string(c.id) + ": take the chat before sending files");
  SOPORTE_TRY(count, tx.chats().CountChatFiles(c.id));
  if (count >= chat::kMaxChatFiles) {
    Error e{ErrorCode::kResourceExhausted,
            "files: at most " + std::to_string(chat::kMaxChatFiles) + " files per chat"};
    return tl::make_unexpected(WithReason(std::move(e), "chat_file_limit"));
  }
  return Ok();
}

Status ChatService::CheckCanAddFile(const ChatCaller& who, std::int64_t chat_id) {
  return store_.Read([&](ReadTx& tx) { return CanAddFile(tx, who, chat_id); });
}

Result<chat::ChatFile> ChatService::AddFile(const ChatCaller& who, std::int64_t chat_id,
                                            const ChatFileUpload& upload) {
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<chat::ChatFile> {
    SOPORTE_TRY_STATUS(CanAddFile(tx, who, chat_id));
    chat::ChatFile f;
    f.chat_id = chat_id;
    f.sha256 = upload.blob.sha256;
    f.size = upload.blob.size;
    f.filename = domain::CleanFileName(upload.filename, "archivo");
    f.content_type = upload.content_type;
    const bool staff = who.principal.user_id.valid() && who.principal.staff();
    f.author = staff ? chat::ChatAuthor::kAgent : chat::ChatAuthor::kVisitor;
    f.author_id = who.principal.user_id;
    f.created_at = now;
    return tx.chats().InsertChatFile(std::move(f));
  });
}

Result<chat::ChatFile> ChatService::GetFile(const ChatCaller& who, std::int64_t chat_id,
                                            std::int64_t file_id) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<chat::ChatFile> {
    SOPORTE_TRY(c, Visible(tx, who, chat_id));
    const Error hidden{ErrorCode::kNotFound, "chat file " + std::to_string(file_id) + " not found"};
    auto f = tx.chats().GetChatFile(file_id);
    if (!f && f.error().code != ErrorCode::kNotFound) return f;
    const bool staff = who.principal.user_id.valid() && who.principal.staff();
    if (!f || f->chat_id != c.id || !chat::CanReadFile(*f, staff))
      return tl::make_unexpected(hidden);
    return f;
  });
}

Status ChatService::MarkRead(const ChatCaller& who, std::int64_t chat_id, std::int64_t seq) {
  chat::Chat after;
  Status st = store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY(c, Visible(tx, who, chat_id));
    const auto side = who.principal.user_id.valid() && who.principal.staff()
                          ? chat::ChatAuthor::kAgent
                          : chat::ChatAuthor::kVisitor;
    SOPORTE_TRY_STATUS(tx.chats().MarkChatRead(c.id, side, seq));
    SOPORTE_TRY(now_chat, tx.chats().GetChat(c.id));
    after = std::move(now_chat);
    return Ok();
  });
  if (st) events_.Publish(ChatEvent{"read", after, std::nullopt, UserId{}});
  return st;
}

Result<ChatCustomer> ChatService::Customer(const Principal& who, std::int64_t chat_id) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  return ReadValue(store_, [&](ReadTx& tx) -> Result<ChatCustomer> {
    SOPORTE_TRY(c, tx.chats().GetChat(chat_id));
    ChatCustomer out;
    if (c.user_id.valid()) {
      SOPORTE_TRY(u, tx.accounts().GetUser(c.user_id));
      out.user = std::move(u);
      out.matched_by = "account";
    } else if (!c.visitor_email.empty()) {
      auto u = tx.accounts().GetUserByEmail(Lower(Trim(c.visitor_email)));
      if (!u && u.error().code != ErrorCode::kNotFound) return tl::make_unexpected(u.error());
      if (u && u->role == domain::Role::kCustomer && u->org_id.valid()) {
        out.user = std::move(*u);
        out.matched_by = "email";
      }
    }
    if (out.user && out.user->org_id.valid()) {
      SOPORTE_TRY(org, tx.orgs().GetOrg(out.user->org_id));
      out.org = std::move(org);
    }
    return out;
  });
}

Result<std::vector<chat::Chat>> ChatService::ListOpen(const Principal& who) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  return ReadValue(store_, [&](ReadTx& tx) { return tx.chats().ListOpenChats(200); });
}

Result<chat::Chat> ChatService::Take(const Principal& who, std::int64_t chat_id) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  const Instant now = clock_.Now();
  auto taken = WriteValue(store_, [&](WriteTx& tx) -> Result<chat::Chat> {
    SOPORTE_TRY(c, tx.chats().TakeChat(chat_id, who.user_id, now));
    chat::ChatMessage note;
    note.chat_id = c.id;
    note.author = chat::ChatAuthor::kSystem;
    note.author_id = who.user_id;
    note.text = "taken";  // a marker the clients translate ("Luis se unió al chat")
    note.created_at = now;
    SOPORTE_TRY(appended, tx.chats().AppendChatMessage(note));
    (void)appended;
    return tx.chats().GetChat(c.id);
  });
  if (taken) events_.Publish(ChatEvent{"taken", *taken, std::nullopt, UserId{}});
  return taken;
}

Result<chat::Chat> ChatService::Hand(const Principal& who, std::int64_t chat_id, UserId to) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  const Instant now = clock_.Now();
  auto handed = WriteValue(store_, [&](WriteTx& tx) -> Result<chat::Chat> {
    auto colleague = tx.accounts().GetUser(to);
    if (!colleague || !colleague->active || !domain::IsStaff(colleague->role))
      return Fail(ErrorCode::kInvalidArgument, "to: not an active agent");
    return tx.chats().HandChat(chat_id, who.user_id, to, now);
  });
  if (handed) events_.Publish(ChatEvent{"handed", *handed, std::nullopt, UserId{}});
  return handed;
}

Result<chat::Chat> ChatService::Close(const ChatCaller& who, std::int64_t chat_id) {
  const Instant now = clock_.Now();
  auto closed = WriteValue(store_, [&](WriteTx& tx) -> Result<chat::Chat> {
    SOPORTE_TRY(c, Visible(tx, who, chat_id));
    return tx.chats().CloseChat(c.id, now);
  });
  if (closed) events_.Publish(ChatEvent{"closed", *closed, std::nullopt, UserId{}});
  return closed;
}

namespace {

// The names of the users who wrote `messages` (agents, portal customers), by id.
Result<std::map<std::int64_t, std::string>> AuthorNames(
    WriteTx& tx, const std::vector<chat::ChatMessage>& messages) {
  std::map<std::int64_t, std::string> names;
  for (const auto& m : messages) {
    if (!m.author_id.valid() || names.contains(m.author_id.value())) continue;
    SOPORTE_TRY(user, tx.accounts().GetUser(m.author_id));
    names[m.author_id.value()] = user.name;
  }
  return names;
}

}  // namespace

std::string ChatService::Transcript(const chat::Chat& c,
                                    const std::vector<chat::ChatMessage>& messages,
                                    const std::map<std::int64_t, std::string>& names) {
  std::string out;
  for (const auto& m : messages) {
    if (m.author == chat::ChatAuthor::kSystem) continue;
    const auto t = std::chrono::floor<std::chrono::minutes>(m.created_at);
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::hh_mm_ss hms{t - day};
    char when[16];
    std::snprintf(when, sizeof when, "[%02d:%02d UTC] ", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    out += when;
    const auto named = names.find(m.author_id.value());
    out += named != names.end() ? named->second : c.visitor_name;
    out += ": ";
    for (char ch : m.text) {
      out += ch;
      if (ch == '\n') out += "    ";
    }
    out += '\n';
    for (const auto& f : m.files) out += "    \xF0\x9F\x93\x8E " + f.filename + "\n";  // 📎
  }
  return out;
}

Status ChatService::CopyFiles(WriteTx& tx, const domain::Ticket& t,
                              const std::vector<chat::ChatMessage>& messages,
                              std::optional<ArticleId> article, Instant now) {
  for (const auto& m : messages) {
    for (const auto& f : m.files) {
      // A visitor is no user: their files are the requester's on the ticket.
      const UserId by = f.author_id.valid() ? f.author_id : t.requester_id;
      SOPORTE_TRY(
          a, tickets_->AttachInTx(
                 tx, t, AttachmentUpload{f.filename, f.content_type, BlobInfo{f.sha256, f.size}},
                 by, article, now));
      (void)a;
    }
  }
  return Ok();
}

Result<TicketView> ChatService::ConvertToTicket(const Principal& who, std::int64_t chat_id,
                                                sla::Criticality criticality,
                                                const std::string& subject,
                                                const std::string& org_slug,
                                                const std::string& requester_email) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  if (!tickets_) return Fail(ErrorCode::kInternal, "chat: no ticket service");
  const Instant now = clock_.Now();
  chat::Chat after;
  auto made = WriteValue(store_, [&](WriteTx& tx) -> Result<TicketView> {
    SOPORTE_TRY(c, tx.chats().GetChat(chat_id));
    if (c.ticket_id.valid())
      return Fail(ErrorCode::kFailedPrecondition,
                  "chat " + std::to_string(chat_id) + " already has a ticket");
    SOPORTE_TRY(messages, tx.chats().ListChatMessages(c.id, 0, 100000));
    NewTicket in;
    in.criticality = criticality;
    in.channel = sla::Channel::kChat;
    in.subject = Trim(subject);
    SOPORTE_TRY(names, AuthorNames(tx, messages));
    in.description = Transcript(c, messages, names);
    if (c.user_id.valid()) {
      SOPORTE_TRY(user, tx.accounts().GetUser(c.user_id));
      SOPORTE_TRY(org, tx.orgs().GetOrg(user.org_id));
      in.org_slug = org.slug;
      in.requester_email = user.email;
    } else {
      if (Trim(org_slug).empty())
        return Fail(ErrorCode::kInvalidArgument, "org: choose the visitor's organisation");
      in.org_slug = Trim(org_slug);
      in.requester_email = Lower(Trim(requester_email.empty() ? c.visitor_email : requester_email));
    }
    // The SLA clock runs from the chat's first message (domain::chat::ClockStart).
    in.received_at = chat::ClockStart(c);
    SOPORTE_TRY(checked, domain::CheckNewTicket(in, domain::Actor::kStaff, now, TicketLimits{}));
    SOPORTE_TRY(view, tickets_->CreateInTx(tx, who, checked.request, sla::Channel::kChat,
                                           checked.received, now));
    SOPORTE_TRY_STATUS(CopyFiles(tx, view.ticket, messages, std::nullopt, now));
    SOPORTE_TRY_STATUS(tx.chats().SetChatTicket(c.id, view.ticket.id));
    if (c.state != chat::ChatState::kClosed) {
      SOPORTE_TRY(closed, tx.chats().CloseChat(c.id, now));
      (void)closed;
    }
    SOPORTE_TRY(now_chat, tx.chats().GetChat(c.id));
    after = std::move(now_chat);
    return view;
  });
  if (made) {
    tickets_->AnnounceChange(made->ticket.number, made->ticket.org_id, "created");
    events_.Publish(ChatEvent{"ticket", after, std::nullopt, UserId{}});
  }
  return made;
}

Result<ArticleView> ChatService::AddToTicket(const Principal& who, std::int64_t chat_id,
                                             std::int64_t number) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  if (!tickets_) return Fail(ErrorCode::kInternal, "chat: no ticket service");
  const Instant now = clock_.Now();
  chat::Chat after;
  OrgId ticket_org;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<ArticleView> {
    SOPORTE_TRY(c, tx.chats().GetChat(chat_id));
    if (c.ticket_id.valid())
      return Fail(ErrorCode::kFailedPrecondition,
                  "chat " + std::to_string(chat_id) + " already has a ticket");
    SOPORTE_TRY(messages, tx.chats().ListChatMessages(c.id, 0, 100000));
    SOPORTE_TRY(names, AuthorNames(tx, messages));
    SOPORTE_TRY(view, tickets_->AddArticleInTx(tx, who, number, Transcript(c, messages, names),
                                               true, sla::Channel::kChat, now));
    SOPORTE_TRY(ticket, tx.tickets().GetTicket(view.article.ticket_id));
    ticket_org = ticket.org_id;
    SOPORTE_TRY_STATUS(CopyFiles(tx, ticket, messages, view.article.id, now));
    SOPORTE_TRY_STATUS(tx.chats().SetChatTicket(c.id, view.article.ticket_id));
    if (c.state != chat::ChatState::kClosed) {
      SOPORTE_TRY(closed, tx.chats().CloseChat(c.id, now));
      (void)closed;
    }
    SOPORTE_TRY(now_chat, tx.chats().GetChat(c.id));
    after = std::move(now_chat);
    return view;
  });
  if (added) {
    tickets_->AnnounceChange(number, ticket_org, "note");  // the transcript is an internal note
    events_.Publish(ChatEvent{"ticket", after, std::nullopt, UserId{}});
  }
  return added;
}

Result<bool> ChatService::Staffed() {
  if (!staffed_) return true;
  const Instant now = clock_.Now();
  return ReadValue(store_,
                   [&](ReadTx& tx) { return staffed_->IsStaffed(tx, now, kStaffedCalendarKey); });
}

Result<ChatWidgetConfig> ChatService::WidgetConfig(const Principal& who, const std::string& lang) {
  ChatWidgetConfig out;
  if (settings_) {
    SOPORTE_TRY(contact, settings_->Get());
    out.greeting = lang == "en" ? contact.chat_greeting_en : contact.chat_greeting_es;
    out.color = contact.chat_color;
    out.phone = contact.phone;
  }
  const Instant now = clock_.Now();
  const bool customer = who.user_id.valid() && !who.staff();
  if (customer) {
    out.name = who.name;
    out.email = who.email;
  }
  SOPORTE_TRY(facts, ReadValue(store_, [&](ReadTx& tx) -> Result<std::pair<bool, bool>> {
                bool staffed = true;
                if (staffed_) {
                  SOPORTE_TRY(open, staffed_->IsStaffed(tx, now, kStaffedCalendarKey));
                  staffed = open;
                }
                // The phone is for customers of a 24x7 contract in force with the phone line.
                bool line = false;
                if (customer && !staffed) {
                  SOPORTE_TRY(contracts, tx.orgs().ListContracts(who.org_id));
                  for (const auto& c : contracts)
                    if (c.modality == sla::Modality::k24x7 &&
                        domain::CheckContractAccepts(c, sla::Channel::kPhone, now))
                      line = true;
                }
                return std::pair{staffed, line};
              }));
  out.staffed = facts.first;
  if (!facts.second) out.phone.clear();
  return out;
}

namespace {

// The token a left message's chat is found by again: its client id, as a chat token (hashed
// like one; kMinLeftClientId makes it as hard to guess).
std::string LeftToken(const std::string& client_id) { return "left:" + client_id; }

// The subject of the ticket a left message becomes: its first non-blank line, at most 120 bytes.
std::string SubjectOf(const std::string& text) {
  std::string line;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = std::min(text.find('\n', at), text.size());
    line = Trim(text.substr(at, end - at));
    if (!line.empty()) break;
    at = end + 1;
  }
  if (line.size() > 120) line = ingest::CutUtf8(line, 117) + "…";
  return line;
}

}  // namespace

Result<ChatMessageLeft> ChatService::LeaveMessage(const ChatCaller& who,
                                                  const LeftChatMessage& in) {
  const Principal& p = who.principal;
  if (p.user_id.valid() && p.staff())
    return Fail(ErrorCode::kPermissionDenied, "staff answer chats; they do not leave messages");
  if (in.client_id.empty()) return Fail(ErrorCode::kInvalidArgument, "client_id: required");
  if (in.client_id.size() < kMinLeftClientId)
    return Fail(ErrorCode::kInvalidArgument,
                "client_id: at least " + std::to_string(kMinLeftClientId) + " characters");
  SOPORTE_TRY_STATUS(chat::CheckChatMessage(in.text, in.client_id, 0));
  if (Trim(in.text).empty()) return Fail(ErrorCode::kInvalidArgument, "text: write a message");
  const Instant now = clock_.Now();
  chat::Chat c;
  c.origin = in.origin.substr(0, chat::kMaxChatOrigin);
  c.lang = in.lang == "en" ? "en" : "es";
  c.created_at = now;
  c.opened_from = p.address;
  c.token_hash = tokens_.HashToken(LeftToken(in.client_id));
  if (p.user_id.valid()) {
    c.user_id = p.user_id;
    c.org_id = p.org_id;
    c.visitor_name = p.name.empty() ? p.email : p.name;
    c.visitor_email = p.email;
  } else {
    c.visitor_name = Trim(in.name);
    c.visitor_email = Lower(Trim(in.email));
    SOPORTE_TRY_STATUS(chat::CheckVisitor(c.visitor_name, c.visitor_email));
  }
  std::optional<ChatEvent> event;
  auto left = WriteValue(store_, [&](WriteTx& tx) -> Result<ChatMessageLeft> {
    event.reset();
    // A resend: the first outcome, nothing stored.
    auto before = tx.chats().FindChatByToken(c.token_hash);
    if (before) {
      ChatMessageLeft out{*before, 0, false};
      if (before->ticket_id.valid()) {
        SOPORTE_TRY(t, tx.tickets().GetTicket(before->ticket_id));
        out.ticket_number = t.number;
      }
      return out;
    }
    if (before.error().code != ErrorCode::kNotFound) return tl::make_unexpected(before.error());
    SOPORTE_TRY_STATUS(CheckLeftShare(tx, c.opened_from, now));
    SOPORTE_TRY_STATUS(CheckAddressShare(tx, c.opened_from));
    SOPORTE_TRY(inserted, tx.chats().InsertChat(c, std::nullopt));
    chat::ChatMessage m;
    m.chat_id = inserted.id;
    m.author = chat::ChatAuthor::kVisitor;
    m.author_id = c.user_id;
    m.client_id = in.client_id;
    m.text = in.text;
    m.created_at = now;
    SOPORTE_TRY(appended, tx.chats().AppendChatMessage(m));
    (void)appended;
    // A ticket at once only for the signed-in customer. A visitor's email is a claim anyone can
    // type (nothing like mail's SPF/DKIM vouches for it): a ticket in a customer's name, with its
    // SLA clock, from any page would let anyone file as them. Staff place it (and see the claim).
    std::optional<domain::User> customer;
    if (c.user_id.valid()) {
      SOPORTE_TRY(u, tx.accounts().GetUser(c.user_id));
      customer = u;
    }
    ChatMessageLeft out{inserted, 0, true};
    if (customer && tickets_) {
      NewTicket nt;
      nt.channel = sla::Channel::kChat;
      nt.subject = SubjectOf(in.text);
      nt.description = in.text;
      auto checked = domain::CheckNewTicket(nt, domain::Actor::kCustomer, now, TicketLimits{});
      Result<TicketView> view =
          checked ? tickets_->CreateInTx(tx, PrincipalOf(*customer), checked->request,
                                         sla::Channel::kChat, now, now)
                  : tl::make_unexpected(checked.error());
      if (view) {
        SOPORTE_TRY_STATUS(tx.chats().SetChatTicket(inserted.id, view->ticket.id));
        SOPORTE_TRY(closed, tx.chats().CloseChat(inserted.id, now));
        out.chat = closed;
        out.ticket_number = view->ticket.number;
        out.chat.ticket_id = view->ticket.id;
        event = ChatEvent{"ticket", out.chat, std::nullopt, UserId{}};
        return out;
      }
      // A contract that refuses chat, say: staff place it, as mail refused as a ticket.
      if (ingest::IsTransient(view.error().code)) return tl::make_unexpected(view.error());
    }
    SOPORTE_TRY(now_chat, tx.chats().GetChat(inserted.id));
    out.chat = now_chat;
    event = ChatEvent{"opened", out.chat, std::nullopt, UserId{}};
    return out;
  });
  if (left && event) events_.Publish(*event);
  return left;
}

Status ChatService::VisitorPresence(std::int64_t chat_id, bool present) {
  if (options_.abandon_after.count() <= 0) return Ok();
  const std::optional<Instant> due =
      present ? std::nullopt : std::optional<Instant>(clock_.Now() + options_.abandon_after);
  return store_.Write(
      [&](WriteTx& tx) -> Status { return tx.chats().SetChatAbandonDue(chat_id, due); });
}

Result<int> ChatService::RunAbandons(const std::string& node, Seconds lease, int limit) {
  const Instant now = clock_.Now();
  SOPORTE_TRY(claims, WriteValue(store_, [&](WriteTx& tx) {
                return tx.chats().ClaimAbandonedChats(now, node, now + lease, limit);
              }));
  int closed = 0;
  for (const std::int64_t id : claims) {
    const Instant at = clock_.Now();
    auto done = WriteValue(store_, [&](WriteTx& tx) -> Result<chat::Chat> {
      SOPORTE_TRY(c, tx.chats().AbandonChat(id, node, at));
      chat::ChatMessage note;
      note.chat_id = c.id;
      note.author = chat::ChatAuthor::kSystem;
      note.text = "abandoned";  // a marker the clients translate ("El visitante se fue")
      note.created_at = at;
      SOPORTE_TRY(appended, tx.chats().AppendChatMessage(note));
      (void)appended;
      return tx.chats().GetChat(c.id);
    });
    if (!done) continue;  // taken, the visitor came back, or another node holds it now
    events_.Publish(ChatEvent{"closed", *done, std::nullopt, UserId{}});
    ++closed;
  }
  return closed;
}

Result<int> ChatService::RunWaitAlerts(const std::string& node, Seconds lease, int limit) {
  const Instant now = clock_.Now();
  SOPORTE_TRY(claims, WriteValue(store_, [&](WriteTx& tx) {
                return tx.chats().ClaimChatWaitAlerts(now, node, now + lease, limit);
              }));
  int alerted = 0;
  for (const auto& claim : claims) {
    std::vector<domain::User> people;
    chat::Chat c;
    Status st = store_.Write([&](WriteTx& tx) -> Status {
      SOPORTE_TRY(got, tx.chats().GetChat(claim.chat_id));
      c = got;
      if (c.state == chat::ChatState::kWaiting) {
        SOPORTE_TRY(on_shift, AgentsOnShift(tx, now, staffed_));
        people = std::move(on_shift);
      }
      return tx.chats().FinishChatWaitAlert(claim.chat_id, node, clock_.Now());
    });
    if (!st) continue;  // another node holds it now (its lease ran out): that node alerts
    for (const auto& u : people) events_.Publish(ChatEvent{"waiting", c, std::nullopt, u.id});
    alerted += people.empty() ? 0 : 1;
  }
  return alerted;
}

}  // namespace soporte::app
