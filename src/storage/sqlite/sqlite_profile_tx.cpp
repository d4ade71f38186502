// The SQL of the customer profile (0005_profile.sql): entries and their fields, sealed secrets,
// the reveal log and the profile's history. Part of SqliteTx (sqlite_tx.hpp).
#include <map>
#include <string>

#include "domain/profile/intake_checklist.hpp"
#include "storage/sqlite/sqlite_tx.hpp"
#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
Instant At(std::int64_t s) { return Instant{Seconds{s}}; }
std::optional<std::int64_t> OptId(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

constexpr const char* kEntryCols = "id, org_id, kind, parent_id, created_at, updated_at";
Result<domain::ProfileEntry> ReadEntry(const Stmt& s) {
  domain::ProfileEntry e;
  e.id = domain::ProfileEntryId{s.Int(0)};
  e.org_id = OrgId{s.Int(1)};
  auto kind = domain::ParseProfileKind(s.Text(2));
  if (!kind) return Fail(ErrorCode::kInternal, "corrupt row: unknown profile kind '" + s.Text(2) + "'");
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

Result<std::vector<domain::ProfileEntry>> SqliteTx::ListProfileEntries(OrgId org) {
  std::vector<domain::ProfileEntry> out;
  std::map<std::int64_t, std::size_t> at;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kEntryCols +
                               " FROM profile_entries WHERE org_id = ? ORDER BY id"));
    s.Bind(1, org.value());
    while (true) {
      SOPORTE_TRY(row, s.Step());
      if (!row) break;
      SOPORTE_TRY(e, ReadEntry(s));
      at[e.id.value()] = out.size();
      out.push_back(std::move(e));
    }
  }
  SOPORTE_TRY(f, db_.Prepare("SELECT f.entry_id, f.name, f.value FROM profile_fields f "
                             "JOIN profile_entries e ON e.id = f.entry_id WHERE e.org_id = ?"));
  f.Bind(1, org.value());
  while (true) {
    SOPORTE_TRY(row, f.Step());
    if (!row) break;
    auto it = at.find(f.Int(0));
    if (it != at.end()) out[it->second].fields[f.Text(1)] = f.Text(2);
  }
  return out;
}

Result<domain::ProfileEntry> SqliteTx::GetProfileEntry(domain::ProfileEntryId id) {
  domain::ProfileEntry e;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kEntryCols + " FROM profile_entries WHERE id = ?"));
    s.Bind(1, id.value());
    SOPORTE_TRY(row, s.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "profile entry " + std::to_string(id.value()) + " not found");
    SOPORTE_TRY(read, ReadEntry(s));
    e = std::move(read);
  }
  SOPORTE_TRY(f, db_.Prepare("SELECT name, value FROM profile_fields WHERE entry_id = ?"));
  f.Bind(1, id.value());
  while (true) {
    SOPORTE_TRY(row, f.Step());
    if (!row) break;
    e.fields[f.Text(0)] = f.Text(1);
  }
  return e;
}

Result<std::vector<app::SecretRecord>> SqliteTx::ListSecrets(std::optional<OrgId> org) {
  std::vector<app::SecretRecord> out;
  SOPORTE_TRY(s, db_.Prepare(org ? std::string("SELECT ") + kSecretCols + " FROM secret_values WHERE org_id = ? ORDER BY id"
                                 : std::string("SELECT ") + kSecretCols + " FROM secret_values ORDER BY id"));
  if (org) s.Bind(1, org->value());
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out.push_back(ReadSecret(s));
  }
}

Result<app::SecretRecord> SqliteTx::GetSecret(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(std::string("SELECT ") + kSecretCols + " FROM secret_values WHERE id = ?"));
  s.Bind(1, id);
  SOPORTE_TRY(row, s.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "secret " + std::to_string(id) + " not found");
  return ReadSecret(s);
}

Result<std::vector<app::RevealRecord>> SqliteTx::ListReveals(OrgId org) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, org_id, secret_id, entry_id, field, actor_id, at, reason "
                             "FROM secret_reveals WHERE org_id = ? ORDER BY id"));
  s.Bind(1, org.value());
  std::vector<app::RevealRecord> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out.push_back(app::RevealRecord{s.Int(0), OrgId{s.Int(1)}, s.Int(2), domain::ProfileEntryId{s.Int(3)},
                                    s.Text(4), UserId{s.Int(5)}, At(s.Int(6)), s.Text(7)});
  }
}

Result<std::vector<app::ProfileEventRecord>> SqliteTx::ListProfileEvents(OrgId org) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, org_id, actor_id, at, entry_id, kind, action, detail "
                             "FROM profile_events WHERE org_id = ? ORDER BY id"));
  s.Bind(1, org.value());
  std::vector<app::ProfileEventRecord> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out.push_back(app::ProfileEventRecord{s.Int(0), OrgId{s.Int(1)}, UserId{s.IsNull(2) ? 0 : s.Int(2)},
                                          At(s.Int(3)), domain::ProfileEntryId{s.Int(4)}, s.Text(5),
                                          s.Text(6), s.Text(7)});
  }
}

