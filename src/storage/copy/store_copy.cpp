// SqliteToPostgresCopy: the table walk of `soporte store copy` (see store_copy.hpp). The tables,
// their columns, types, primary keys and foreign keys are read from PostgreSQL's catalog (the
// schema this binary's migrations made), and each is matched by name against the SQLite source.
// Values travel in PostgreSQL's text form: integers as digits, flags as t/f (SQLite's 0/1),
// bytes as \x… hex (SQLite's BLOB), texts as they are; the same form feeds the checksums.
#include "storage/copy/store_copy.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "storage/migrations/embedded.hpp"
#include "storage/postgres/migrations.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage {
namespace {

namespace fs = std::filesystem;
using pg_internal::PgConn;
using pg_internal::PgParams;
using pg_internal::PgRows;
using pg_internal::QuoteIdent;
using sqlite_internal::Db;
using sqlite_internal::DbOptions;
using sqlite_internal::Stmt;

// Derived tables: the search documents and their queue, rebuilt from the copied rows.
const std::set<std::string>& Derived() {
  static const std::set<std::string> kDerived{"search_docs", "search_queue"};
  return kDerived;
}
// Source tables with no PostgreSQL twin on purpose: SQLite's own search index (FTS5) and its
// planner statistics. Any other unmatched source table stops the copy.
bool SqliteOnly(const std::string& name) {
  return name.starts_with("sqlite_") || name.starts_with("ticket_fts") ||
         name.starts_with("article_fts") || name.starts_with("attachment_fts");
}

enum class Kind { kInteger, kBool, kBytes, kText };

struct Column {
  std::string name;
  std::string type;  // format_type(), for casts
  Kind kind = Kind::kText;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<int> key;  // indexes into columns, primary key order
};

// A row in PostgreSQL's text form; nullopt = NULL.
using Row = std::vector<std::optional<std::string>>;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> SqliteValue(const Stmt& s, int col, Kind kind) {
  if (s.IsNull(col)) return std::nullopt;
  switch (kind) {
    case Kind::kBool: return std::string(s.Int(col) != 0 ? "t" : "f");
    case Kind::kBytes: return Hex(s.TextView(col));
    case Kind::kInteger:
    case Kind::kText: return std::string(s.TextView(col));
  }
  return std::nullopt;
}

Row PgRow(const PgRows& rows, int i, std::size_t ncols) {
  Row r(ncols);
  for (std::size_t c = 0; c < ncols; ++c) {
    if (!rows.IsNull(i, static_cast<int>(c))) r[c] = rows.Text(i, static_cast<int>(c));
  }
  return r;
}

std::string KeyOf(const Table& t, const Row& r) {
  std::string k;
  for (int c : t.key) {
    k += r[static_cast<std::size_t>(c)].value_or("\x01NULL");
    k.push_back('\x1f');
  }
  return k;
}

std::string Describe(const Table& t, const Row& r) {
  std::string s;
  for (int c : t.key) {
    if (!s.empty()) s += ", ";
    s += t.columns[static_cast<std::size_t>(c)].name + "=" +
         r[static_cast<std::size_t>(c)].value_or("NULL");
  }
  return s;
}

// Row checksum: every value length-prefixed (NULL marked apart), rows in key order.
class Checksum {
 public:
  Checksum() { crypto_hash_sha256_init(&state_); }
  void Add(const Row& r) {
    for (const auto& v : r) {
      if (!v) {
        Feed("N", 1);
        continue;
      }
      const std::string len = std::string("V") + std::to_string(v->size()) + ":";
      Feed(len.data(), len.size());
      Feed(v->data(), v->size());
    }
    Feed("\n", 1);
    ++rows_;
  }
  std::int64_t rows() const { return rows_; }
  std::string Hex() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : digest) {
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
    return out;
  }

 private:
  void Feed(const char* p, std::size_t n) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(p), n);
  }
  crypto_hash_sha256_state state_;
  std::int64_t rows_ = 0;
};

