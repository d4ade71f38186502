// Live chat use cases (issue 13): a visitor or a portal customer opens a chat and writes; agents
// see the open chats, take one (one agent wins, on any node: a conditional update), answer, hand
// it to a colleague, close it, and turn it into a ticket (channel chat, the transcript as its
// first message, the SLA clock from the chat's first message) or add it to an existing one. A
// chat that waits too long alerts the agents on shift through a due row claimed with a lease
// (RunWaitAlerts, called by a job). Every call is one Store transaction; the service publishes
// each change on the ChatEvents port after the commit (transport/chat fans it out to the
// connections of that chat and to the agents' consoles). Thread-safe; blocks on the store.
#pragma once

#include <map>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/oncall/staffed_hours.hpp"
#include "app/settings/contact_settings.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/clock.hpp"
#include "domain/chat/chat.hpp"

namespace soporte::app {

struct ChatOptions {
  std::int64_t max_waiting = 50;  // chats waiting for an agent at once; past it kResourceExhausted
  // --chat-max-waiting-per-address: chats one client address may have waiting at once (so one
  // address cannot fill max_waiting and lock everyone else out); past it kResourceExhausted.
  std::int64_t max_waiting_per_address = 3;
  // --chat-abandon-seconds: a waiting chat whose visitor has had no socket open this long is
  // closed as abandoned (RunAbandons); 0: never.
  Seconds abandon_after{600};
  Seconds wait_alert{120};  // --chat-wait-alert-seconds; 0: never alert
  int history_limit = 500;  // messages returned by one Messages call at most
  // Flood limits, counted in the store inside the message's own write, so that they hold
  // whichever node takes the message (the ChatHub's counters are one node's first filter):
  int messages_per_chat = 20;     // per flood_window, per chat: its stored messages (a read)
  int messages_per_address = 60;  // per flood_window, per client address (tx.throttle())
  Seconds flood_window{10};
  // Messages left out of hours per client address per left_window (tx.throttle()): each may
  // become a ticket, so far fewer than chat lines.
  int left_messages_per_address = 5;
  Seconds left_window{600};
};

// What changed in a chat, published after the commit. `message` is set for kind "message".
struct ChatEvent {
  std::string
      kind;  // "opened", "message", "taken", "handed", "closed", "read", "ticket", "waiting"
  domain::chat::Chat chat;
  std::optional<domain::chat::ChatMessage> message;
  UserId to_user;  // "waiting" (the wait alert): the agent it is for
};

// Receives ChatEvents; must return at once (no I/O on the caller's thread). Thread-safe.
class ChatEvents {
 public:
  virtual ~ChatEvents() = default;
  virtual void Publish(const ChatEvent& e) = 0;
  // Events may have been lost on the way here (another node's, through the live relay): every
  // live chat view should resume from the store. Returns at once. Does nothing by default.
  virtual void Resync() {}
};

// Who is on the other end of a chat call: a portal/console principal (user_id valid) or a
// visitor holding the token of one chat (`token`).
struct ChatCaller {
  Principal principal;  // user_id invalid for a visitor
  std::string token;    // the chat token a visitor holds ("" for a signed-in user)
};

// What the widget needs before a chat (GET /api/v1/chats/config).
struct ChatWidgetConfig {
  bool staffed = true;   // agents answer now (the chat's staffed hours)
  std::string greeting;  // in the asked language; "" = the widget's own
  std::string color;     // "#rrggbb"; "" = the widget's own
  // The out-of-hours line: only out of hours, and only for a signed-in customer whose
  // organisation holds a 24x7 contract in force with the phone channel; "" otherwise.
  std::string phone;
  std::string name, email;  // the signed-in customer, to prefill the forms; "" for a visitor
};

// A message left out of hours (POST /api/v1/chats/leave).
struct LeftChatMessage {
  std::string name, email;  // a visitor's (ignored for a signed-in customer)
  std::string text;
  std::string client_id;  // chosen by the client: a resend with the same one is stored once
  std::string lang;       // "es" | "en"
  std::string origin;
};

// A file a chat client uploaded (POST /api/v1/chats/{id}/files), its blob already durable.
struct ChatFileUpload {
  std::string filename;      // as the client named it (cleaned when stored)
  std::string content_type;  // sniffed from the bytes
  BlobInfo blob;
};

struct ChatMessageLeft {
  domain::chat::Chat chat;         // the closed or waiting chat holding the message
  std::int64_t ticket_number = 0;  // the ticket it became (0: staff will place it)
  bool inserted = true;            // false: a resend of one already stored
};

// Who the customer in a chat is, for the agent's side panel (their profile, their open tickets).
struct ChatCustomer {
  // "account": the chat's portal customer; "email": a visitor whose typed email is a portal
  // customer's (a claim: nothing vouches for it); "": nobody known (user and org then empty).
  std::string matched_by;
  std::optional<domain::User> user;
  std::optional<domain::Organization> org;
};

class ChatService {
 public:
  // The setting naming the chat's own staffed calendar (a stored calendar's id); absent, empty
  // or 0: the on-call one (StaffedHours::kSettingKey), else the built-in 8x5.
  static constexpr const char* kStaffedCalendarKey = StaffedHours::kChatSettingKey;
  // The shortest client_id of a left message (it is also the key that finds it again).
  static constexpr std::size_t kMinLeftClientId = 16;

