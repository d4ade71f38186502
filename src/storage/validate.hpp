// Checks every store runs before it writes, so bad input is refused the same way by SQLite and
// memory and never reaches a table half-written. Also the one wording of unique-clash errors.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "app/ports/store.hpp"
#include "common/result.hpp"
#include "domain/account/account.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::storage {

// Tags are stored joined by this byte, so a tag may not contain it.
inline constexpr char kTagSeparator = '\x1f';

// kInvalidArgument naming the rule when the value cannot be stored; Ok otherwise.
Status ValidateOrg(const domain::Organization& o);
Status ValidateContract(const domain::Contract& c);
// Also lower-cases and trims the email in place (the stored form).
Status NormalizeUser(domain::User& u);
Status ValidateTicket(const domain::Ticket& t);
Status ValidateArticle(const domain::Article& a);
Status ValidateAttachment(const domain::Attachment& a);
Status ValidateEvent(const domain::TicketEvent& e);
Status ValidateSession(const app::SessionRecord& s);
Status ValidateApiToken(const app::ApiTokenRecord& t);
Status ValidateUserEvent(const app::UserEventRecord& e);
Status ValidateQuery(const app::TicketQuery& q);
Status ValidateContextIds(const std::vector<TicketId>& ids);  // at most 200
Status ValidateAuditEntry(const app::AuditEntryRecord& e);
Status ValidateAuditQuery(const app::AuditQuery& q);
Status ValidatePasswordReset(const app::PasswordResetRecord& r);
Status ValidateSetting(const app::SettingRecord& r);
// A throttle key (1 to app::kMaxThrottleKeyBytes bytes).
Status ValidateThrottleKey(const std::string& key);

// kAlreadyExists errors, worded once for every store.
Error OrgSlugTaken(std::string_view slug);
Error UserEmailTaken(std::string_view email);
Error SessionTaken();
Error ApiTokenTaken();
Error PasswordResetTaken();

// kFailedPrecondition: a row refers to `what` (e.g. "organisation 7"), which does not exist.
Error MissingReference(std::string_view what);
// Ok for a calendar the store keeps: ValidateCalendarDefinition, and closure days sorted by date.
Status ValidateCalendar(const domain::calendar::CalendarDefinition& c);
// kAlreadyExists naming the taken calendar name.
Error CalendarNameTaken(std::string_view name);

// Joins and splits ticket tags (kTagSeparator); Split("") is the empty list.
std::string JoinTags(const std::vector<std::string>& tags);
std::vector<std::string> SplitTags(std::string_view joined);

}  // namespace soporte::storage
