// The listener: binds, accepts, hands each connection to the next io context (SpreadSessions)
// and stops gracefully. A session's loop is in server_session.cpp, its writes in server_write.cpp.
#include "transport/http/server.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <fmt/format.h>

#include "common/check.hpp"
#include "transport/http/server_impl.hpp"

namespace soporte::transport::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using server_detail::Clock;
using server_detail::kTuple;
using server_detail::Session;

namespace {

// The pause after a failed accept, doubling while accepts keep failing.
constexpr std::chrono::milliseconds kFirstAcceptPause{5};
constexpr std::chrono::milliseconds kLongestAcceptPause{1000};

}  // namespace

asio::awaitable<void> HttpServer::Impl::Accept() {
  std::chrono::milliseconds pause{0};
  std::int64_t failures = 0;  // in a row
  for (;;) {
    asio::io_context& home = session_contexts.empty()
                                 ? ioc
                                 : *session_contexts[next_context++ % session_contexts.size()];
    auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(home), kTuple);
    if (stopping.load()) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) co_return;
      // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS): the connection stays queued and
      // an accept at once fails again. Accepting on at once spun a core and wrote this line
      // thousands of times a second; instead pause (5 ms, doubling up to 1 s) and say it once.
      if (failures++ == 0) {
        LogError(fmt::format("accept: {}; accepting again after a pause", ec.message()));
      }
      pause = pause.count() == 0 ? kFirstAcceptPause : std::min(2 * pause, kLongestAcceptPause);
      accept_pause->expires_after(pause);
      (void)co_await accept_pause->async_wait(kTuple);
      continue;
    }
    if (failures > 0) {
      LogError(fmt::format("accept: accepting again, after {} failed attempts", failures));
      failures = 0;
      pause = std::chrono::milliseconds{0};
    }
    if (connection_count.load() >= limits.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // over the limit: refuse fast rather than queue
      continue;
    }
    beast::error_code opt_ec;
    std::string remote;
    if (auto ep = socket.remote_endpoint(opt_ec); !opt_ec) remote = ep.address().to_string();
    const bool per_address_cap = !limits.trusted_proxies.Contains(remote);
    {
      std::lock_guard lock(sessions_mutex);
      if (per_address_cap && per_address[remote] >= limits.max_connections_per_address) {
        beast::error_code ignored;
        socket.close(ignored);  // this address holds its share: the others are still served
        continue;
      }
      if (per_address_cap) ++per_address[remote];
    }
    connection_count.fetch_add(1);
    socket.set_option(tcp::no_delay(true), opt_ec);
    auto session = std::make_shared<Session>(std::move(socket));
    session->remote = std::move(remote);
    session->client = session->remote;
    session->counted_per_address = per_address_cap;
    {
      std::lock_guard lock(sessions_mutex);
      sessions.emplace(session.get(), session);
    }
    auto executor = session->stream.get_executor();
    asio::co_spawn(executor, RunSession(session),
                   [self = shared_from_this()](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       self->LogError(fmt::format("session ended by exception: {}", ex.what()));
                     } catch (...) {
                       self->LogError("session ended by an unknown exception");
                     }
                   });
  }
}

HttpServer::HttpServer(asio::io_context& ioc, Router& router, ServerLimits limits, Metrics& metrics,
                       AccessLogSink access_log, LogSink error_log)
    : impl_(std::make_shared<Impl>(ioc, router, limits, metrics, std::move(access_log),
                                   std::move(error_log))) {}

HttpServer::~HttpServer() = default;

Result<tcp::endpoint> HttpServer::Listen(std::string_view host, std::uint16_t port) {
  SOPORTE_CHECK(!impl_->acceptor.has_value());
  beast::error_code ec;
  auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, fmt::format("not an IP address: {}", host));
  tcp::endpoint endpoint(address, port);
  tcp::acceptor acceptor(asio::make_strand(impl_->ioc));
  if (!acceptor.open(endpoint.protocol(), ec) &&
      !acceptor.set_option(asio::socket_base::reuse_address(true), ec) &&
      !acceptor.bind(endpoint, ec) && !acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
    auto bound = acceptor.local_endpoint(ec);
    if (!ec) {
      impl_->InitStats();
      impl_->acceptor.emplace(std::move(acceptor));
      impl_->accept_pause.emplace(impl_->acceptor->get_executor());
      asio::co_spawn(impl_->acceptor->get_executor(), impl_->Accept(),
                     [self = impl_](std::exception_ptr e) {
                       if (e) self->LogError("acceptor ended by an exception");
                     });
      return bound;
    }
  }
  return Fail(ErrorCode::kUnavailable,
              fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
}

void HttpServer::SpreadSessions(std::vector<asio::io_context*> contexts) {
  SOPORTE_CHECK(!impl_->acceptor.has_value());
  impl_->session_contexts = std::move(contexts);
}

void HttpServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  if (impl_->acceptor) {
    asio::post(impl_->acceptor->get_executor(), [self = impl_] {
      beast::error_code ignored;
      self->acceptor->close(ignored);
      self->accept_pause->cancel();  // a loop pausing after a failed accept ends now
    });
  }
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(impl_->sessions_mutex);
    for (auto& [raw, weak] : impl_->sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) {
    auto executor = s->stream.get_executor();
    asio::post(executor, [s] {
      if (s->idle) s->stream.cancel();  // busy sessions close after their current response
    });
  }
}

std::size_t HttpServer::connections() const { return impl_->connection_count.load(); }

}  // namespace soporte::transport::http