std::string ColumnList(const Table& t) {
  std::string s;
  for (const auto& c : t.columns) {
    if (!s.empty()) s += ", ";
    s += QuoteIdent(c.name);
  }
  return s;
}

// ORDER BY the key: texts in byte order (SQLite's BINARY collation) whatever the server's locale.
std::string KeyExpr(const Table& t) {
  std::string s;
  for (int c : t.key) {
    const Column& col = t.columns[static_cast<std::size_t>(c)];
    if (!s.empty()) s += ", ";
    s += QuoteIdent(col.name);
    if (col.kind == Kind::kText) s += " COLLATE \"C\"";
  }
  return s;
}

std::string KeyParams(const Table& t, int first) {
  std::string s;
  for (std::size_t i = 0; i < t.key.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::string("$") + std::to_string(first + static_cast<int>(i)) +
         "::" + t.columns[static_cast<std::size_t>(t.key[i])].type;
  }
  return s;
}

}  // namespace

struct SqliteToPostgresCopy::Impl {
  std::unique_ptr<Db> source;
  std::unique_ptr<PgConn> target;
  std::vector<Table> tables;  // dependency order, derived tables left out

  Result<std::vector<Table>> ReadCatalog();
  Status MatchSource(const Table& t);
  Result<std::int64_t> TargetCount(const Table& t);
  Result<std::int64_t> SourceCount(const Table& t);
  Result<std::vector<Row>> TargetRange(const Table& t, const Row& first, const Row& last);
  Status CompareRange(const Table& t, const std::vector<Row>& batch, bool all_present);
  Result<std::int64_t> InsertBatch(const Table& t, const std::vector<Row>& batch);
  Result<TableCopied> CopyTable(const Table& t, int batch_rows);
  Status AdvanceSequences();
};

Result<std::vector<Table>> SqliteToPostgresCopy::Impl::ReadCatalog() {
  SOPORTE_TRY(cols, target->Query(
                        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
                        "t.typname FROM pg_class c "
                        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                        "AND NOT a.attisdropped JOIN pg_type t ON t.oid = a.atttypid "
                        "WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace "
                        "AND c.relname <> 'schema_migrations' ORDER BY c.relname, a.attnum"));
  std::map<std::string, Table> by_name;
  for (int i = 0; i < cols.size(); ++i) {
    Table& t = by_name[cols.Text(i, 0)];
    t.name = cols.Text(i, 0);
    Column c{cols.Text(i, 1), cols.Text(i, 2), Kind::kText};
    const std::string typ = cols.Text(i, 3);
    if (typ == "int2" || typ == "int4" || typ == "int8") c.kind = Kind::kInteger;
    if (typ == "bool") c.kind = Kind::kBool;
    if (typ == "bytea") c.kind = Kind::kBytes;
    t.columns.push_back(std::move(c));
  }
  SOPORTE_TRY(keys, target->Query(
                        "SELECT c.relname, a.attname FROM pg_index i "
                        "JOIN pg_class c ON c.oid = i.indrelid "
                        "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true "
                        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
                        "WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace "
                        "ORDER BY c.relname, k.ord"));
  for (int i = 0; i < keys.size(); ++i) {
    auto it = by_name.find(keys.Text(i, 0));
    if (it == by_name.end()) continue;
    auto& cs = it->second.columns;
    const std::string col = keys.Text(i, 1);
    for (std::size_t c = 0; c < cs.size(); ++c) {
      if (cs[c].name == col) it->second.key.push_back(static_cast<int>(c));
    }
  }
  SOPORTE_TRY(
      fks,
      target->Query("SELECT DISTINCT c.relname, r.relname FROM pg_constraint k "
                    "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
                    "WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace"));
  std::map<std::string, std::set<std::string>> needs;
  for (int i = 0; i < fks.size(); ++i) {
    if (fks.Text(i, 0) != fks.Text(i, 1)) needs[fks.Text(i, 0)].insert(fks.Text(i, 1));
  }
  // Dependency order: a table after every table it references (self-references are copied in
  // key order: a parent entry has a smaller id than its children).
  std::vector<Table> ordered;
  std::set<std::string> done;
  while (done.size() < by_name.size()) {
    bool progressed = false;
    for (auto& [name, t] : by_name) {
      if (done.count(name) != 0) continue;
      const auto& n = needs[name];
      if (std::all_of(n.begin(), n.end(),
                      [&](const std::string& d) { return done.count(d) != 0; })) {
        done.insert(name);
        progressed = true;
        if (t.key.empty()) {
          return Fail(ErrorCode::kInternal, "PostgreSQL table " + name + " has no primary key");
        }
        if (Derived().count(name) == 0) ordered.push_back(t);
      }
    }
    if (!progressed) return Fail(ErrorCode::kInternal, "the foreign keys form a cycle");
  }
  return ordered;
}

