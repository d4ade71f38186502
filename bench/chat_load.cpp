// chat_load: the live chat at scale (issue 13, part 5) against a running `soporte serve`, through
// its real HTTP API and WebSockets, like the widget and the agents' console.
//   idle: opens N chats (POST /api/v1/chats), then one WebSocket per chat (GET /chat/ws, the
//         visitor's hello, the ready frame) left idle, in steps; reads the server's VmRSS
//         (/proc/PID/status) before and after each step and prints the resident memory added per
//         idle connection, overall and per step.
//   load: agents log in (POST /api/v1/session) and take C chats; each chat's agent console opens
//         its WebSocket as staff (session cookie, the desk's origin), as the console's
//         conversation page does, and answers each visitor message with a read mark, as the page
//         in view does; each of the C visitors sends one message a second for D seconds, its send
//         time in the text; prints the percentiles of the time from a visitor's send to the
//         agent's socket receiving the message, and the server's CPU meanwhile.
// One io_context on one thread. Bounded: at most kMaxSockets sockets and --seconds in all (past it
// the run stops with exit status 1 naming the phase). Connections come from 127.0.0.2… with
// --per-address each, so the server's per-address caps (connections, waiting chats, messages per
// window) hold as they are. Any failure prints "chat_load: …" and exits 1.
// g++ 12 destroys a temporary that lives across a co_await twice (src/transport/http/offload.hpp):
// coroutines here take what is not trivial by reference, and every co_await names its values.
#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using WsStream = websocket::stream<beast::tcp_stream>;

// Sockets one run may open at most (the process raises its own open-files limit to fit).
constexpr std::size_t kMaxSockets = 30000;
// Setup requests and handshakes in flight at once.
constexpr std::size_t kSetupWidth = 64;
// Agents' sockets come from 127.16.0.0 on, apart from the visitors' 127.0.0.2….
constexpr std::uint32_t kAgentAddressBase = 0x100000;

[[noreturn]] void Die(const std::string& message) {
  std::cout.flush();
  std::cerr << "chat_load: " << message << std::endl;
  std::exit(1);
}

struct Options {
  std::string mode;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int pid = 0;
  std::string origin;
  std::size_t connections = 1000;
  int steps = 4;
  double settle_seconds = 3;
  std::size_t conversations = 1000;
  int duration_seconds = 30;
  std::vector<std::string> agents;
  std::string password;
  std::size_t per_address = 3;
  int seconds = 600;
};

// 127.0.0.0/8 is all loopback: the index-th address after 127.0.0.1.
asio::ip::address_v4 LoopbackAddress(std::uint32_t index) {
  return asio::ip::address_v4((127u << 24) | ((index + 2) & 0xffffff));
}

std::uint64_t ReadRssKib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6));
  Die("no VmRSS in /proc/" + std::to_string(pid) + "/status (is --pid the server?)");
}

// The process's user + system CPU time in clock ticks (/proc/PID/stat fields 14 and 15).
std::uint64_t ReadCpuTicks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) Die("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return utime + stime;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p / 100.0 * sorted.size())));
  return sorted[std::min(rank, sorted.size()) - 1];
}

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Chat {
  std::int64_t id = 0;
  std::string token;
};

struct Agent {
  std::string cookie;  // "soporte_session=…"
  std::string csrf;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::string set_cookie;
};

using Headers = std::vector<std::pair<std::string, std::string>>;
using Job = std::function<awaitable<void>(std::size_t)>;

class Bench {
 public:
  Bench(asio::io_context& ioc, Options o)
      : ioc_(ioc), o_(std::move(o)), server_(asio::ip::make_address(o_.host), o_.port) {}

  // Runs the mode; every socket is closed when it returns.
  awaitable<void> Run() {
    if (o_.mode == "idle")
      co_await Idle();
    else
      co_await Load();
  }

  const std::string& phase() const { return phase_; }

