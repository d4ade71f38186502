#include "storage/postgres/profile_repository.hpp"

#include <map>
#include <string>

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::pg_internal {
namespace {

constexpr std::string_view kEntryCols = "id, org_id, kind, parent_id, created_at, updated_at";
Result<domain::ProfileEntry> EntryFrom(const PgRows& r, int i) {
  domain::ProfileEntry e;
  e.id = domain::ProfileEntryId{r.Int(i, 0)};
  e.org_id = OrgId{r.Int(i, 1)};
  SOPORTE_TRY(kind, Decode(domain::ParseProfileKind(r.Text(i, 2)), "profile kind"));
  e.kind = kind;
  e.parent = domain::ProfileEntryId{IdOrZero(r, i, 3)};
  e.created_at = At(r.Int(i, 4));
  e.updated_at = At(r.Int(i, 5));
  return e;
}

constexpr std::string_view kSecretCols =
    "id, org_id, entry_id, field, key_id, nonce, ciphertext, updated_at, updated_by";
app::SecretRecord SecretFrom(const PgRows& r, int i) {
  app::SecretRecord s;
  s.id = r.Int(i, 0);
  s.org_id = OrgId{r.Int(i, 1)};
  s.entry_id = domain::ProfileEntryId{r.Int(i, 2)};
  s.field = r.Text(i, 3);
  s.sealed = app::SealedValue{r.Text(i, 4), r.Text(i, 5), r.Text(i, 6)};
  s.updated_at = At(r.Int(i, 7));
  s.updated_by = UserId{IdOrZero(r, i, 8)};
  return s;
}

std::vector<app::SecretRecord> SecretsFrom(const PgRows& r) {
  std::vector<app::SecretRecord> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) out.push_back(SecretFrom(r, i));
  return out;
}

}  // namespace

Result<std::vector<domain::ProfileEntry>> PgProfileRepository::ListProfileEntries(OrgId org) {
  static const std::string kSql =
      "SELECT " + std::string(kEntryCols) + " FROM profile_entries WHERE org_id = $1 ORDER BY id";
  PgParams p;
  p.Add(org.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  std::vector<domain::ProfileEntry> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  std::map<std::int64_t, std::size_t> at;
  for (int i = 0; i < rows.size(); ++i) {
    SOPORTE_TRY(e, EntryFrom(rows, i));
    at[e.id.value()] = out.size();
    out.push_back(std::move(e));
  }
  SOPORTE_TRY(fields, conn_.Query("SELECT f.entry_id, f.name, f.value FROM profile_fields f "
                                  "JOIN profile_entries e ON e.id = f.entry_id WHERE e.org_id = $1",
                                  p));
  for (int i = 0; i < fields.size(); ++i) {
    const auto it = at.find(fields.Int(i, 0));
    if (it != at.end()) out[it->second].fields[fields.Text(i, 1)] = fields.Text(i, 2);
  }
  return out;
}

Result<domain::ProfileEntry> PgProfileRepository::GetProfileEntry(domain::ProfileEntryId id) {
  static const std::string kSql =
      "SELECT " + std::string(kEntryCols) + " FROM profile_entries WHERE id = $1";
  PgParams p;
  p.Add(id.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty())
    return tl::make_unexpected(NotFound("profile entry " + std::to_string(id.value())));
  SOPORTE_TRY(e, EntryFrom(rows, 0));
  SOPORTE_TRY(fields, conn_.Query("SELECT name, value FROM profile_fields WHERE entry_id = $1", p));
  for (int i = 0; i < fields.size(); ++i) e.fields[fields.Text(i, 0)] = fields.Text(i, 1);
  return e;
}

Result<std::vector<app::SecretRecord>> PgProfileRepository::ListSecrets(std::optional<OrgId> org) {
  static const std::string kOne =
      "SELECT " + std::string(kSecretCols) + " FROM secret_values WHERE org_id = $1 ORDER BY id";
  static const std::string kAll =
      "SELECT " + std::string(kSecretCols) + " FROM secret_values ORDER BY id";
  PgParams p;
  if (org) p.Add(org->value());
  SOPORTE_TRY(rows, conn_.Query(org ? kOne : kAll, p));
  return SecretsFrom(rows);
}

Result<app::SecretRecord> PgProfileRepository::GetSecret(std::int64_t id) {
  static const std::string kSql =
      "SELECT " + std::string(kSecretCols) + " FROM secret_values WHERE id = $1";
  PgParams p;
  p.Add(id);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return tl::make_unexpected(NotFound("secret " + std::to_string(id)));
  return SecretFrom(rows, 0);
}

Result<std::vector<app::RevealRecord>> PgProfileRepository::ListReveals(OrgId org) {
  PgParams p;
  p.Add(org.value());
  SOPORTE_TRY(rows,
              conn_.Query("SELECT id, org_id, secret_id, entry_id, field, actor_id, at, reason "
                          "FROM secret_reveals WHERE org_id = $1 ORDER BY id",
                          p));
  std::vector<app::RevealRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back(app::RevealRecord{rows.Int(i, 0), OrgId{rows.Int(i, 1)}, rows.Int(i, 2),
                                    domain::ProfileEntryId{rows.Int(i, 3)}, rows.Text(i, 4),
                                    UserId{rows.Int(i, 5)}, At(rows.Int(i, 6)), rows.Text(i, 7)});
  }
  return out;
}

