#include "storage/postgres/pg_conn.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cstring>

#include "common/check.hpp"

namespace soporte::storage::pg_internal {
namespace {

bool StartsWith(const char* s, const char* prefix) {
  return s != nullptr && std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

// SQLSTATE classes (PostgreSQL manual, appendix A) to canonical codes.
ErrorCode CodeOf(const char* state) {
  if (state == nullptr) return ErrorCode::kUnavailable;  // no result: the connection is gone
  if (std::strcmp(state, "23505") == 0) return ErrorCode::kAlreadyExists;
  if (StartsWith(state, "23")) return ErrorCode::kFailedPrecondition;  // FK, check, not null
  if (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0)
    return ErrorCode::kAborted;  // serialisation failure, deadlock: retry the transaction
  if (StartsWith(state, "08") || StartsWith(state, "53") || StartsWith(state, "57P") ||
      std::strcmp(state, "55P03") == 0)  // connection, resources, shutdown, lock not available
    return ErrorCode::kUnavailable;
  if (StartsWith(state, "22")) return ErrorCode::kInvalidArgument;              // data exception
  if (std::strcmp(state, "42501") == 0) return ErrorCode::kPermissionDenied;    // no privilege
  if (std::strcmp(state, "3F000") == 0) return ErrorCode::kFailedPrecondition;  // no such schema
  return ErrorCode::kInternal;
}

// Connection or server shutdown (SQLSTATE classes 08, 57P): the server is gone, not busy.
bool ServerGone(const char* state) {
  return state == nullptr || StartsWith(state, "08") || StartsWith(state, "57P");
}

std::string Trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

Error Unreachable(std::string message) {
  return WithReason(Error{ErrorCode::kUnavailable, std::move(message), kRetryUnreachable},
                    app::kStoreUnavailable);
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// ---- PgRows

PgRows::PgRows(pg_result* r) : r_(r) {}
PgRows& PgRows::operator=(PgRows&& o) noexcept {
  if (this != &o) {
    if (r_ != nullptr) PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}
PgRows::~PgRows() {
  if (r_ != nullptr) PQclear(r_);
}
int PgRows::size() const { return r_ != nullptr ? PQntuples(r_) : 0; }
bool PgRows::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) == 1; }
std::string PgRows::Text(int row, int col) const {
  return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
}
std::int64_t PgRows::Int(int row, int col) const {
  const char* v = PQgetvalue(r_, row, col);
  const char* end = v + PQgetlength(r_, row, col);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v, end, out);
  SOPORTE_CHECK(ec == std::errc() && p == end);
  return out;
}
std::int64_t PgRows::affected() const {
  const char* n = PQcmdTuples(r_);
  if (n == nullptr || *n == '\0') return 0;
  std::int64_t out = 0;
  std::from_chars(n, n + std::strlen(n), out);
  return out;
}

// ---- PgConn

Result<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& url, const std::string& schema) {
  for (char c : schema) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return Fail(ErrorCode::kInvalidArgument,
                  "PostgreSQL schema name may hold only letters, digits and _: " + schema);
  }
  // Defaults first, `url` after: what the URL says itself wins (libpq keeps the last value of a
  // repeated keyword). A server that does not answer fails the connect after connect_timeout, and
  // keepalives find a connection whose server vanished without closing it, instead of a request
  // or a job waiting on it for the system's TCP timeout (minutes).
  const char* const keys[] = {
      "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
      "dbname",          nullptr};
  const std::string timeout = std::to_string(kConnectTimeout.count());
  const char* const values[] = {timeout.c_str(), "1", "10", "5", "3", url.c_str(), nullptr};
  pg_conn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (c == nullptr) return Fail(ErrorCode::kUnavailable, "PostgreSQL: out of memory connecting");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = Trimmed(PQerrorMessage(c));
    PQfinish(c);
    return tl::make_unexpected(Unreachable("cannot connect to PostgreSQL: " + msg));
  }
  // Server notices ("schema … does not exist, skipping") are not errors: keep them off stderr.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConn> conn(new PgConn(c));
  // Times are stored as seconds (BIGINT) and text is UTF-8 whatever the server's defaults.
  std::string setup = "SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC';";
  if (!schema.empty()) setup += " SET search_path TO " + QuoteIdent(schema) + ", public;";
  SOPORTE_TRY_STATUS(conn->Exec(setup));
  return conn;
}