 private:
  // A TCP connection from `from` to the server.
  awaitable<tcp::socket> Dial(asio::ip::address_v4 from) {
    tcp::socket s(co_await asio::this_coro::executor);
    s.open(tcp::v4());
    // The port is chosen at connect, per (source, destination): many sockets per address.
    s.set_option(asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true));
    s.bind(tcp::endpoint(from, 0));
    co_await s.async_connect(server_, use_awaitable);
    s.set_option(tcp::no_delay(true));
    co_return s;
  }

  // One request on its own connection (closed after).
  awaitable<HttpReply> Http(asio::ip::address_v4 from, bhttp::verb verb, const std::string& target,
                            const std::string& body, const Headers& headers) {
    beast::tcp_stream stream(co_await Dial(from));
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, HostHeader());
    req.set(bhttp::field::user_agent, "chat_load");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.keep_alive(false);
    req.prepare_payload();
    co_await bhttp::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    co_await bhttp::async_read(stream, buffer, res, use_awaitable);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return HttpReply{static_cast<int>(res.result_int()), res.body(),
                        std::string(res[bhttp::field::set_cookie])};
  }

  std::string HostHeader() const { return o_.host + ":" + std::to_string(o_.port); }
  std::string DeskOrigin() const { return "http://" + HostHeader(); }

  // f(0..n-1), kSetupWidth at a time.
  struct Batch {
    std::size_t n = 0, next = 0, left = 0;
    const Job* job = nullptr;
    asio::steady_timer* done = nullptr;
  };

  awaitable<void> Worker(Batch* b) {
    while (b->next < b->n) co_await (*b->job)(b->next++);
  }

  // Runs f(0..n-1), kSetupWidth at a time; returns when all have. The first failure ends the run.
  awaitable<void> ForEach(std::size_t n, const Job& f) {
    asio::steady_timer done(ioc_, Clock::time_point::max());
    Batch b{n, 0, std::min(n, kSetupWidth), &f, &done};
    if (b.left == 0) co_return;
    for (std::size_t w = 0; w < std::min(n, kSetupWidth); ++w) {
      asio::co_spawn(ioc_, Worker(&b), [this, &b](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            Die(phase_ + ": " + ex.what());
          }
        }
        if (--b.left == 0) b.done->cancel();
      });
    }
    while (b.left > 0) co_await done.async_wait(asio::as_tuple(use_awaitable));
  }

  awaitable<void> OpenChats(std::size_t n) {
    phase_ = "opening " + std::to_string(n) + " chats (POST /api/v1/chats)";
    chats_.assign(n, Chat{});
    const Job open = [this](std::size_t i) -> awaitable<void> {
      const std::string body = json::serialize(
          json::object{{"name", "Visitante " + std::to_string(i)},
                       {"email", "visitante" + std::to_string(i) + "@example.com"}});
      const std::string target = "/api/v1/chats";
      const Headers headers{{"Origin", o_.origin}};
      auto r = co_await Http(VisitorAddress(i), bhttp::verb::post, target, body, headers);
      if (r.status != 201)
        Die(phase_ + ": chat " + std::to_string(i) + " answered " + std::to_string(r.status) + " " +
            r.body + " (serve with --chat-origins " + o_.origin +
            " and --chat-max-waiting at least " + std::to_string(chats_.size()) + ")");
      auto v = json::parse(r.body).as_object();
      chats_[i].id = v.at("chat").as_object().at("id").as_int64();
      chats_[i].token = std::string(v.at("token").as_string());
    };
    co_await ForEach(n, open);
  }

  asio::ip::address_v4 VisitorAddress(std::size_t i) const {
    return LoopbackAddress(static_cast<std::uint32_t>(i / o_.per_address));
  }
  asio::ip::address_v4 AgentAddress(std::size_t i) const {
    return LoopbackAddress(kAgentAddressBase + static_cast<std::uint32_t>(i / o_.per_address));
  }

  // A WebSocket to /chat/ws from `from`, its hello sent and the ready frame read.
  awaitable<std::unique_ptr<WsStream>> OpenSocket(asio::ip::address_v4 from,
                                                  const std::string& origin,
                                                  const std::string& cookie,
                                                  const std::string& hello) {
    auto ws = std::make_unique<WsStream>(co_await Dial(from));
    ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws->set_option(
        websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
          req.set(bhttp::field::origin, origin);
          if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
        }));
    const std::string host = HostHeader();
    co_await ws->async_handshake(host, "/chat/ws", use_awaitable);
    ws->text(true);
    co_await ws->async_write(asio::buffer(hello), use_awaitable);
    for (;;) {
      beast::flat_buffer buffer;
      co_await ws->async_read(buffer, use_awaitable);
      auto f = json::parse(beast::buffers_to_string(buffer.data())).as_object();
      if (f.at("type").as_string() == "ready") break;
      if (f.at("type").as_string() == "error") Die(phase_ + ": " + json::serialize(f));
    }
    co_return ws;
  }

  // Reads until the socket closes (answers the server's pings meanwhile); counts the closes.
  awaitable<void> Drain(WsStream& ws) {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(use_awaitable));
      if (ec) break;
      buffer.consume(n);
    }
    ++closed_;
  }

  awaitable<void> Pause(double seconds) {
    asio::steady_timer t(
        ioc_, std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
    co_await t.async_wait(use_awaitable);
  }

  std::string VisitorHello(std::size_t i) const {
    return json::serialize(json::object{
        {"type", "hello"}, {"chat", chats_[i].id}, {"token", chats_[i].token}, {"after", 0}});
  }

  // ---- idle ---------------------------------------------------------------------------------
  awaitable<void> Idle() {
    const std::size_t n = o_.connections;
    co_await OpenChats(n);
    co_await Pause(o_.settle_seconds);
    const std::uint64_t before = ReadRssKib(o_.pid);
    std::cout << "idle: " << n << " chats open; server RSS " << before << " KiB before any socket"
              << std::endl;
    sockets_.resize(n);
    std::vector<double> per_step;
    std::uint64_t last = before;
    for (int step = 0; step < o_.steps; ++step) {
      const std::size_t from = n * step / o_.steps, to = n * (step + 1) / o_.steps;
      phase_ = "opening idle WebSockets " + std::to_string(from) + ".." + std::to_string(to);
      const Job connect = [this, from](std::size_t k) -> awaitable<void> {
        const std::size_t i = from + k;
        const std::string hello = VisitorHello(i);
        const std::string no_cookie;
        sockets_[i] = co_await OpenSocket(VisitorAddress(i), o_.origin, no_cookie, hello);
        asio::co_spawn(ioc_, Drain(*sockets_[i]), asio::detached);
      };
      co_await ForEach(to - from, connect);
      phase_ = "idle after step " + std::to_string(step + 1);
      co_await Pause(o_.settle_seconds);
      const std::uint64_t now = ReadRssKib(o_.pid);
      const double added =
          (static_cast<double>(now) - static_cast<double>(last)) / static_cast<double>(to - from);
      per_step.push_back(added);
      std::printf(
          "step %d: %zu idle connections, RSS %llu -> %llu KiB, %.2f KiB per added "
          "connection\n",
          step + 1, to, static_cast<unsigned long long>(last), static_cast<unsigned long long>(now),
          added);
      std::fflush(stdout);
      last = now;
    }
    if (closed_ > 0)
      Die(std::to_string(closed_) + " of " + std::to_string(n) +
          " idle connections were closed by the server (its --max-connections or "
          "--max-connections-per-address, or its open-files limit?)");
    std::vector<double> later(per_step.begin() + (per_step.size() > 1 ? 1 : 0), per_step.end());
    std::sort(later.begin(), later.end());
    std::printf(
        "idle: %zu connections, RSS %llu -> %llu KiB: %.2f KiB per idle connection "
        "(median of steps %s: %.2f)\n",
        n, static_cast<unsigned long long>(before), static_cast<unsigned long long>(last),
        (static_cast<double>(last) - static_cast<double>(before)) / static_cast<double>(n),
        per_step.size() > 1 ? ("2.." + std::to_string(per_step.size())).c_str() : "1",
        later[later.size() / 2]);
    std::fflush(stdout);
    for (auto& s : sockets_) {
      beast::error_code ignored;
      beast::get_lowest_layer(*s).socket().close(ignored);
    }
  }

  // ---- load ---------------------------------------------------------------------------------
  awaitable<void> Login() {
    phase_ = "logging in " + std::to_string(o_.agents.size()) + " agents (POST /api/v1/session)";
    for (std::size_t a = 0; a < o_.agents.size(); ++a) {
      const std::string body =
          json::serialize(json::object{{"email", o_.agents[a]}, {"password", o_.password}});
      const std::string target = "/api/v1/session";
      const Headers headers{{"Origin", DeskOrigin()}};
      auto r =
          co_await Http(AgentAddress(a * o_.per_address), bhttp::verb::post, target, body, headers);
      if (r.status != 200)
        Die(phase_ + ": " + o_.agents[a] + " answered " + std::to_string(r.status) + " " + r.body);
      Agent agent;
      agent.cookie = r.set_cookie.substr(0, r.set_cookie.find(';'));
      agent.csrf = std::string(json::parse(r.body).as_object().at("csrf_token").as_string());
      agents_.push_back(std::move(agent));
    }
  }

  awaitable<void> Load() {
    const std::size_t c = o_.conversations;
    co_await Login();
    co_await OpenChats(c);
    phase_ = "agents taking " + std::to_string(c) + " chats (POST /api/v1/chats/ID/take)";
    const Job take = [this](std::size_t i) -> awaitable<void> {
      const Agent& agent = agents_[i % agents_.size()];
      const std::string target = "/api/v1/chats/" + std::to_string(chats_[i].id) + "/take";
      const std::string no_body;
      const Headers headers{{"Cookie", agent.cookie}, {"X-CSRF-Token", agent.csrf}};
      auto r = co_await Http(AgentAddress(i), bhttp::verb::post, target, no_body, headers);
      if (r.status != 200)
        Die(phase_ + ": chat " + std::to_string(chats_[i].id) + " answered " +
            std::to_string(r.status) + " " + r.body);
    };
    co_await ForEach(c, take);
    phase_ = "opening the agents' and the visitors' WebSockets";
    sockets_.resize(2 * c);
    const Job connect = [this, c](std::size_t i) -> awaitable<void> {
      const Agent& agent = agents_[i % agents_.size()];
      const std::string desk = DeskOrigin();
      const std::string agent_hello =
          json::serialize(json::object{{"type", "hello"}, {"chat", chats_[i].id}, {"after", 0}});
      sockets_[i] = co_await OpenSocket(AgentAddress(i), desk, agent.cookie, agent_hello);
      const std::string visitor_hello = VisitorHello(i);
      const std::string no_cookie;
      sockets_[c + i] = co_await OpenSocket(VisitorAddress(i), o_.origin, no_cookie, visitor_hello);
    };
    co_await ForEach(c, connect);
    for (std::size_t i = 0; i < c; ++i) {
      asio::co_spawn(ioc_, AgentReader(*sockets_[i]), asio::detached);
      asio::co_spawn(ioc_, VisitorReader(*sockets_[c + i]), asio::detached);
    }
    phase_ = "sending for " + std::to_string(o_.duration_seconds) + " s";
    const std::uint64_t rss_before = o_.pid ? ReadRssKib(o_.pid) : 0;
    const std::uint64_t cpu_before = o_.pid ? ReadCpuTicks(o_.pid) : 0;
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(o_.duration_seconds);
    auto senders = std::make_shared<std::size_t>(c);
    auto all_sent = std::make_shared<asio::steady_timer>(ioc_, Clock::time_point::max());
    std::mt19937 rng(13);
    std::uniform_int_distribution<int> offset_ms(0, 999);
    for (std::size_t i = 0; i < c; ++i) {
      asio::co_spawn(
          ioc_, Sender(*sockets_[c + i], i, start + std::chrono::milliseconds(offset_ms(rng)), end),
          [senders, all_sent](std::exception_ptr) {
            if (--*senders == 0) all_sent->cancel();
          });
    }
    co_await all_sent->async_wait(asio::as_tuple(use_awaitable));
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const std::uint64_t cpu_after = o_.pid ? ReadCpuTicks(o_.pid) : 0;
    const std::uint64_t rss_after = o_.pid ? ReadRssKib(o_.pid) : 0;
    // The last messages in flight: at most 5 s more.
    phase_ = "waiting for the last messages";
    for (int i = 0; i < 50 && received_ < sent_; ++i) co_await Pause(0.1);

    std::sort(latencies_ms_.begin(), latencies_ms_.end());
    std::printf(
        "load: %zu conversations, %zu agents, one message a second each for %d s: sent "
        "%zu, received by the agents %zu, errors %zu\n",
        c, agents_.size(), o_.duration_seconds, sent_, received_, errors_);
    std::printf("visitor send -> agent receive, ms: p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
                Percentile(latencies_ms_, 50), Percentile(latencies_ms_, 90),
                Percentile(latencies_ms_, 99), latencies_ms_.empty() ? 0 : latencies_ms_.back());
    if (o_.pid) {
      const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
      std::printf("server: CPU %.0f%% of one core while sending; RSS %llu -> %llu KiB\n",
                  100.0 * static_cast<double>(cpu_after - cpu_before) / ticks / elapsed,
                  static_cast<unsigned long long>(rss_before),
                  static_cast<unsigned long long>(rss_after));
    }
    std::fflush(stdout);
    if (errors_ > 0) Die(std::to_string(errors_) + " error frames (first: " + first_error_ + ")");
    if (closed_ > 0) Die(std::to_string(closed_) + " WebSockets closed during the load");
    if (received_ < sent_)
      Die(std::to_string(sent_ - received_) + " of " + std::to_string(sent_) +
          " messages never reached the agent's console within 5 s");
    for (auto& s : sockets_) {
      beast::error_code ignored;
      beast::get_lowest_layer(*s).socket().close(ignored);
    }
  }

  // One visitor: a message at `first`, then one a second until `end`.
  awaitable<void> Sender(WsStream& ws, std::size_t i, Clock::time_point first,
                         Clock::time_point end) {
    asio::steady_timer timer(ioc_);
    int n = 0;
    for (auto at = first; at < end; at += std::chrono::seconds(1)) {
      timer.expires_at(at);
      co_await timer.async_wait(use_awaitable);
      const std::string frame = json::serialize(
          json::object{{"type", "message"},
                       {"text", "bench " + std::to_string(NowNs())},
                       {"client_id", "b" + std::to_string(i) + "-" + std::to_string(n++)}});
      auto [ec, written] =
          co_await ws.async_write(asio::buffer(frame), asio::as_tuple(use_awaitable));
      if (ec) Die("sending: " + ec.message());
      ++sent_;
    }
  }

  void CountError(const json::object& f) {
    if (errors_++ == 0) first_error_ = json::serialize(f);
  }

  awaitable<void> AgentReader(WsStream& ws) {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(use_awaitable));
      if (ec) break;
      const std::int64_t now = NowNs();
      auto f = json::parse(beast::buffers_to_string(buffer.data())).as_object();
      buffer.consume(n);
      const auto type = f.at("type").as_string();
      if (type == "error") CountError(f);
      if (type != "message" || f.at("author").as_string() != "visitor") continue;
      const std::string text(f.at("text").as_string());
      if (text.rfind("bench ", 0) != 0) continue;
      const std::int64_t sent_at = std::stoll(text.substr(6));
      latencies_ms_.push_back(static_cast<double>(now - sent_at) / 1e6);
      ++received_;
      // As the console in view does (ui/js/pages/chats.js markRead): the visitor's message read.
      const std::string mark =
          json::serialize(json::object{{"type", "read"}, {"seq", f.at("seq").as_int64()}});
      auto [wec, written] =
          co_await ws.async_write(asio::buffer(mark), asio::as_tuple(use_awaitable));
      if (wec) break;
    }
    ++closed_;
  }

  awaitable<void> VisitorReader(WsStream& ws) {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(use_awaitable));
      if (ec) break;
      auto f = json::parse(beast::buffers_to_string(buffer.data())).as_object();
      buffer.consume(n);
      if (f.at("type").as_string() == "error") CountError(f);
    }
    ++closed_;
  }

  asio::io_context& ioc_;
  const Options o_;
  const tcp::endpoint server_;
  std::string phase_ = "starting";
  std::vector<Chat> chats_;
  std::vector<Agent> agents_;
  std::vector<std::unique_ptr<WsStream>> sockets_;
  std::size_t closed_ = 0;
  std::size_t sent_ = 0, received_ = 0, errors_ = 0;
  std::string first_error_;
  std::vector<double> latencies_ms_;
};