Status PgProfileRepository::WriteFields(const domain::ProfileEntry& e) {
  PgParams id;
  id.Add(e.id.value());
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM profile_fields WHERE entry_id = $1", id));
  for (const auto& [name, value] : e.fields) {
    PgParams p;
    p.Add(e.id.value()).Add(name).Add(value);
    SOPORTE_TRY_STATUS(
        conn_.Query("INSERT INTO profile_fields(entry_id, name, value) VALUES ($1, $2, $3)", p));
  }
  return Ok();
}

Status PgProfileRepository::CheckEntryParent(const domain::ProfileEntry& e) {
  if (!e.parent.valid()) return Ok();
  auto parent = GetProfileEntry(e.parent);
  if (!parent) {
    if (parent.error().code == ErrorCode::kNotFound)
      return tl::make_unexpected(
          MissingReference("profile entry " + std::to_string(e.parent.value())));
    return tl::make_unexpected(parent.error());
  }
  return CheckParent(e, *parent);
}

Result<domain::ProfileEntry> PgProfileRepository::InsertProfileEntry(domain::ProfileEntry e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", e.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  PgParams p;
  p.Add(e.org_id.value())
      .Add(domain::SpecOf(e.kind).name)
      .AddOpt(OptId(e.parent.value()))
      .Add(Secs(e.created_at))
      .Add(Secs(e.updated_at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO profile_entries(org_id, kind, parent_id, created_at, "
                                "updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                p));
  e.id = domain::ProfileEntryId{rows.Int(0, 0)};
  SOPORTE_TRY_STATUS(WriteFields(e));
  return e;
}

Status PgProfileRepository::UpdateProfileEntry(const domain::ProfileEntry& e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY(stored, GetProfileEntry(e.id));
  if (stored.kind != e.kind || stored.org_id != e.org_id)
    return Fail(ErrorCode::kInvalidArgument, "a profile entry keeps its kind and organisation");
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  PgParams p;
  p.AddOpt(OptId(e.parent.value())).Add(Secs(e.updated_at)).Add(e.id.value());
  SOPORTE_TRY_STATUS(
      conn_.Query("UPDATE profile_entries SET parent_id = $1, updated_at = $2 WHERE id = $3", p));
  return WriteFields(e);
}

Status PgProfileRepository::DeleteProfileEntry(domain::ProfileEntryId id) {
  PgParams p;
  p.Add(id.value());
  // Read first: a child's reference would make the DELETE fail and abort the transaction.
  SOPORTE_TRY(kids, conn_.Query("SELECT 1 FROM profile_entries WHERE parent_id = $1 LIMIT 1", p));
  if (!kids.empty())
    return Fail(ErrorCode::kFailedPrecondition,
                "profile entry " + std::to_string(id.value()) + " still holds other entries");
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM secret_values WHERE entry_id = $1", p));
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM profile_fields WHERE entry_id = $1", p));
  SOPORTE_TRY(gone, conn_.Query("DELETE FROM profile_entries WHERE id = $1", p));
  if (gone.affected() == 0)
    return tl::make_unexpected(NotFound("profile entry " + std::to_string(id.value())));
  return Ok();
}

Result<app::SecretRecord> PgProfileRepository::PutSecret(app::SecretRecord r) {
  SOPORTE_TRY_STATUS(ValidateSecret(r));
  SOPORTE_TRY(entry, GetProfileEntry(r.entry_id));
  if (entry.org_id != r.org_id)
    return Fail(ErrorCode::kInvalidArgument, "a secret belongs to its entry's organisation");
  const auto* f = domain::FieldOf(entry.kind, r.field);
  if (f == nullptr || f->type != domain::FieldType::kSecret)
    return Fail(ErrorCode::kInvalidArgument, "'" + r.field + "' is not a secret field of a " +
                                                 std::string(domain::SpecOf(entry.kind).name));
  if (r.updated_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", r.updated_by.value(), "user"));
  PgParams p;
  p.Add(r.org_id.value())
      .Add(r.entry_id.value())
      .Add(r.field)
      .Add(r.sealed.key_id)
      .Add(r.sealed.nonce)
      .Add(r.sealed.ciphertext)
      .Add(Secs(r.updated_at))
      .AddOpt(OptId(r.updated_by.value()));
  // One statement whether the field had a secret or not: the row keeps its id on replace.
  SOPORTE_TRY(rows,
              conn_.Query("INSERT INTO secret_values(org_id, entry_id, field, key_id, nonce, "
                          "ciphertext, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, "
                          "$7, $8) ON CONFLICT (entry_id, field) DO UPDATE SET "
                          "key_id = excluded.key_id, nonce = excluded.nonce, "
                          "ciphertext = excluded.ciphertext, updated_at = excluded.updated_at, "
                          "updated_by = excluded.updated_by RETURNING id",
                          p));
  r.id = rows.Int(0, 0);
  return r;
}

Status PgProfileRepository::DeleteSecret(domain::ProfileEntryId entry, const std::string& field) {
  PgParams p;
  p.Add(entry.value()).Add(field);
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM secret_values WHERE entry_id = $1 AND field = $2", p));
  return Ok();
}

Status PgProfileRepository::AppendReveal(app::RevealRecord r) {
  SOPORTE_TRY_STATUS(ValidateReveal(r));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", r.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", r.actor_id.value(), "user"));
  PgParams p;
  p.Add(r.org_id.value())
      .Add(r.secret_id)
      .Add(r.entry_id.value())
      .Add(r.field)
      .Add(r.actor_id.value())
      .Add(Secs(r.at))
      .Add(r.reason);
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO secret_reveals(org_id, secret_id, entry_id, field, "
                  "actor_id, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
