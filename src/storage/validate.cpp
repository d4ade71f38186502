#include "storage/validate.hpp"

namespace soporte::storage {
namespace {

Status Invalid(std::string message) { return Fail(ErrorCode::kInvalidArgument, std::move(message)); }

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Status ValidateOrg(const domain::Organization& o) {
  SOPORTE_TRY_STATUS(domain::ValidateSlug(o.slug));
  if (o.name.empty()) return Invalid("an organisation needs a name");
  return Ok();
}

Status ValidateContract(const domain::Contract& c) {
  if (!c.org_id.valid()) return Invalid("a contract needs an organisation");
  if (c.zone.empty()) return Invalid("a contract needs a time zone");
  if (c.valid_to && *c.valid_to < c.valid_from) {
    return Invalid("a contract cannot end before it starts");
  }
  if (c.calendar_id.valid() && c.modality == domain::sla::Modality::k24x7) {
    return Invalid("a 24x7 contract is always open and takes no calendar");
  }
  return Ok();
}

Status NormalizeUser(domain::User& u) {
  SOPORTE_TRY(email, domain::NormalizeEmail(u.email));
  u.email = std::move(email);
  if (u.name.empty()) return Invalid("a user needs a name");
  const bool customer = u.role == domain::Role::kCustomer;
  if (customer && !u.org_id.valid()) return Invalid("a customer must belong to an organisation");
  if (!customer && u.org_id.valid()) return Invalid("staff users belong to no organisation");
  if (!u.lang.empty() && !domain::IsMailLanguage(u.lang)) return Invalid("a user's language is es, en or empty");
  if (!customer && u.org_admin) return Invalid("only a customer can be its organisation's administrator");
  return Ok();
}

Status ValidateTicket(const domain::Ticket& t) {
  if (!t.org_id.valid()) return Invalid("a ticket needs an organisation");
  if (!t.contract_id.valid()) return Invalid("a ticket needs a contract");
  if (!t.requester_id.valid()) return Invalid("a ticket needs a requester");
  if (t.subject.empty()) return Invalid("a ticket needs a subject");
  for (const auto& tag : t.tags) {
    if (tag.empty()) return Invalid("a tag cannot be empty");
    if (tag.find(kTagSeparator) != std::string::npos) {
      return Invalid("a tag cannot contain the control character U+001F");
    }
  }
  if (t.version < 1) return Invalid("a ticket version starts at 1");
  return Ok();
}

Status ValidateArticle(const domain::Article& a) {
  if (!a.ticket_id.valid()) return Invalid("an article needs a ticket");
  if (!a.author_id.valid()) return Invalid("an article needs an author");
  if (a.call) {
    if (a.channel != domain::sla::Channel::kPhone) return Invalid("a phone call article needs channel phone");
    if (a.call->duration_minutes < 0) return Invalid("a phone call cannot last a negative time");
  }
  return Ok();
}

Status ValidateAttachment(const domain::Attachment& a) {
  if (!a.ticket_id.valid()) return Invalid("an attachment needs a ticket");
  if (!a.uploaded_by.valid()) return Invalid("an attachment needs an uploader");
  if (a.sha256.size() != 64 || !IsLowerHex(a.sha256)) {
    return Invalid("an attachment's sha256 must be 64 lower-case hex digits");
  }
  if (a.size < 0) return Invalid("an attachment's size cannot be negative");
  if (a.filename.empty()) return Invalid("an attachment needs a file name");
  return Ok();
}

Status ValidateEvent(const domain::TicketEvent& e) {
  if (!e.ticket_id.valid()) return Invalid("an event needs a ticket");
  if (e.field.empty()) return Invalid("an event needs a field name");
  return Ok();
}

Status ValidateSession(const app::SessionRecord& s) {
  if (s.token_hash.empty()) return Invalid("a session needs a token hash");
  if (!s.user_id.valid()) return Invalid("a session needs a user");
  if (s.expires_at < s.created_at) return Invalid("a session cannot expire before it starts");
  return Ok();
}

Status ValidateApiToken(const app::ApiTokenRecord& t) {
  if (t.token_hash.empty()) return Invalid("an API token needs a token hash");
  if (!t.user_id.valid()) return Invalid("an API token needs a user");
  if (t.name.empty()) return Invalid("an API token needs a name");
  return Ok();
}

Status ValidateUserEvent(const app::UserEventRecord& e) {
  if (!e.user_id.valid()) return Invalid("a user event needs a user");
  if (e.field.empty() || e.field.size() > 64) return Invalid("a user event needs a field name of 1 to 64 characters");
  if (e.before.size() > 1024 || e.after.size() > 1024) return Invalid("a user event's values may have at most 1024 characters");
  return Ok();
}

Status ValidateAuditEntry(const app::AuditEntryRecord& e) {
  if (e.kind.empty() || e.kind.size() > 32)
    return Invalid("an audit entry needs a kind of 1 to 32 characters");
  if (e.field.empty() || e.field.size() > 64)
    return Invalid("an audit entry needs a field name of 1 to 64 characters");
  if (e.subject.size() > 320 || e.source.size() > 64)
    return Invalid("an audit entry's subject or source is too long");
  if (e.before.size() > 2048 || e.after.size() > 2048)
    return Invalid("an audit entry's values may have at most 2048 characters");
  return Ok();
}

Status ValidateAuditQuery(const app::AuditQuery& q) {
  if (q.limit < 1 || q.limit > 200) return Invalid("limit must be between 1 and 200");
  if (q.before_id < 0) return Invalid("the cursor is not valid");
  return Ok();
}

Status ValidateQuery(const app::TicketQuery& q) {
  if (q.limit < 1 || q.limit > 200) return Invalid("limit must be between 1 and 200");
  return Ok();
}

Status ValidateContextIds(const std::vector<TicketId>& ids) {
  if (ids.size() > 200) return Invalid("at most 200 tickets may be read at once");
  return Ok();
}

Status ValidatePasswordReset(const app::PasswordResetRecord& r) {
  if (r.token_hash.empty()) return Invalid("a password reset needs a token hash");
  if (!r.user_id.valid()) return Invalid("a password reset needs a user");
  if (r.expires_at < r.created_at) return Invalid("a password reset cannot expire before it starts");
  return Ok();
}

Status ValidateSetting(const app::SettingRecord& r) {
  if (r.key.empty() || r.key.size() > 64) return Invalid("a setting needs a key of 1 to 64 characters");
  if (r.value.size() > 4096) return Invalid("a setting's value may have at most 4096 characters");
  return Ok();
}

Status ValidateThrottleKey(const std::string& key) {
  if (key.empty() || key.size() > app::kMaxThrottleKeyBytes) {
    return Invalid("a throttle key needs 1 to " + std::to_string(app::kMaxThrottleKeyBytes) +
                   " bytes");
  }
  return Ok();
}

Status ValidateCalendar(const domain::calendar::CalendarDefinition& c) {
  SOPORTE_TRY_STATUS(domain::calendar::ValidateCalendarDefinition(c));
  for (std::size_t i = 1; i < c.closures.size(); ++i) {
    if (c.closures[i].date <= c.closures[i - 1].date) return Invalid("closure days must be sorted by date");
  }
  return Ok();
}

Error CalendarNameTaken(std::string_view name) {
  return Error{ErrorCode::kAlreadyExists, "a calendar named '" + std::string(name) + "' already exists"};
}

Error OrgSlugTaken(std::string_view slug) {
  return Error{ErrorCode::kAlreadyExists,
               "an organisation with slug '" + std::string(slug) + "' already exists"};
}

Error UserEmailTaken(std::string_view email) {
  return Error{ErrorCode::kAlreadyExists,
               "a user with email '" + std::string(email) + "' already exists"};
}

Error SessionTaken() {
  return Error{ErrorCode::kAlreadyExists, "a session with this token hash already exists"};
}

Error ApiTokenTaken() {
  return Error{ErrorCode::kAlreadyExists, "an API token with this token hash already exists"};
}

Error PasswordResetTaken() {
  return Error{ErrorCode::kAlreadyExists, "a password reset with this token hash already exists"};
}

Error MissingReference(std::string_view what) {
  return Error{ErrorCode::kFailedPrecondition,
               "refers to " + std::string(what) + ", which does not exist"};
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i) out.push_back(kTagSeparator);
    out += tags[i];
  }
  return out;
}

std::vector<std::string> SplitTags(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const auto pos = joined.find(kTagSeparator, start);
    out.emplace_back(joined.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace soporte::storage
