#include "storage/sqlite/profile_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

constexpr const char* kEntryCols = "id, org_id, kind, parent_id, created_at, updated_at";
Result<domain::ProfileEntry> ReadEntry(const Stmt& s) {
  domain::ProfileEntry e;
  e.id = domain::ProfileEntryId{s.Int(0)};
  e.org_id = OrgId{s.Int(1)};
  auto kind = domain::ParseProfileKind(s.Text(2));
  if (!kind)
    return Fail(ErrorCode::kInternal, "corrupt row: unknown profile kind '" + s.Text(2) + "'");
  e.kind = *kind;
  e.parent = domain::ProfileEntryId{s.IsNull(3) ? 0 : s.Int(3)};
  e.created_at = At(s.Int(4));
  e.updated_at = At(s.Int(5));
  return e;
}

constexpr const char* kSecretCols =
    "id, org_id, entry_id, field, key_id, nonce, ciphertext, updated_at, updated_by";
app::SecretRecord ReadSecret(const Stmt& s) {
  app::SecretRecord r;
  r.id = s.Int(0);
  r.org_id = OrgId{s.Int(1)};
  r.entry_id = domain::ProfileEntryId{s.Int(2)};
  r.field = s.Text(3);
  r.sealed = app::SealedValue{s.Text(4), s.Text(5), s.Text(6)};
  r.updated_at = At(s.Int(7));
  r.updated_by = UserId{s.IsNull(8) ? 0 : s.Int(8)};
  return r;
}

}  // namespace

Result<std::vector<domain::ProfileEntry>> SqliteProfileRepository::ListProfileEntries(OrgId org) {
  std::vector<domain::ProfileEntry> out;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kEntryCols +
                               " FROM profile_entries WHERE org_id = ? ORDER BY id"));
    s.Bind(1, org.value());
    SOPORTE_TRY(entries, Collect<domain::ProfileEntry>(s, ReadEntry));
    out = std::move(entries);
  }
  std::map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < out.size(); ++i) at[out[i].id.value()] = i;
  SOPORTE_TRY(f, db_.Prepare("SELECT f.entry_id, f.name, f.value FROM profile_fields f "
                             "JOIN profile_entries e ON e.id = f.entry_id WHERE e.org_id = ?"));
  f.Bind(1, org.value());
  SOPORTE_TRY_STATUS(ForEachRow(f, [&](const Stmt& r) {
    auto it = at.find(r.Int(0));
    if (it != at.end()) out[it->second].fields[r.Text(1)] = r.Text(2);
  }));
  return out;
}

Result<domain::ProfileEntry> SqliteProfileRepository::GetProfileEntry(domain::ProfileEntryId id) {
  domain::ProfileEntry e;
  {
    SOPORTE_TRY(
        s, db_.Prepare(std::string("SELECT ") + kEntryCols + " FROM profile_entries WHERE id = ?"));
    s.Bind(1, id.value());
    SOPORTE_TRY(read, One<domain::ProfileEntry>(s, ReadEntry,
                                                "profile entry " + std::to_string(id.value())));
    e = std::move(read);
  }
  SOPORTE_TRY(f, db_.Prepare("SELECT name, value FROM profile_fields WHERE entry_id = ?"));
  f.Bind(1, id.value());
  SOPORTE_TRY_STATUS(ForEachRow(f, [&](const Stmt& r) { e.fields[r.Text(0)] = r.Text(1); }));
  return e;
}

Result<std::vector<app::SecretRecord>> SqliteProfileRepository::ListSecrets(
    std::optional<OrgId> org) {
  SOPORTE_TRY(s, db_.Prepare(org ? std::string("SELECT ") + kSecretCols +
                                       " FROM secret_values WHERE org_id = ? ORDER BY id"
                                 : std::string("SELECT ") + kSecretCols +
                                       " FROM secret_values ORDER BY id"));
  if (org) s.Bind(1, org->value());
  return Collect<app::SecretRecord>(s, ReadSecret);
}

Result<app::SecretRecord> SqliteProfileRepository::GetSecret(std::int64_t id) {
  SOPORTE_TRY(
      s, db_.Prepare(std::string("SELECT ") + kSecretCols + " FROM secret_values WHERE id = ?"));
  s.Bind(1, id);
  return One<app::SecretRecord>(s, ReadSecret, "secret " + std::to_string(id));
}

Result<std::vector<app::RevealRecord>> SqliteProfileRepository::ListReveals(OrgId org) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, org_id, secret_id, entry_id, field, actor_id, at, reason "
                             "FROM secret_reveals WHERE org_id = ? ORDER BY id"));
  s.Bind(1, org.value());
  return Collect<app::RevealRecord>(s, [](const Stmt& r) {
    return app::RevealRecord{
        r.Int(0),  OrgId{r.Int(1)},  r.Int(2),     domain::ProfileEntryId{r.Int(3)},
        r.Text(4), UserId{r.Int(5)}, At(r.Int(6)), r.Text(7)};
  });
}

Status SqliteProfileRepository::WriteFields(const domain::ProfileEntry& e) {
  SOPORTE_TRY(del, db_.Prepare("DELETE FROM profile_fields WHERE entry_id = ?"));
  del.Bind(1, e.id.value());
  SOPORTE_TRY_STATUS(del.Run());
  for (const auto& [name, value] : e.fields) {
    SOPORTE_TRY(ins,
                db_.Prepare("INSERT INTO profile_fields(entry_id, name, value) VALUES (?, ?, ?)"));
    ins.Bind(1, e.id.value()).Bind(2, name).Bind(3, value);
    SOPORTE_TRY_STATUS(ins.Run());
  }
  return Ok();
}