// Raises this process's open-files limit to fit `sockets` (and a margin) or fails saying so.
void FitFileLimit(std::size_t sockets) {
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  const rlim_t needed = static_cast<rlim_t>(sockets + 256);
  if (lim.rlim_cur >= needed) return;
  if (lim.rlim_max < needed)
    Die("this needs " + std::to_string(needed) + " open files but the hard limit is " +
        std::to_string(lim.rlim_max) + " (ulimit -Hn)");
  lim.rlim_cur = needed;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) Die("cannot raise the open-files limit");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"chat_load: idle chat connections and chat message latency of soporte serve"};
  app.add_option("mode", o.mode, "idle or load")
      ->required()
      ->check(CLI::IsMember({"idle", "load"}));
  app.add_option("--host", o.host, "the server's address (default 127.0.0.1)");
  app.add_option("--port", o.port, "the server's port")->required();
  app.add_option("--pid", o.pid, "the server's process id (its VmRSS and CPU time are read)");
  app.add_option("--origin", o.origin, "a site the server allows to open chats (--chat-origins)")
      ->required();
  app.add_option("--connections", o.connections, "idle: chat WebSockets to open (default 1000)")
      ->check(CLI::Range(std::size_t{1}, kMaxSockets));
  app.add_option("--steps", o.steps, "idle: in this many steps (default 4)")
      ->check(CLI::Range(1, 100));
  app.add_option("--settle", o.settle_seconds, "idle: seconds to wait before each RSS reading (3)")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--conversations", o.conversations, "load: chats sending (default 1000)")
      ->check(CLI::Range(std::size_t{1}, kMaxSockets / 2));
  app.add_option("--duration", o.duration_seconds, "load: seconds of sending (default 30)")
      ->check(CLI::Range(1, 3600));
  app.add_option("--agent", o.agents, "load: an agent's email (repeatable); chats go round robin");
  app.add_option("--per-address", o.per_address,
                 "connections (and chats) per source address 127.0.0.2… (default 3)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  app.add_option("--seconds", o.seconds, "stop with exit status 1 after this long (default 600)")
      ->check(CLI::Range(1, 7200));
  CLI11_PARSE(app, argc, argv);
  if (o.mode == "idle" && o.pid == 0) Die("idle needs --pid (the server's VmRSS is read)");
  if (o.mode == "load") {
    if (o.agents.empty()) Die("load needs at least one --agent EMAIL");
    const char* password = std::getenv("CHAT_LOAD_PASSWORD");
    if (password == nullptr || *password == '\0')
      Die("load needs the agents' password in CHAT_LOAD_PASSWORD");
    o.password = password;
  }
  FitFileLimit(o.mode == "idle" ? o.connections : 2 * o.conversations);

  asio::io_context ioc(1);
  Bench bench(ioc, o);
  asio::steady_timer limit(ioc, std::chrono::seconds(o.seconds));
  limit.async_wait([&](beast::error_code ec) {
    if (!ec)
      Die("time limit of " + std::to_string(o.seconds) + " s reached while " + bench.phase());
  });
  asio::co_spawn(ioc, bench.Run(), [&limit](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        Die(ex.what());
      }
    }
    limit.cancel();  // run() returns once the closed sockets' readers have ended
  });
  ioc.run();
  return 0;
}