Status SqliteToPostgresCopy::Impl::MatchSource(const Table& t) {
  SOPORTE_TRY(s, source->Prepare("SELECT name FROM pragma_table_info(?)"));
  s.Bind(1, t.name);
  std::set<std::string> source_cols;
  while (true) {
    SOPORTE_TRY(more, s.Step());
    if (!more) break;
    source_cols.insert(s.Text(0));
  }
  if (source_cols.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "the source has no table " + t.name);
  }
  std::set<std::string> target_cols;
  for (const auto& c : t.columns) target_cols.insert(c.name);
  if (source_cols != target_cols) {
    return Fail(ErrorCode::kFailedPrecondition,
                "table " + t.name + " has other columns in the source than in PostgreSQL");
  }
  return Ok();
}

Result<std::int64_t> SqliteToPostgresCopy::Impl::TargetCount(const Table& t) {
  SOPORTE_TRY(r, target->Query(std::string("SELECT count(*) FROM ") + QuoteIdent(t.name)));
  return r.Int(0, 0);
}

Result<std::int64_t> SqliteToPostgresCopy::Impl::SourceCount(const Table& t) {
  SOPORTE_TRY(s, source->Prepare("SELECT count(*) FROM \"" + t.name + "\""));
  SOPORTE_TRY_STATUS(s.Step());
  return s.Int(0);
}

Result<std::vector<Row>> SqliteToPostgresCopy::Impl::TargetRange(const Table& t, const Row& first,
                                                                 const Row& last) {
  std::string lhs = std::string("(") + KeyExpr(t) + ")";
  const std::string sql = std::string("SELECT ") + ColumnList(t) + " FROM " + QuoteIdent(t.name) +
                          " WHERE " + lhs + " >= (" + KeyParams(t, 1) + ") AND " + lhs + " <= (" +
                          KeyParams(t, 1 + static_cast<int>(t.key.size())) + ") ORDER BY " +
                          KeyExpr(t);
  PgParams p;
  for (const Row* r : {&first, &last}) {
    for (int c : t.key) p.AddOpt((*r)[static_cast<std::size_t>(c)]);
  }
  SOPORTE_TRY(rows, target->Query(sql, p));
  std::vector<Row> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(PgRow(rows, i, t.columns.size()));
  return out;
}

Status SqliteToPostgresCopy::Impl::CompareRange(const Table& t, const std::vector<Row>& batch,
                                                bool all_present) {
  if (batch.empty()) return Ok();
  SOPORTE_TRY(there, TargetRange(t, batch.front(), batch.back()));
  std::unordered_map<std::string, const Row*> mine;
  for (const auto& r : batch) mine.emplace(KeyOf(t, r), &r);
  for (const auto& r : there) {
    auto it = mine.find(KeyOf(t, r));
    if (it == mine.end()) {
      return Fail(ErrorCode::kFailedPrecondition, "the target holds another desk: table " + t.name +
                                                      " has a row (" + Describe(t, r) +
                                                      ") the source does not have");
    }
    if (*it->second != r) {
      return Fail(ErrorCode::kFailedPrecondition, "the target holds another desk: table " + t.name +
                                                      " row " + Describe(t, r) +
                                                      " differs from the source's");
    }
  }
  if (all_present && there.size() != batch.size()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the target holds another desk: table " + t.name + " refused rows near " +
                    Describe(t, batch.front()) + " (a unique value taken by another row)");
  }
  return Ok();
}