Status SqliteProfileRepository::CheckEntryParent(const domain::ProfileEntry& e) {
  if (!e.parent.valid()) return Ok();
  auto parent = GetProfileEntry(e.parent);
  if (!parent) {
    if (parent.error().code == ErrorCode::kNotFound) {
      return tl::make_unexpected(
          MissingReference("profile entry " + std::to_string(e.parent.value())));
    }
    return tl::make_unexpected(parent.error());
  }
  return CheckParent(e, *parent);
}

Result<domain::ProfileEntry> SqliteProfileRepository::InsertProfileEntry(domain::ProfileEntry e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", e.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  SOPORTE_TRY(
      s, db_.Prepare("INSERT INTO profile_entries(org_id, kind, parent_id, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, e.org_id.value())
      .Bind(2, domain::SpecOf(e.kind).name)
      .BindOpt(3, OptId(e.parent.value()))
      .Bind(4, Secs(e.created_at))
      .Bind(5, Secs(e.updated_at));
  SOPORTE_TRY_STATUS(s.Run());
  e.id = domain::ProfileEntryId{db_.LastInsertId()};
  SOPORTE_TRY_STATUS(WriteFields(e));
  return e;
}

Status SqliteProfileRepository::UpdateProfileEntry(const domain::ProfileEntry& e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY(stored, GetProfileEntry(e.id));
  if (stored.kind != e.kind || stored.org_id != e.org_id) {
    return Fail(ErrorCode::kInvalidArgument, "a profile entry keeps its kind and organisation");
  }
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  SOPORTE_TRY(s,
              db_.Prepare("UPDATE profile_entries SET parent_id = ?, updated_at = ? WHERE id = ?"));
  s.BindOpt(1, OptId(e.parent.value())).Bind(2, Secs(e.updated_at)).Bind(3, e.id.value());
  SOPORTE_TRY_STATUS(s.Run());
  return WriteFields(e);
}

Status SqliteProfileRepository::DeleteProfileEntry(domain::ProfileEntryId id) {
  SOPORTE_TRY(kids, db_.Prepare("SELECT count(*) FROM profile_entries WHERE parent_id = ?"));
  kids.Bind(1, id.value());
  SOPORTE_TRY(row, kids.Step());
  if (row && kids.Int(0) > 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                "profile entry " + std::to_string(id.value()) + " still holds other entries");
  }
  for (const char* sql : {"DELETE FROM secret_values WHERE entry_id = ?",
                          "DELETE FROM profile_fields WHERE entry_id = ?"}) {
    SOPORTE_TRY(s, db_.Prepare(sql));
    s.Bind(1, id.value());
    SOPORTE_TRY_STATUS(s.Run());
  }
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM profile_entries WHERE id = ?"));
  s.Bind(1, id.value());
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) {
    return Fail(ErrorCode::kNotFound, "profile entry " + std::to_string(id.value()) + " not found");
  }
  return Ok();
}

Result<app::SecretRecord> SqliteProfileRepository::PutSecret(app::SecretRecord r) {
  SOPORTE_TRY_STATUS(ValidateSecret(r));
  SOPORTE_TRY(entry, GetProfileEntry(r.entry_id));
  if (entry.org_id != r.org_id)
    return Fail(ErrorCode::kInvalidArgument, "a secret belongs to its entry's organisation");
  const auto* f = domain::FieldOf(entry.kind, r.field);
  if (f == nullptr || f->type != domain::FieldType::kSecret) {
    return Fail(ErrorCode::kInvalidArgument, "'" + r.field + "' is not a secret field of a " +
                                                 std::string(domain::SpecOf(entry.kind).name));
  }
  SOPORTE_TRY(
      s, db_.Prepare(
             "INSERT INTO secret_values(org_id, entry_id, field, key_id, nonce, ciphertext, "
             "updated_at, updated_by) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, field) DO UPDATE SET "
             "key_id = excluded.key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext, "
             "updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING id"));
  s.Bind(1, r.org_id.value())
      .Bind(2, r.entry_id.value())
      .Bind(3, r.field)
      .Bind(4, r.sealed.key_id)
      .Bind(5, r.sealed.nonce)
      .Bind(6, r.sealed.ciphertext)
      .Bind(7, Secs(r.updated_at))
      .BindOpt(8, OptId(r.updated_by.value()));
  SOPORTE_TRY(row, s.Step());
  if (!row) return Fail(ErrorCode::kInternal, "storing a secret returned no id");
  r.id = s.Int(0);
  SOPORTE_TRY(done, s.Step());
  (void)done;
  return r;
}

Status SqliteProfileRepository::DeleteSecret(domain::ProfileEntryId entry,
                                             const std::string& field) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM secret_values WHERE entry_id = ? AND field = ?"));
  s.Bind(1, entry.value()).Bind(2, field);
  return s.Run();
}

Status SqliteProfileRepository::AppendReveal(app::RevealRecord r) {
  SOPORTE_TRY_STATUS(ValidateReveal(r));
  SOPORTE_TRY(
      s, db_.Prepare(
             "INSERT INTO secret_reveals(org_id, secret_id, entry_id, field, actor_id, at, reason) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, r.org_id.value())
      .Bind(2, r.secret_id)
      .Bind(3, r.entry_id.value())
      .Bind(4, r.field)
      .Bind(5, r.actor_id.value())
      .Bind(6, Secs(r.at))
      .Bind(7, r.reason);
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
