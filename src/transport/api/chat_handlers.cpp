#include "transport/api/chat_handlers.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/this_coro.hpp>

#include "transport/api/codec/chat_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"
#include "transport/api/file_transfer.hpp"
#include "transport/http/cookie.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {

using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;
namespace dchat = domain::chat;

namespace {

bool IsDeskOrigin(std::string_view origin, std::string_view host) {
  if (host.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"})
    if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) &&
        http::EqualsIgnoreCase(origin.substr(scheme.size()), host))
      return true;
  return false;
}

// The WebSocket close codes and error codes the widget translates (docs/api.md).
constexpr std::uint16_t kCloseBadHello = 4400;
constexpr std::uint16_t kCloseNotAllowed = 4403;
constexpr std::uint16_t kCloseSlow = 4408;

// The throttles of frames that are not messages: typing indicators relayed at most once per
// kTypingEvery per socket, read marks stored at most once per kReadMarkEvery per socket.
constexpr std::chrono::milliseconds kTypingEvery{2000};
constexpr std::chrono::milliseconds kReadMarkEvery{1000};

std::string_view FrameCode(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalidArgument: return "invalid";
    case ErrorCode::kFailedPrecondition: return "closed";
    case ErrorCode::kResourceExhausted: return "rate_limited";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied: return "unauthenticated";
    default: return "internal";
  }
}

// The field an error message names ("text: …" → "text"), for the error frame.
std::string_view FieldOf(std::string_view message) {
  const auto colon = message.find(':');
  if (colon == std::string_view::npos || colon > 20) return "";
  return message.substr(0, colon);
}

struct Routes {
  ApiContext& ctx;
  app::ChatService& chats;
  chat::ChatHub& hub;
  ChatRouteOptions options;

  bool Allowed(const Request& rq) const {
    return ChatOriginAllowed(rq.Header("Origin"), rq.Header("Host"), options.origins);
  }

  // The signed-in caller from the session cookie, only for the desk's own origin (a cookie
  // sent along from another site must not act for its owner: cross-site WebSocket hijacking).
  awaitable<app::Principal> CookiePrincipal(const Request& rq, std::string* session = nullptr) {
    if (!IsDeskOrigin(rq.Header("Origin"), rq.Header("Host"))) co_return app::Principal{};
    co_return co_await SessionPrincipal(rq, session);
  }

  // The session cookie's user, whatever the request's origin (callers check that first); nobody
  // without a live session. `session` receives the cookie's token.
  awaitable<app::Principal> SessionPrincipal(const Request& rq, std::string* session = nullptr) {
    auto cookie = http::FindCookie(rq.Header("Cookie"), ctx.options.session_cookie);
    if (!cookie || cookie->empty()) co_return app::Principal{};
    std::string token(*cookie);
    auto who =
        co_await Offload(ctx.ReadPool(), [this, &token] { return ctx.auth.FromSession(token); });
    if (!who) co_return app::Principal{};
    app::Principal p = who->principal;
    p.address = std::string(rq.remote_address);
    if (session != nullptr) *session = token;
    co_return p;
  }

  Response WithCors(const Request& rq, Response r) const {
    const std::string_view origin = rq.Header("Origin");
    if (!origin.empty() && !IsDeskOrigin(origin, rq.Header("Host"))) {
      r.AddHeader("Access-Control-Allow-Origin", std::string(origin));
      r.AddHeader("Vary", "Origin");
    }
    return r;
  }