Result<std::int64_t> SqliteToPostgresCopy::Impl::InsertBatch(const Table& t,
                                                             const std::vector<Row>& batch) {
  std::string sql =
      std::string("INSERT INTO ") + QuoteIdent(t.name) + " (" + ColumnList(t) + ") VALUES ";
  PgParams p;
  int n = 1;
  for (std::size_t r = 0; r < batch.size(); ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c > 0) sql += ", ";
      sql += std::string("$") + std::to_string(n++) + "::" + t.columns[c].type;
      p.AddOpt(batch[r][c]);
    }
    sql += ")";
  }
  // The counters (next ticket number) exist in a new schema already: they take the source's
  // value, never going back.
  if (t.name == "counters") {
    sql += " ON CONFLICT (name) DO UPDATE SET value = GREATEST(counters.value, EXCLUDED.value)";
  } else {
    sql += " ON CONFLICT DO NOTHING";
  }
  SOPORTE_TRY(rows, target->Query(sql, p));
  return rows.affected();
}

Result<TableCopied> SqliteToPostgresCopy::Impl::CopyTable(const Table& t, int batch_rows) {
  TableCopied out{t.name, 0, 0};
  std::string order;
  for (int c : t.key) {
    if (!order.empty()) order += ", ";
    order += "\"" + t.columns[static_cast<std::size_t>(c)].name + "\"";
  }
  std::string cols;
  for (const auto& c : t.columns) cols += (cols.empty() ? "\"" : ", \"") + c.name + "\"";
  SOPORTE_TRY(s, source->Prepare("SELECT " + cols + " FROM \"" + t.name + "\" ORDER BY " + order));
  // PostgreSQL takes at most 65535 parameters a statement.
  const std::size_t per_batch = std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(batch_rows), 60000 / t.columns.size()));
  std::vector<Row> batch;
  batch.reserve(per_batch);
  auto flush = [&]() -> Status {
    if (batch.empty()) return Ok();
    SOPORTE_TRY_STATUS(target->Exec("BEGIN"));
    auto inserted = InsertBatch(t, batch);
    Status checked = Ok();
    // Some rows were there (a resumed copy, or another desk): they must be the source's.
    if (inserted && *inserted < static_cast<std::int64_t>(batch.size()) && t.name != "counters") {
      checked = CompareRange(t, batch, true);
    }
    if (!inserted || !checked) {
      (void)target->Exec("ROLLBACK");
      return inserted ? checked : Status(tl::make_unexpected(inserted.error()));
    }
    SOPORTE_TRY_STATUS(target->Exec("COMMIT"));
    out.rows += static_cast<std::int64_t>(batch.size());
    out.inserted += *inserted;
    batch.clear();
    return Ok();
  };
  while (true) {
    SOPORTE_TRY(more, s.Step());
    if (!more) break;
    Row r(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      r[c] = SqliteValue(s, static_cast<int>(c), t.columns[c].kind);
    }
    batch.push_back(std::move(r));
    if (batch.size() >= per_batch) SOPORTE_TRY_STATUS(flush());
  }
  SOPORTE_TRY_STATUS(flush());
  return out;
}

Status SqliteToPostgresCopy::Impl::AdvanceSequences() {
  SOPORTE_TRY(ids, target->Query("SELECT table_name, column_name FROM information_schema.columns "
                                 "WHERE table_schema = current_schema() AND is_identity = 'YES'"));
  for (int i = 0; i < ids.size(); ++i) {
    const std::string table = QuoteIdent(ids.Text(i, 0)), column = QuoteIdent(ids.Text(i, 1));
    // The next id is past the largest copied one (or 1 in an empty table).
    SOPORTE_TRY_STATUS(target->Query("SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(max(" +
                                         column + "), 1), " + "max(" + column +
                                         ") IS NOT NULL) FROM " + table,
                                     PgParams().Add(table).Add(ids.Text(i, 1))));
  }
  return Ok();
}