  ChatService(Store& store, const TokenService& tokens, const Clock& clock, ChatEvents& events,
              ChatOptions options = {});

  // The staffed hours (app/oncall) that decide whether agents answer now and who is on shift
  // for the wait alert; nullptr: always staffed. Set once at wiring.
  void SetStaffedHours(StaffedHours* staffed) { staffed_ = staffed; }
  // The ticket use cases, for ConvertToTicket and AddToTicket. Set once at wiring.
  void SetTickets(TicketService* tickets) { tickets_ = tickets; }
  // The contact settings (greeting, colour, phone) for WidgetConfig. Set once at wiring.
  void SetContactSettings(const ContactSettingsService* settings) { settings_ = settings; }

  // What the widget shows before a chat (ChatWidgetConfig), for `who` (a visitor: user_id
  // invalid) in `lang` ("en", else Spanish). Fails only when the store does.
  Result<ChatWidgetConfig> WidgetConfig(const Principal& who, const std::string& lang);

  // A message left when no agent answers (issue 13: out of hours). A visitor gives name and
  // email (CheckVisitor); a signed-in customer writes as themselves; staff: kPermissionDenied.
  // The text as a chat message (CheckChatMessage); client_id required, kMinLeftClientId to
  // kMaxChatClientId printable characters (kInvalidArgument naming "client_id").
  // It is stored as a chat holding the message, in one transaction with what follows: when the
  // writer is a signed-in customer, a ticket on channel chat in their organisation (requester
  // them, the message as description, subject its first line), and the chat is closed; a
  // visitor's chat (even one giving a customer's email: nothing vouches for it) waits for an
  // agent, who turns it into a ticket choosing the organisation (as mail from an unknown sender
  // waits for staff). A resend with the
  // same client_id stores nothing and returns the first outcome (inserted = false).
  // kResourceExhausted ("chat_address_limit") when the caller's address already has
  // max_waiting_per_address chats waiting.
  Result<ChatMessageLeft> LeaveMessage(const ChatCaller& who, const LeftChatMessage& in);

  struct Opened {
    domain::chat::Chat chat;
    std::string token;  // the visitor's chat token (shown once); "" for a signed-in customer
  };
  // Opens a chat. A visitor (no user) gives a name and an email (kInvalidArgument naming "name"
  // or "email"); a signed-in customer chats as themselves (an open chat of theirs is returned
  // instead of a new one). Staff may not open chats (kPermissionDenied). kResourceExhausted when
  // max_waiting chats already wait (reason "chat_desk_full"), or max_waiting_per_address from
  // the caller's address (who.principal.address; reason "chat_address_limit"), both with a
  // retry_after.
  Result<Opened> Open(const ChatCaller& who, const std::string& name, const std::string& email,
                      const std::string& origin, const std::string& lang);