  awaitable<Response> Open(Request& rq) {
    if (!rq.Header("Origin").empty() && !Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    auto in = codec::ParseChatOpen(rq.body);
    if (!in) co_return WithCors(rq, ErrorOf(in.error()));
    // g++ 12: no temporary may live across a co_await (api_context.hpp, Offload): named values.
    app::Principal signed_in = co_await CookiePrincipal(rq);
    signed_in.address = std::string(rq.remote_address);  // the per-address cap, visitors too
    const app::ChatCaller caller{signed_in, ""};
    std::string origin(rq.Header("Origin"));
    auto opened = co_await Offload(ctx.db_pool, [this, &caller, &in, &origin] {
      return chats.Open(caller, in->name, in->email, origin, in->lang);
    });
    // A cap reached carries its reason and Retry-After (ErrorResponse).
    if (!opened) co_return WithCors(rq, ErrorOf(opened.error()));
    co_return WithCors(rq, Response::Json(201, codec::ChatOpenedJson(opened->chat, opened->token)));
  }

  // The signed-in caller for GET /api/v1/chats/config: as CookiePrincipal, and also a same-origin
  // GET, which browsers send without an Origin (Sec-Fetch-Site says it came from the desk itself).
  awaitable<app::Principal> ConfigPrincipal(const Request& rq) {
    if (rq.Header("Origin").empty() && rq.Header("Sec-Fetch-Site") == "same-origin")
      co_return co_await SessionPrincipal(rq);
    co_return co_await CookiePrincipal(rq);
  }

  // What the widget shows before a chat: staffed now, greeting, colour, the phone for a 24x7
  // customer out of hours (docs/api.md "Live chat").
  awaitable<Response> Config(Request& rq) {
    if (!rq.Header("Origin").empty() && !Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    std::string lang = "es";
    if (const std::string* l = rq.Query("lang")) {
      if (*l != "es" && *l != "en")
        co_return WithCors(rq, ErrorOf({ErrorCode::kInvalidArgument, "lang: must be es or en"}));
      lang = *l;
    }
    app::Principal who = co_await ConfigPrincipal(rq);
    auto config = co_await Offload(ctx.ReadPool(),
                                   [this, &who, &lang] { return chats.WidgetConfig(who, lang); });
    if (!config) co_return WithCors(rq, ErrorOf(config.error()));
    Response r = Response::Json(200, codec::ChatConfigJson(*config));
    r.AddHeader("Cache-Control", "no-store");
    co_return WithCors(rq, std::move(r));
  }

  // A message left out of hours: a ticket (a known customer) or a chat staff will place.
  awaitable<Response> Leave(Request& rq) {
    if (!rq.Header("Origin").empty() && !Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    auto in = codec::ParseLeftMessage(rq.body);
    if (!in) co_return WithCors(rq, ErrorOf(in.error()));
    std::string address(rq.remote_address);
    if (!hub.AllowLeftMessage(address)) {
      Error e{ErrorCode::kResourceExhausted, "too many messages from this address; wait a while"};
      e.retry_after = std::chrono::seconds(60);
      co_return WithCors(rq, ErrorOf(WithReason(std::move(e), "chat_leave_limit")));
    }
    app::Principal signed_in = co_await CookiePrincipal(rq);
    signed_in.address = address;
    const app::ChatCaller caller{signed_in, ""};
    in->origin = std::string(rq.Header("Origin"));
    auto left = co_await Offload(ctx.db_pool,
                                 [this, &caller, &in] { return chats.LeaveMessage(caller, *in); });
    if (!left) co_return WithCors(rq, ErrorOf(left.error()));
    co_return WithCors(rq,
                       Response::Json(left->inserted ? 201 : 200, codec::MessageLeftJson(*left)));
  }

  // A CORS preflight from an allowed site: `methods` with the headers a chat client sends
  // (Authorization carries a visitor's chat token to the file routes).
  awaitable<Response> Preflight(Request& rq, std::string methods = "POST") {
    if (!Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    Response r;
    r.status = 204;
    r.content_type.clear();
    r.AddHeader("Access-Control-Allow-Methods", methods);
    r.AddHeader("Access-Control-Allow-Headers", "Content-Type, Authorization");
    r.AddHeader("Access-Control-Max-Age", "600");
    co_return WithCors(rq, std::move(r));
  }

  // The WebSocket: the first frame is a hello naming the chat (and the token of a visitor);
  // then the missed messages (after the seq the client holds), then live frames both ways.
  awaitable<Response> Upgrade(Request& rq) {
    if (!Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    std::string session;
    app::Principal signed_in = co_await CookiePrincipal(rq, &session);
    // Held by the handler for the socket's life: one allocation.
    struct Opener {
      app::Principal principal;
      std::string address, credential;
    };
    auto opener = std::make_shared<Opener>(
        Opener{std::move(signed_in), std::string(rq.remote_address), std::move(session)});
    Response r = http::ErrorResponse(400, ErrorCode::kInvalidArgument,
                                     "this is a WebSocket endpoint (Upgrade: websocket)");
    r.upgrade = [this, opener](http::WebSocketConn& ws) -> awaitable<void> {
      co_await Session(ws, opener->principal, opener->address, opener->credential);
    };
    co_return r;
  }

  awaitable<void> Session(http::WebSocketConn& ws, const app::Principal& principal,
                          const std::string& address, const std::string& credential) {
    std::string text;
    if (!co_await ws.Read(text)) co_return;
    auto hello = codec::ParseChatFrame(text);
    if (!hello || hello->kind != codec::ChatFrameIn::Kind::kHello) {
      const std::string frame =
          codec::ErrorFrame("invalid", "type", "the first frame must be a hello");
      co_await ws.Write(frame);
      co_await ws.Close(kCloseBadHello, "hello expected");
      co_return;
    }
    // The client's address travels with the caller: the store-side flood limit counts by it.
    app::Principal from = principal;
    from.address = address;
    const app::ChatCaller caller{std::move(from), hello->token};
    const std::int64_t chat_id = hello->chat_id;
    std::string().swap(text);  // an idle socket keeps no copy of its hello (issue 13, part 5)
    auto found = co_await Offload(ctx.ReadPool(),
                                  [this, &caller, chat_id] { return chats.Get(caller, chat_id); });
    if (!found) {
      const std::string frame =
          codec::ErrorFrame(FrameCode(found.error().code), "chat", "no such chat");
      co_await ws.Write(frame);
      co_await ws.Close(kCloseNotAllowed, "not allowed");
      co_return;
    }
    const bool staff = principal.user_id.valid() && principal.staff();
    auto conn = std::make_shared<chat::ChatConnection>(ws.executor(), 64);
    // A logout, a deactivation or an expired session ends this socket (ChatHub::CloseCredential,
    // CloseUser, and the chat-sessions job for expiry and other nodes' logouts).
    if (principal.user_id.valid()) conn->Bind(principal.user_id, credential);
    // The visitor's side present: the chat is not abandoned while a socket of theirs is open.
    if (!staff && hub.VisitorSockets(chat_id, +1) == 1)
      (void)co_await Offload(ctx.db_pool,
                             [this, chat_id] { return chats.VisitorPresence(chat_id, true); });
    // Joined before the history is read (by the writer): nothing published in between is lost.
    hub.Join(chat_id, conn);
    struct Leave {
      chat::ChatHub& hub;
      std::int64_t chat_id;
      std::shared_ptr<chat::ChatConnection> conn;
      ~Leave() {
        hub.Leave(chat_id, conn.get());
        conn->Close();
      }
    } leave{hub, chat_id, conn};
    auto marks = std::make_shared<ReadMarks>();
    std::string ready = codec::ReadyFrame(*found);
    const std::int64_t after = hello->after;
    // This frame lives as long as the socket: what only the start needed is given back (the
    // chat's and the hello's strings), so an idle socket holds less (issue 13, part 5).
    found = dchat::Chat{};
    hello = codec::ChatFrameIn{};
    {
      using namespace boost::asio::experimental::awaitable_operators;
      co_await (Reader(ws, *conn, caller, chat_id, staff, address, marks) ||
                Writer(ws, *conn, caller, chat_id, std::move(ready), after));
    }
    marks->open = false;
    if (marks->pending > marks->written) {  // the last read mark held back by the throttle
      const std::int64_t seq = marks->pending;
      (void)co_await Offload(ctx.db_pool, [this, &caller, chat_id, seq] {
        return chats.MarkRead(caller, chat_id, seq);
      });
    }
    if (!staff && hub.VisitorSockets(chat_id, -1) == 0)
      (void)co_await Offload(ctx.db_pool,
                             [this, chat_id] { return chats.VisitorPresence(chat_id, false); });
  }

  // Read marks of one socket, coalesced: at most one store write per kReadMarkEvery; a mark
  // that arrives sooner is held and written by one delayed flush (only the highest counts).
  // Touched only on the socket's executor.
  struct ReadMarks {
    std::int64_t pending = 0;  // the highest mark the client sent
    std::int64_t written = 0;  // the highest mark stored
    std::chrono::steady_clock::time_point last{};
    bool flush_scheduled = false;
    bool open = true;
  };

  awaitable<void> StoreReadMark(chat::ChatConnection& conn, const app::ChatCaller& caller,
                                std::int64_t chat_id, ReadMarks& marks) {
    const std::int64_t seq = marks.pending;
    marks.last = std::chrono::steady_clock::now();
    auto st = co_await Offload(ctx.db_pool, [this, &caller, chat_id, seq] {
      return chats.MarkRead(caller, chat_id, seq);
    });
    if (st)
      marks.written = std::max(marks.written, seq);
    else
      conn.Send(codec::ErrorFrame(FrameCode(st.error().code), "seq", st.error().message));
  }

  // Waits until the throttle allows the next write, then stores the held mark (if the socket
  // is still open: at its close Session stores it).
  awaitable<void> FlushReadMark(std::shared_ptr<chat::ChatConnection> conn, app::ChatCaller caller,
                                std::int64_t chat_id, std::shared_ptr<ReadMarks> marks) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_at(marks->last + kReadMarkEvery);
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;
    marks->flush_scheduled = false;
    if (!marks->open || marks->pending <= marks->written) co_return;
    co_await StoreReadMark(*conn, caller, chat_id, *marks);
  }

  // Sends the client every message after `sent` from the store, in seq order, and raises `sent`.
  // False when the socket failed. A store that is away sends nothing now (the next gap, or the
  // client's next resume, asks again).
  awaitable<bool> CatchUp(http::WebSocketConn& ws, const app::ChatCaller& caller,
                          std::int64_t chat_id, std::int64_t& sent) {
    for (;;) {
      const std::int64_t after = sent;
      auto missed = co_await Offload(ctx.ReadPool(), [this, &caller, chat_id, after] {
        return chats.Messages(caller, chat_id, after);
      });
      if (!missed || missed->empty()) co_return true;
      for (const auto& m : *missed) {
        if (m.seq <= sent) continue;
        if (!co_await ws.Write(codec::MessageFrame(m))) co_return false;
        sent = m.seq;
      }
      if (sent == after) co_return true;
    }
  }

  // The ready frame, the messages after the client's `after` (read from the store, not queued:
  // a long absence never overflows the live queue), then live frames. Message frames go out in
  // seq order, each once: one at or below the last sent is skipped; one past a gap (a message
  // committed earlier but published later, from another thread) first sends the gap from the
  // store.
  awaitable<void> Writer(http::WebSocketConn& ws, chat::ChatConnection& conn,
                         const app::ChatCaller& caller, std::int64_t chat_id, std::string ready,
                         std::int64_t after) {
    if (!co_await ws.Write(ready)) co_return;
    std::string().swap(ready);  // held for the socket's whole life otherwise
    std::int64_t sent = std::max<std::int64_t>(after, 0);
    if (!co_await CatchUp(ws, caller, chat_id, sent)) co_return;
    std::string frame;
    std::int64_t seq = 0;
    while (co_await conn.Next(frame, seq)) {
      if (seq > 0) {
        if (seq <= sent) continue;
        if (seq > sent + 1) {
          if (!co_await CatchUp(ws, caller, chat_id, sent)) co_return;
          if (seq <= sent) continue;
        }
        sent = seq;
      }
      if (!co_await ws.Write(frame)) co_return;
      std::string().swap(frame);  // nor the last frame sent, while it waits for the next
    }
    co_await ws.Close(kCloseSlow, "reconnect and resume");
  }

  awaitable<void> Reader(http::WebSocketConn& ws, chat::ChatConnection& conn,
                         const app::ChatCaller& caller, std::int64_t chat_id, bool staff,
                         const std::string& address, std::shared_ptr<ReadMarks> marks) {
    std::string text;
    std::chrono::steady_clock::time_point last_typing{};
    while (co_await ws.Read(text)) {
      auto f = codec::ParseChatFrame(text);
      if (!f) {
        conn.Send(codec::ErrorFrame("invalid", FieldOf(f.error().message), f.error().message));
        continue;
      }
      switch (f->kind) {
        case codec::ChatFrameIn::Kind::kHello:
          conn.Send(codec::ErrorFrame("invalid", "type", "hello only once"));
          break;
        case codec::ChatFrameIn::Kind::kTyping: {
          // At most one typing frame per kTypingEvery reaches the other side.
          const auto now = std::chrono::steady_clock::now();
          if (now - last_typing < kTypingEvery) break;
          last_typing = now;
          hub.Broadcast(
              chat_id,
              codec::TypingFrame(staff ? dchat::ChatAuthor::kAgent : dchat::ChatAuthor::kVisitor),
              &conn);
          break;
        }
        case codec::ChatFrameIn::Kind::kRead: {
          // Coalesced: a mark at or below one already sent costs nothing; within kReadMarkEvery
          // of the last write it is held and one delayed flush writes the highest.
          if (f->seq <= marks->pending) break;
          marks->pending = f->seq;
          if (std::chrono::steady_clock::now() - marks->last >= kReadMarkEvery) {
            co_await StoreReadMark(conn, caller, chat_id, *marks);
          } else if (!marks->flush_scheduled) {
            marks->flush_scheduled = true;
            boost::asio::co_spawn(ws.executor(),
                                  FlushReadMark(conn.shared_from_this(), caller, chat_id, marks),
                                  boost::asio::detached);
          }
          break;
        }
        case codec::ChatFrameIn::Kind::kMessage: {
          if (!hub.AllowMessage(chat_id, address)) {
            conn.Send(
                codec::ErrorFrame("rate_limited", "text", "too many messages; wait a moment"));
            break;
          }
          const codec::ChatFrameIn& in = *f;
          auto posted = co_await Offload(ctx.db_pool, [this, &caller, chat_id, &in] {
            return chats.Post(caller, chat_id, in.text, in.client_id, in.files);
          });
          if (!posted) {
            conn.Send(codec::ErrorFrame(FrameCode(posted.error().code),
                                        FieldOf(posted.error().message), posted.error().message));
            break;
          }
          // The sender learns its message's seq (a resend is acknowledged the same way).
          conn.Send(codec::AckFrame(in.client_id, posted->message.seq));
          break;
        }
      }
    }
  }

  // --- files ------------------------------------------------------------------------------------
  // Who calls a file route: a visitor by their chat token (Authorization: Bearer), else the
  // signed-in user by the session cookie (for a POST only from the desk's own origin, as
  // CookiePrincipal; a GET also same-origin without an Origin, as an <img> in the console).
  awaitable<app::ChatCaller> FileCaller(const Request& rq) {
    app::ChatCaller caller;
    caller.principal.address = std::string(rq.remote_address);
    if (const auto token = http::BearerToken(rq.Header("Authorization"))) {
      caller.token = std::string(*token);
      co_return caller;
    }
    // (Two statements: g++ 12 miscompiles co_await inside a conditional expression.)
    app::Principal p;
    if (rq.method == http::Verb::kGet)
      p = co_await ConfigPrincipal(rq);
    else
      p = co_await CookiePrincipal(rq);
    p.address = caller.principal.address;
    caller.principal = std::move(p);
    co_return caller;
  }

  // POST /api/v1/chats/{id}/files: the one upload path (file_transfer.hpp) into a chat; the
  // files wait, unsent, for the uploader's next message naming them.
  awaitable<Response> Upload(Request& rq) {
    if (!rq.Header("Origin").empty() && !Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    auto id = PositiveId(rq.PathParam("id"), "no chat ");
    if (!id) co_return WithCors(rq, ErrorOf(id.error()));
    const std::int64_t chat_id = *id;
    const app::ChatCaller caller = co_await FileCaller(rq);
    if (!caller.principal.user_id.valid() && caller.token.empty())
      co_return WithCors(
          rq, ErrorOf({ErrorCode::kNotFound, "chat " + std::to_string(chat_id) + " not found"}));
    if (!hub.AllowMessage(chat_id, caller.principal.address)) {
      Error e{ErrorCode::kResourceExhausted, "too many messages; wait a moment"};
      e.retry_after = std::chrono::seconds(5);
      co_return WithCors(rq, ErrorOf(e));
    }
    // Authorise before a single byte is stored.
    auto can = co_await Offload(
        ctx.db_pool, [this, &caller, chat_id] { return chats.CheckCanAddFile(caller, chat_id); });
    if (!can) co_return WithCors(rq, ErrorOf(can.error()));
    auto received = co_await ReceiveFiles(rq, ctx, dchat::kMaxChatAttachments);
    if (!received) co_return WithCors(rq, ErrorOf(received.error()));
    auto stored = co_await Offload(ctx.db_pool, [&]() -> Result<std::vector<dchat::ChatFile>> {
      std::vector<dchat::ChatFile> out;
      for (auto& f : *received) {
        SOPORTE_TRY(file, chats.AddFile(caller, chat_id,
                                        app::ChatFileUpload{f.filename, f.content_type, f.blob}));
        out.push_back(std::move(file));
      }
      return out;
    });
    if (!stored) co_return WithCors(rq, ErrorOf(stored.error()));
    co_return WithCors(rq, Response::Json(201, codec::ChatFileListJson(*stored)));
  }

  // GET /api/v1/chats/{id}/files/{file}: a file of the chat, to whoever may read it
  // (app::ChatService::GetFile), with byte ranges.
  awaitable<Response> Download(Request& rq) {
    if (!rq.Header("Origin").empty() && !Allowed(rq))
      co_return http::ErrorResponse(403, ErrorCode::kPermissionDenied,
                                    "this site may not open chats");
    auto id = PositiveId(rq.PathParam("id"), "no chat ");
    if (!id) co_return WithCors(rq, ErrorOf(id.error()));
    auto file_id = PositiveId(rq.PathParam("file"), "no chat file ");
    if (!file_id) co_return WithCors(rq, ErrorOf(file_id.error()));
    const std::int64_t chat_id = *id, fid = *file_id;
    const app::ChatCaller caller = co_await FileCaller(rq);
    auto found =
        co_await Offload(ctx.ReadPool(), [&]() -> Result<std::pair<dchat::ChatFile, std::string>> {
          SOPORTE_TRY(f, chats.GetFile(caller, chat_id, fid));
          SOPORTE_TRY(path, ctx.blobs.PathOf(f.sha256));
          return std::make_pair(std::move(f), std::move(path));
        });
    if (!found) co_return WithCors(rq, ErrorOf(found.error()));
    auto& [f, path] = *found;
    Response r = co_await ServeFile(rq, ctx, std::move(path), f.content_type, f.filename, f.size);
    r.AddHeader("Cache-Control", "private, no-store");
    co_return WithCors(rq, std::move(r));
  }

  // --- the agents' REST moves -----------------------------------------------------------------
  awaitable<Response> List(Request&, const app::Principal& who) {
    auto list = co_await Offload(ctx.ReadPool(), [this, &who] { return chats.ListOpen(who); });
    co_return Encode(list, 200, [](const std::vector<dchat::Chat>& v) {
      return codec::ListJson("chats", v, [](const dchat::Chat& c) { return codec::ChatJson(c); });
    });
  }

  awaitable<Response> Messages(Request& rq, const app::Principal& who) {
    auto id = PositiveId(rq.PathParam("id"), "no chat ");
    if (!id) co_return ErrorOf(id.error());
    std::int64_t after = 0;
    if (const std::string* a = rq.Query("after")) {
      try {
        after = std::stoll(*a);
      } catch (...) {
        co_return ErrorOf({ErrorCode::kInvalidArgument, "after: not a number"});
      }
    }
    const app::ChatCaller caller{who, ""};
    const std::int64_t chat_id = *id;
    auto list = co_await Offload(ctx.ReadPool(), [this, &caller, chat_id, after] {
      return chats.Messages(caller, chat_id, after);
    });
    if (!list) co_return ErrorOf(list.error());
    boost::json::array items;
    for (const auto& m : *list) items.push_back(boost::json::parse(codec::MessageFrame(m)));
    co_return Response::Json(200, codec::Serialize(boost::json::object{{"messages", items}}));
  }

  template <class F>
  awaitable<Response> Move(Request& rq, F f) {
    auto id = PositiveId(rq.PathParam("id"), "no chat ");
    if (!id) co_return ErrorOf(id.error());
    const std::int64_t chat_id = *id;
    auto moved = co_await Offload(ctx.db_pool, [&f, chat_id] { return f(chat_id); });
    co_return Encode(moved, 200, [](const dchat::Chat& c) { return codec::ChatJson(c); });
  }

  awaitable<Response> Ticket(Request& rq, const app::Principal& who) {
    auto id = PositiveId(rq.PathParam("id"), "no chat ");
    if (!id) co_return ErrorOf(id.error());
    auto r = codec::FieldReader::Parse(rq.body);
    if (!r) co_return ErrorOf(r.error());
    auto number = r->Int("number");
    auto crit = r->String("criticality");
    auto subject = r->String("subject");
    auto org = r->String("org");
    auto email = r->String("requester_email");
    if (!number) co_return ErrorOf(number.error());
    if (!crit) co_return ErrorOf(crit.error());
    if (!subject) co_return ErrorOf(subject.error());
    if (!org) co_return ErrorOf(org.error());
    if (!email) co_return ErrorOf(email.error());
    if (auto st = r->Finish(); !st) co_return ErrorOf(st.error());
    const std::int64_t chat_id = *id;
    if (*number) {
      const std::int64_t n = **number;
      auto added = co_await Offload(
          ctx.db_pool, [this, &who, chat_id, n] { return chats.AddToTicket(who, chat_id, n); });
      if (!added) co_return ErrorOf(added.error());
      co_return Response::Json(
          201,
          codec::Serialize(boost::json::object{{"ticket_id", added->article.ticket_id.value()}}));
    }
    auto level = domain::sla::ParseCriticality(crit->value_or("normal"));
    if (!level)
      co_return ErrorOf(
          {ErrorCode::kInvalidArgument, "criticality: normal, important or critical"});
    const domain::sla::Criticality c = *level;
    const std::string s = subject->value_or(""), o = org->value_or(""), e = email->value_or("");
    auto made = co_await Offload(ctx.db_pool, [this, &who, chat_id, c, &s, &o, &e] {
      return chats.ConvertToTicket(who, chat_id, c, s, o, e);
    });
    if (!made) co_return ErrorOf(made.error());
    co_return Response::Json(
        201, codec::Serialize(boost::json::object{{"ticket_id", made->ticket.id.value()},
                                                  {"number", made->ticket.number}}));
  }
};

}  // namespace

bool ChatOriginAllowed(std::string_view origin, std::string_view host,
                       const std::vector<std::string>& allowed) {
  if (origin.empty()) return false;
  if (IsDeskOrigin(origin, host)) return true;
  for (const auto& a : allowed)
    if (http::EqualsIgnoreCase(a, origin)) return true;
  return false;
}

void RegisterChatRoutes(http::Router& router, ApiContext& ctx, app::ChatService& chats,
                        chat::ChatHub& hub, ChatRouteOptions options) {
  // Owned by the routes' handlers (freed with the router; the server stops before that).
  std::shared_ptr<Routes> r(new Routes{ctx, chats, hub, std::move(options)});
  router.Add(http::Verb::kPost, "/api/v1/chats", [r](Request& rq) { return r->Open(rq); },
             {.body_limit = 4 * 1024});
  router.Add(http::Verb::kOptions, "/api/v1/chats", [r](Request& rq) { return r->Preflight(rq); });
  router.Add(http::Verb::kGet, "/api/v1/chats/config", [r](Request& rq) { return r->Config(rq); },
             {.body_limit = 1024});
  router.Add(http::Verb::kPost, "/api/v1/chats/leave", [r](Request& rq) { return r->Leave(rq); },
             {.body_limit = 32 * 1024});
  router.Add(http::Verb::kOptions, "/api/v1/chats/leave",
             [r](Request& rq) { return r->Preflight(rq); });
  http::RouteOptions upload_options;
  upload_options.streaming = true;
  upload_options.body_limit = UploadBodyLimit(ctx);
  router.Add(
      http::Verb::kPost, "/api/v1/chats/{id}/files", [r](Request& rq) { return r->Upload(rq); },
      upload_options);
  router.Add(http::Verb::kOptions, "/api/v1/chats/{id}/files",
             [r](Request& rq) { return r->Preflight(rq); });
  router.Add(http::Verb::kGet, "/api/v1/chats/{id}/files/{file}",
             [r](Request& rq) { return r->Download(rq); }, {.body_limit = 1024});
  router.Add(http::Verb::kOptions, "/api/v1/chats/{id}/files/{file}",
             [r](Request& rq) { return r->Preflight(rq, "GET"); });
  router.Add(http::Verb::kGet, "/chat/ws", [r](Request& rq) { return r->Upgrade(rq); },
             {.body_limit = 1024});
  router.Add(http::Verb::kGet, "/api/v1/chats",
             Authed(ctx, [r](Request& rq, const app::Principal& who) { return r->List(rq, who); }));
  router.Add(http::Verb::kGet, "/api/v1/chats/{id}/customer",
             Authed(ctx, [r](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = PositiveId(rq.PathParam("id"), "no chat ");
               if (!id) co_return ErrorOf(id.error());
               const std::int64_t chat_id = *id;
               Routes* self = r.get();
               auto found = co_await Offload(self->ctx.ReadPool(), [self, &who, chat_id] {
                 return self->chats.Customer(who, chat_id);
               });
               if (!found) co_return ErrorOf(found.error());
               co_return Response::Json(200, codec::ChatCustomerJson(*found));
             }));
  router.Add(
      http::Verb::kGet, "/api/v1/chats/{id}/messages",
      Authed(ctx, [r](Request& rq, const app::Principal& who) { return r->Messages(rq, who); }));
  router.Add(http::Verb::kPost, "/api/v1/chats/{id}/take",
             Authed(ctx, [r](Request& rq, const app::Principal& who) {
               Routes* self = r.get();
               return self->Move(
                   rq, [self, &who](std::int64_t id) { return self->chats.Take(who, id); });
             }));
  router.Add(http::Verb::kPost, "/api/v1/chats/{id}/hand",
             Authed(ctx,
                    [r](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto body = codec::FieldReader::Parse(rq.body);
                      if (!body) co_return ErrorOf(body.error());
                      auto to = body->Int("to", true);
                      if (!to) co_return ErrorOf(to.error());
                      if (auto st = body->Finish(); !st) co_return ErrorOf(st.error());
                      const UserId colleague{**to};
                      Routes* self = r.get();
                      co_return co_await self->Move(rq, [self, &who, colleague](std::int64_t id) {
                        return self->chats.Hand(who, id, colleague);
                      });
                    }),
             {.body_limit = 1024});
  router.Add(http::Verb::kPost, "/api/v1/chats/{id}/close",
             Authed(ctx, [r](Request& rq, const app::Principal& who) {
               Routes* self = r.get();
               return self->Move(rq, [self, &who](std::int64_t id) {
                 return self->chats.Close(app::ChatCaller{who, ""}, id);
               });
             }));
  router.Add(
      http::Verb::kPost, "/api/v1/chats/{id}/ticket",
      Authed(ctx, [r](Request& rq, const app::Principal& who) { return r->Ticket(rq, who); }),
      {.body_limit = 16 * 1024});
}

}  // namespace soporte::transport::api
