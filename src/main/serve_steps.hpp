// What `soporte serve` (main/serve.cpp) decides from its options before it opens anything: the
// limits it refuses, the desk's options, how many io threads, the API's options, and the URL it
// announces. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "common/result.hpp"
#include "main/serve.hpp"
#include "transport/http/server.hpp"
#include "main/store_choice.hpp"
#include "main/wiring.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::main {

// Fails (kInvalidArgument, printed as a usage error) when --attachment-limit-mb is below 1, a
// --trusted-proxy is neither an address nor a network, or a connection cap is out of range
// (ServerLimitsOf), among others; the message names the option.
Status CheckServeOptions(const ServeOptions& options);

// The most --max-connections may be: Linux's default ceiling of open files per process
// (fs.nr_open, 1048576) less kFilesBesideConnections, rounded down.
inline constexpr std::int64_t kMaxConnectionsCeiling = 1000000;

// The HTTP server's limits: the defaults, the connection caps and the trusted proxies.
// kInvalidArgument naming the option for a bad --trusted-proxy, a --max-connections outside
// 1..kMaxConnectionsCeiling, or a --max-connections-per-address outside 1..--max-connections.
Result<transport::http::ServerLimits> ServerLimitsOf(const ServeOptions& options);

// The open files `serve` needs beside its connections: the store's (SQLite's database, WAL and
// shared memory of each connection), attachments being written, outgoing mail, webhook and
// gateway connections, the log.
inline constexpr std::uint64_t kFilesBesideConnections = 1024;

// What serve does with its open-files limit (RLIMIT_NOFILE) at start, from the soft and hard
// limits it has (the largest std::uint64_t, RLIM_INFINITY on Linux, is unlimited) and
// --max-connections. Pure; the caller calls setrlimit and logs the warning.
struct FileLimitPlan {
  std::uint64_t needed = 0;  // max_connections + kFilesBesideConnections
  // Set when soft < needed: the new soft limit, the hard one (`needed` when it is unlimited).
  std::optional<std::uint64_t> raise_soft_to;
  // "" when the hard limit fits `needed`; else a warning naming the numbers and the remedy.
  std::string warning;
};
FileLimitPlan PlanFileLimit(std::uint64_t soft, std::uint64_t hard, std::int64_t max_connections);

// The desk's options: password hashing cost, the From: address, the contact settings shown until
// an admin stores others, the secret key file.
DeskOptions DeskOptionsOf(const ServeOptions& options);

// --threads when positive, else `cores` (at least 1).
int IoThreadsOf(const ServeOptions& options, unsigned cores);

// The PostgreSQL store's options for `serve` (--store postgresql://…): a pool of two connections
// per io thread plus two, never more than the storage threads that call the store (--db-threads)
// nor 64. Each io thread offloads its requests' storage calls, so this keeps a connection ready
// for each call an io thread has in flight; a PostgreSQL connection is a server process, so more
// than the cores can use only costs memory, and a caller past the pool waits (bounded) instead.
storage::PostgresOptions PostgresOptionsOf(const ServeOptions& options, unsigned cores);

// The API's options: the attachment limit in bytes and whether cookies are Secure.
transport::api::ApiOptions ApiOptionsOf(const ServeOptions& options);

// True when `host` (as ParseListen returns it) is a loopback address: 127.0.0.0/8, ::1 or
// ::ffff:127.x.y.z. A listener there is reached only from this machine, so /metrics is open on
// it; any other listener (0.0.0.0 included) asks for the --metrics-token.
bool IsLoopbackHost(const std::string& host);

// The first line of a --metrics-token file's text, trimmed. kInvalidArgument when it is shorter
// than 16 characters (a guessable token).
Result<std::string> MetricsTokenOf(const std::string& text);

// "http://HOST:PORT" of `endpoint`, an IPv6 host in brackets.
std::string ListenUrl(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace soporte::main