SqliteToPostgresCopy::SqliteToPostgresCopy(std::unique_ptr<Impl> impl, int source_version)
    : impl_(std::move(impl)), source_version_(source_version) {}

SqliteToPostgresCopy::~SqliteToPostgresCopy() {
  if (impl_ && impl_->source) (void)impl_->source->Exec("ROLLBACK");
}

std::vector<std::string> SqliteToPostgresCopy::DerivedTables() {
  return {Derived().begin(), Derived().end()};
}

Result<std::unique_ptr<SqliteToPostgresCopy>> SqliteToPostgresCopy::Open(
    const std::string& source_dir, const std::string& target_url) {
  const fs::path db_path = fs::path(source_dir) / "soporte.db";
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) {
    return Fail(ErrorCode::kFailedPrecondition,
                source_dir + " is not a soporte data directory (no soporte.db)");
  }
  auto impl = std::make_unique<Impl>();
  DbOptions options;
  options.read_only = true;
  SOPORTE_TRY(db, Db::Open(db_path.string(), options));
  impl->source = std::move(db);
  // One read transaction from here to the end: every read sees the same snapshot.
  SOPORTE_TRY_STATUS(impl->source->Exec("BEGIN"));
  auto version_stmt =
      impl->source->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!version_stmt) {
    return Fail(ErrorCode::kFailedPrecondition,
                db_path.string() + " is not a soporte database (no schema_migrations)");
  }
  SOPORTE_TRY_STATUS(version_stmt->Step());
  const int version = static_cast<int>(version_stmt->Int(0));
  const int known = static_cast<int>(sqlite_migrations().size());
  if (version != known) {
    return Fail(ErrorCode::kFailedPrecondition,
                std::string("the source's schema version is ") + std::to_string(version) +
                    "; this soporte copies version " + std::to_string(known) +
                    (version < known ? ": run `soporte migrate --data " + source_dir + "` first"
                                     : ": use the soporte that wrote it"));
  }
  SOPORTE_TRY(conn, PgConn::Connect(target_url, ""));
  impl->target = std::move(conn);
  SOPORTE_TRY_STATUS(pg_internal::ApplyMigrations(*impl->target, postgres_migrations()));
  SOPORTE_TRY_STATUS(impl->target->Exec(
      "SET synchronous_commit = off; SET bytea_output = 'hex'; SET client_encoding = 'UTF8'"));
  SOPORTE_TRY(tables, impl->ReadCatalog());
  impl->tables = std::move(tables);
  // Every source table has a place in PostgreSQL (or is SQLite's own search index).
  std::set<std::string> pg_names;
  for (const auto& t : impl->tables) pg_names.insert(t.name);
  for (const auto& d : Derived()) pg_names.insert(d);
  {
    SOPORTE_TRY(
        s,
        impl->source->Prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'"));
    while (true) {
      SOPORTE_TRY(more, s.Step());
      if (!more) break;
      const std::string name = s.Text(0);
      if (!SqliteOnly(name) && pg_names.count(name) == 0) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "the source table " + name + " has no PostgreSQL table to go to");
      }
    }
  }
  for (const auto& t : impl->tables) {
    SOPORTE_TRY_STATUS(impl->MatchSource(t));
    if (t.name == "counters") continue;
    // Another desk before anything is written: more rows than the source, or different rows
    // among the first keys.
    SOPORTE_TRY(there, impl->TargetCount(t));
    if (there == 0) continue;
    SOPORTE_TRY(here, impl->SourceCount(t));
    if (there > here) {
      return Fail(ErrorCode::kFailedPrecondition, "the target holds another desk: table " + t.name +
                                                      " has " + std::to_string(there) +
                                                      " rows, the source " + std::to_string(here));
    }
    std::string cols, order;
    for (const auto& c : t.columns) cols += (cols.empty() ? "\"" : ", \"") + c.name + "\"";
    for (int c : t.key) {
      order += (order.empty() ? "\"" : ", \"") + t.columns[static_cast<std::size_t>(c)].name + "\"";
    }
    SOPORTE_TRY(s, impl->source->Prepare("SELECT " + cols + " FROM \"" + t.name + "\" ORDER BY " +
                                         order + " LIMIT 500"));
    std::vector<Row> first;
    while (true) {
      SOPORTE_TRY(more, s.Step());
      if (!more) break;
      Row r(t.columns.size());
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        r[c] = SqliteValue(s, static_cast<int>(c), t.columns[c].kind);
      }
      first.push_back(std::move(r));
    }
    SOPORTE_TRY_STATUS(impl->CompareRange(t, first, false));
  }
  return std::unique_ptr<SqliteToPostgresCopy>(new SqliteToPostgresCopy(std::move(impl), version));
}