PgConn::~PgConn() { PQfinish(c_); }

bool PgConn::broken() const { return PQstatus(c_) != CONNECTION_OK; }
bool PgConn::in_failed_transaction() const { return PQtransactionStatus(c_) == PQTRANS_INERROR; }

int PgConn::socket() const { return PQsocket(c_); }

Result<std::vector<PgConn::Notification>> PgConn::TakeNotifications() {
  if (PQconsumeInput(c_) == 0)
    return Fail(ErrorCode::kUnavailable, "PostgreSQL: " + Trimmed(PQerrorMessage(c_)));
  std::vector<Notification> out;
  while (PGnotify* n = PQnotifies(c_)) {
    out.push_back(
        Notification{n->relname != nullptr ? n->relname : "", n->extra != nullptr ? n->extra : ""});
    PQfreemem(n);
  }
  return out;
}

Error PgConn::ResultError(pg_result* r, std::string_view what) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  ErrorCode code = CodeOf(state);
  if (code == ErrorCode::kAborted) retryable_ = true;
  std::string msg = Trimmed(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c_));
  if (msg.empty()) msg = Trimmed(PQerrorMessage(c_));
  // Without the quote of the statement with a caret under the spot ("LINE 1: …" and two lines):
  // `what` names the statement, and a log or a terminal shows the caret in the wrong place.
  if (auto line = msg.find("\nLINE "); line != std::string::npos) {
    const auto rest = msg.find("\n", msg.find('\n', line + 1) + 1);  // after the caret's line
    msg.erase(line, rest == std::string::npos ? std::string::npos : rest - line);
  }
  msg = "PostgreSQL: " + std::string(what) + ": " + msg;
  if (broken() || ServerGone(state)) return Unreachable(std::move(msg));
  return Error{code, std::move(msg)};
}

Status PgConn::Exec(const std::string& sql) {
  pg_result* r = PQexec(c_, sql.c_str());
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    PQclear(r);
    return Ok();
  }
  Error e = ResultError(r, sql.size() > 60 ? sql.substr(0, 60) + "…" : sql);
  if (r != nullptr) PQclear(r);
  return tl::make_unexpected(std::move(e));
}

Result<PgRows> PgConn::Query(std::string_view sql, const PgParams& params) {
  const auto& values = params.values();
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) {
    if (v && v->find('\0') != std::string::npos)
      return Fail(ErrorCode::kInvalidArgument, "text holds a NUL character");
    ptrs.push_back(v ? v->c_str() : nullptr);
  }
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    // Appended: "s" + std::to_string(…) trips GCC 12's -Wrestrict at -O2 (GCC PR 105329).
    std::string name = "s";
    name += std::to_string(prepared_.size() + 1);
    pg_result* r =
        PQprepare(c_, name.c_str(), key.c_str(), static_cast<int>(values.size()), nullptr);
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) {
      Error e = ResultError(r, "prepare " + key.substr(0, 60));
      if (r != nullptr) PQclear(r);
      return tl::make_unexpected(std::move(e));
    }
    PQclear(r);
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  pg_result* r = PQexecPrepared(c_, it->second.c_str(), static_cast<int>(ptrs.size()), ptrs.data(),
                                nullptr, nullptr, 0);
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PgRows(r);
  Error e = ResultError(r, it->first.substr(0, 60));
  if (r != nullptr) PQclear(r);
  return tl::make_unexpected(std::move(e));
}

}  // namespace soporte::storage::pg_internal