Status SqliteTx::WriteFields(const domain::ProfileEntry& e) {
  SOPORTE_TRY(del, db_.Prepare("DELETE FROM profile_fields WHERE entry_id = ?"));
  del.Bind(1, e.id.value());
  SOPORTE_TRY_STATUS(del.Run());
  for (const auto& [name, value] : e.fields) {
    SOPORTE_TRY(ins, db_.Prepare("INSERT INTO profile_fields(entry_id, name, value) VALUES (?, ?, ?)"));
    ins.Bind(1, e.id.value()).Bind(2, name).Bind(3, value);
    SOPORTE_TRY_STATUS(ins.Run());
  }
  return Ok();
}

Status SqliteTx::CheckEntryParent(const domain::ProfileEntry& e) {
  if (!e.parent.valid()) return Ok();
  auto parent = GetProfileEntry(e.parent);
  if (!parent) {
    if (parent.error().code == ErrorCode::kNotFound) {
      return tl::make_unexpected(MissingReference("profile entry " + std::to_string(e.parent.value())));
    }
    return tl::make_unexpected(parent.error());
  }
  return CheckParent(e, *parent);
}

Result<domain::ProfileEntry> SqliteTx::InsertProfileEntry(domain::ProfileEntry e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY_STATUS(CheckExists("orgs", e.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO profile_entries(org_id, kind, parent_id, created_at, updated_at) "
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

Status SqliteTx::UpdateProfileEntry(const domain::ProfileEntry& e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY(stored, GetProfileEntry(e.id));
  if (stored.kind != e.kind || stored.org_id != e.org_id) {
    return Fail(ErrorCode::kInvalidArgument, "a profile entry keeps its kind and organisation");
  }
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  SOPORTE_TRY(s, db_.Prepare("UPDATE profile_entries SET parent_id = ?, updated_at = ? WHERE id = ?"));
  s.BindOpt(1, OptId(e.parent.value())).Bind(2, Secs(e.updated_at)).Bind(3, e.id.value());
  SOPORTE_TRY_STATUS(s.Run());
  return WriteFields(e);
}

Status SqliteTx::DeleteProfileEntry(domain::ProfileEntryId id) {
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

Result<app::SecretRecord> SqliteTx::PutSecret(app::SecretRecord r) {
  SOPORTE_TRY_STATUS(ValidateSecret(r));
  SOPORTE_TRY(entry, GetProfileEntry(r.entry_id));
  if (entry.org_id != r.org_id) return Fail(ErrorCode::kInvalidArgument, "a secret belongs to its entry's organisation");
  const auto* f = domain::FieldOf(entry.kind, r.field);
  if (f == nullptr || f->type != domain::FieldType::kSecret) {
    return Fail(ErrorCode::kInvalidArgument, "'" + r.field + "' is not a secret field of a " +
                                                 std::string(domain::SpecOf(entry.kind).name));
  }
  SOPORTE_TRY(s, db_.Prepare(
                     "INSERT INTO secret_values(org_id, entry_id, field, key_id, nonce, ciphertext, updated_at, updated_by) "
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

Status SqliteTx::DeleteSecret(domain::ProfileEntryId entry, const std::string& field) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM secret_values WHERE entry_id = ? AND field = ?"));
  s.Bind(1, entry.value()).Bind(2, field);
  return s.Run();
}

Status SqliteTx::AppendReveal(app::RevealRecord r) {
  SOPORTE_TRY_STATUS(ValidateReveal(r));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO secret_reveals(org_id, secret_id, entry_id, field, actor_id, at, reason) "
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

Status SqliteTx::AppendProfileEvent(app::ProfileEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateProfileEvent(e));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO profile_events(org_id, actor_id, at, entry_id, kind, action, detail) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, e.org_id.value())
      .BindOpt(2, OptId(e.actor_id.value()))
      .Bind(3, Secs(e.at))
      .Bind(4, e.entry_id.value())
      .Bind(5, e.kind)
      .Bind(6, e.action)
      .Bind(7, e.detail);
  return s.Run();
}

Result<std::map<std::string, std::string>> SqliteTx::ListTicketIntake(TicketId t) {
  SOPORTE_TRY(s, db_.Prepare("SELECT item, text FROM ticket_intake WHERE ticket_id = ?"));
  s.Bind(1, t.value());
  std::map<std::string, std::string> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out[s.Text(0)] = s.Text(1);
  }
}

Status SqliteTx::PutTicketIntake(TicketId t, const std::string& item, const std::string& text) {
  if (!domain::ParseIntakeItem(item)) return Fail(ErrorCode::kInvalidArgument, "unknown intake item '" + item + "'");
  SOPORTE_TRY_STATUS(CheckExists("tickets", t.value(), "ticket"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO ticket_intake(ticket_id, item, text) VALUES (?, ?, ?) "
                             "ON CONFLICT (ticket_id, item) DO UPDATE SET text = excluded.text"));
  s.Bind(1, t.value()).Bind(2, item).Bind(3, text);
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