Result<std::vector<TableCopied>> SqliteToPostgresCopy::CopyTables(
    int batch_rows, const std::function<void(const TableCopied&)>& progress) {
  std::vector<TableCopied> out;
  for (const auto& t : impl_->tables) {
    SOPORTE_TRY(copied, impl_->CopyTable(t, batch_rows));
    if (progress) progress(copied);
    out.push_back(std::move(copied));
  }
  SOPORTE_TRY_STATUS(impl_->target->Exec("BEGIN"));
  if (auto st = impl_->AdvanceSequences(); !st) {
    (void)impl_->target->Exec("ROLLBACK");
    return tl::make_unexpected(st.error());
  }
  SOPORTE_TRY_STATUS(impl_->target->Exec("COMMIT"));
  return out;
}

Result<std::vector<TableVerified>> SqliteToPostgresCopy::Verify() {
  constexpr int kPage = 5000;
  std::vector<TableVerified> out;
  for (const auto& t : impl_->tables) {
    TableVerified v;
    v.table = t.name;
    {
      std::string cols, order;
      for (const auto& c : t.columns) cols += (cols.empty() ? "\"" : ", \"") + c.name + "\"";
      for (int c : t.key) {
        order +=
            (order.empty() ? "\"" : ", \"") + t.columns[static_cast<std::size_t>(c)].name + "\"";
      }
      SOPORTE_TRY(s, impl_->source->Prepare("SELECT " + cols + " FROM \"" + t.name +
                                            "\" ORDER BY " + order));
      Checksum sum;
      while (true) {
        SOPORTE_TRY(more, s.Step());
        if (!more) break;
        Row r(t.columns.size());
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          r[c] = SqliteValue(s, static_cast<int>(c), t.columns[c].kind);
        }
        sum.Add(r);
      }
      v.source_rows = sum.rows();
      v.source_sum = sum.Hex();
    }
    {
      // The target a page at a time, after the last key read (keyset pagination).
      const std::string head =
          std::string("SELECT ") + ColumnList(t) + " FROM " + QuoteIdent(t.name);
      const std::string tail =
          std::string(" ORDER BY ") + KeyExpr(t) + " LIMIT " + std::to_string(kPage);
      const std::string after =
          head + " WHERE (" + KeyExpr(t) + ") > (" + KeyParams(t, 1) + ")" + tail;
      Checksum sum;
      std::optional<Row> last;
      while (true) {
        PgParams p;
        if (last) {
          for (int c : t.key) p.AddOpt((*last)[static_cast<std::size_t>(c)]);
        }
        SOPORTE_TRY(rows, impl_->target->Query(last ? after : head + tail, p));
        for (int i = 0; i < rows.size(); ++i) {
          Row r = PgRow(rows, i, t.columns.size());
          sum.Add(r);
          if (i + 1 == rows.size()) last = std::move(r);
        }
        if (rows.size() < kPage) break;
      }
      v.target_rows = sum.rows();
      v.target_sum = sum.Hex();
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace soporte::storage