  // The chat `chat_id` when `who` may see it: the visitor holding its token, the customer who
  // opened it, or staff. kNotFound otherwise (a token never reveals another chat exists).
  Result<domain::chat::Chat> Get(const ChatCaller& who, std::int64_t chat_id);
  // The chat a visitor's token opens; kUnauthenticated for an unknown token.
  Result<domain::chat::Chat> ByToken(const std::string& token);

  // The messages with seq > `after` (resume after a reconnect), oldest first, at most
  // history_limit. Access as Get.
  Result<std::vector<domain::chat::ChatMessage>> Messages(const ChatCaller& who,
                                                          std::int64_t chat_id, std::int64_t after);

  // Writes a message as `who` (the visitor/customer, or the agent holding the chat; any staff
  // member may write into a waiting chat only by taking it first: kFailedPrecondition). A
  // client_id already stored in this chat returns the stored message (inserted = false) and
  // stores nothing. kInvalidArgument naming the field (CheckChatMessage); kFailedPrecondition on
  // a closed chat.
  // `files`: ids of files the same person uploaded to this chat and has not sent yet (at most
  // kMaxChatAttachments; kInvalidArgument naming "files" otherwise); the text may then be blank.
  Result<AppendedChatMessage> Post(const ChatCaller& who, std::int64_t chat_id,
                                   const std::string& text, const std::string& client_id,
                                   const std::vector<std::int64_t>& files = {});
  // Ok when `who` may upload a file to chat `chat_id` now, checked before a byte is stored: they
  // see it (else kNotFound), it is not closed (kFailedPrecondition), staff hold it (taken by
  // them, kFailedPrecondition), and it has fewer than kMaxChatFiles files (kResourceExhausted,
  // reason "chat_file_limit").
  Status CheckCanAddFile(const ChatCaller& who, std::int64_t chat_id);
  // Records an uploaded file on chat `chat_id` (checked again as CheckCanAddFile), not sent yet:
  // the uploader sends it with a message (Post). The name is cleaned (domain/ticket/file_name).
  Result<domain::chat::ChatFile> AddFile(const ChatCaller& who, std::int64_t chat_id,
                                         const ChatFileUpload& upload);
  // File `file_id` of chat `chat_id` when `who` may read it (domain::chat::CanReadFile, access to
  // the chat as Get); kNotFound otherwise.
  Result<domain::chat::ChatFile> GetFile(const ChatCaller& who, std::int64_t chat_id,
                                         std::int64_t file_id);
  // Raises the caller's side's read mark to `seq`.
  Status MarkRead(const ChatCaller& who, std::int64_t chat_id, std::int64_t seq);

  // Staff only (kPermissionDenied otherwise): the customer of chat `chat_id` (ChatCustomer);
  // kNotFound when the chat is absent.
  Result<ChatCustomer> Customer(const Principal& who, std::int64_t chat_id);
  // Staff only (kPermissionDenied otherwise): the open chats, oldest first (at most 200).
  Result<std::vector<domain::chat::Chat>> ListOpen(const Principal& who);
  // The moves (staff only). Take: kFailedPrecondition when someone else took it first.
  Result<domain::chat::Chat> Take(const Principal& who, std::int64_t chat_id);
  // Hand to another active agent/supervisor/admin (kInvalidArgument naming "to" otherwise).
  Result<domain::chat::Chat> Hand(const Principal& who, std::int64_t chat_id, UserId to);
  // Staff, or the visitor/customer ending their own chat.
  Result<domain::chat::Chat> Close(const ChatCaller& who, std::int64_t chat_id);

  // Turns the chat into a new ticket (staff): channel chat, `criticality`, subject `subject`,
  // the transcript as its description, the files sent in it as its attachments, received at the
  // chat's first message. The requester is
  // the chat's portal customer, else `requester_email` within `org_slug` (kInvalidArgument
  // naming "org" when neither is known). The chat is closed and remembers the ticket.
  Result<TicketView> ConvertToTicket(const Principal& who, std::int64_t chat_id,
                                     sla::Criticality criticality, const std::string& subject,
                                     const std::string& org_slug,
                                     const std::string& requester_email);
  // Adds the transcript to ticket `number` as an internal note, and the files sent in the chat
  // as attachments of that note (staff); closes the chat.
  Result<ArticleView> AddToTicket(const Principal& who, std::int64_t chat_id, std::int64_t number);

  // True when now is within the chat's staffed hours (kStaffedCalendarKey, else the on-call
  // calendar; always true without StaffedHours).
  Result<bool> Staffed();

  // The visitor's side of chat `chat_id` has a socket open (`present`) or its last one left:
  // while present the chat is never abandoned; when it leaves, the chat is closed as abandoned
  // after abandon_after unless the visitor comes back or an agent takes it. One write.
  Status VisitorPresence(std::int64_t chat_id, bool present);

  // The abandon job's step: claims the waiting chats whose visitor left more than abandon_after
  // ago as `node` (lease `lease`), closes each (a system message "abandoned", a "closed" event).
  // Returns how many it closed. Exactly once across nodes: a close by a node that lost the lease,
  // or after the visitor came back, is refused (kAborted) and skipped.
  Result<int> RunAbandons(const std::string& node, Seconds lease, int limit);

  // The wait-alert job's step: claims the due alerts as `node` (lease `lease`), and for each
  // chat still waiting publishes a "waiting" event to each agent on shift, then marks it done.
  // Returns how many chats alerted. Exactly once across nodes: a claim is held until its lease
  // ends and a finish by a node that lost the lease is refused.
  Result<int> RunWaitAlerts(const std::string& node, Seconds lease, int limit);

  // The transcript as text, one line per message ("[14:05 UTC] Ana: hola"), for tickets: the
  // visitor's name, or the agent's or customer's name from `names` (by user id). A message's
  // own line breaks are indented, so no text a visitor typed reads as a line by someone else;
  // each file it sent follows on an indented line of its own ("    📎 log.txt").
  static std::string Transcript(const domain::chat::Chat& chat,
                                const std::vector<domain::chat::ChatMessage>& messages,
                                const std::map<std::int64_t, std::string>& names);

 private:
  // kResourceExhausted (reason chat_address_limit, Retry-After) when `address` already has its
  // share of the chats waiting for an agent.
  Status CheckAddressShare(ReadTx& tx, const std::string& address) const;
  // kResourceExhausted (Retry-After) when message `seq` of chat `chat_id`, just appended at
  // `now` from `address`, is past messages_per_chat or messages_per_address in flood_window
  // (the caller's transaction then rolls back); otherwise counts it for `address`.
  Status CheckFlood(WriteTx& tx, std::int64_t chat_id, std::int64_t seq, const std::string& address,
                    Instant now) const;
  // kResourceExhausted (reason chat_leave_limit) when `address` left left_messages_per_address
  // messages in left_window; otherwise counts this one.
  Status CheckLeftShare(WriteTx& tx, const std::string& address, Instant now) const;
  Result<domain::chat::Chat> Visible(ReadTx& tx, const ChatCaller& who, std::int64_t chat_id);
  Status CanAddFile(ReadTx& tx, const ChatCaller& who, std::int64_t chat_id);
  // Copies the files sent in `messages` onto ticket `t` (on `article` when given).
  Status CopyFiles(WriteTx& tx, const domain::Ticket& t,
                   const std::vector<domain::chat::ChatMessage>& messages,
                   std::optional<ArticleId> article, Instant now);
  Store& store_;
  const TokenService& tokens_;
  const Clock& clock_;
  ChatEvents& events_;
  ChatOptions options_;
  StaffedHours* staffed_ = nullptr;
  TicketService* tickets_ = nullptr;
  const ContactSettingsService* settings_ = nullptr;
};

}  // namespace soporte::app
