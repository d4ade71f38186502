// The audit port: the append-only histories of tickets, user accounts and customer profiles,
// and the desk's audit log (organisations, contracts, calendars, settings, API tokens, logins).
// Reached as tx.audit() inside a Store transaction (store.hpp). Entries are never changed or
// removed; each list is oldest first. A new aggregate's history belongs here too.
// Implemented by storage/sqlite/audit_repository.* (one trail per table) and
// storage/memory/memory_audit_repository.*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/profile_records.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

// One change to a user account (0007_user_events.sql): who changed which field of whom, from
// what to what. Append-only, like a ticket's history; never holds a password.
struct UserEventRecord {
  std::int64_t id = 0;
  UserId user_id;
  UserId actor_id;  // invalid: the system (the command line)
  Instant at;
  std::string field;   // "created", "name", "lang", "org_admin", "role", "active"
  std::string before;  // the old value as text ("" for created)
  std::string after;
};

// One entry of the desk's audit log (0009_audit.sql): an administrative change or a login
// attempt, with who, when and from where. Append-only; never holds a password or a token.
struct AuditEntryRecord {
  std::int64_t id = 0;
  std::string kind;             // "org", "contract", "calendar", "settings", "token", "login"
  std::int64_t subject_id = 0;  // the org, contract, calendar or user it is about; 0: none
  std::string subject;          // how people name it: an org or calendar name, an email tried
  UserId actor_id;              // invalid: the system (command line) or an unknown login
  Instant at;
  std::string source;  // the client address; "" for the system (the command line)
  std::string field;   // "created", "name", "modality", "closure_added", a setting key, "login"…
  std::string before;  // the old value as text ("" when none)
  std::string after;
};

// One entry as it is listed: the record and the name of who acted ("" for none).
struct AuditEntryView {
  AuditEntryRecord entry;
  std::string actor_name;
};

// A page of the audit log: newest first; `kind` "" for every kind, entries at or after `since`,
// with an id below `before_id` (0: from the newest), at most `limit` (1..200).
struct AuditQuery {
  std::string kind;
  std::optional<Instant> since;
  std::int64_t before_id = 0;
  int limit = 50;
};

// Reads; used by one thread inside one Read or Write call.
class AuditReader {
 public:
  virtual ~AuditReader() = default;

  // The history of a ticket (domain::TicketEvent), of a user, of an organisation's profile
  // (ProfileEventRecord, profile_records.hpp): oldest first, empty when none.
  virtual Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) = 0;
  virtual Result<std::vector<UserEventRecord>> ListUserEvents(UserId user) = 0;
  virtual Result<std::vector<ProfileEventRecord>> ListProfileEvents(OrgId org) = 0;
  // A page of the audit log as `q` asks, newest first, with each actor's name.
  virtual Result<std::vector<AuditEntryView>> ListAuditEntries(const AuditQuery& q) = 0;
};

class AuditRepository : public AuditReader {
 public:
  // Appends one change to a ticket's history. kInvalidArgument for an invalid event; a missing
  // ticket (or given actor) is a MissingReference (kFailedPrecondition).
  virtual Status AppendEvent(domain::TicketEvent e) = 0;
  // Appends one change to a user's history. kInvalidArgument for a record without user or
  // field; kFailedPrecondition when the user (or a given actor) does not exist.
  virtual Status AppendUserEvent(UserEventRecord e) = 0;
  // Appends one change to an organisation's profile. kInvalidArgument for an invalid record.
  virtual Status AppendProfileEvent(ProfileEventRecord e) = 0;
  // Appends one entry to the audit log. kInvalidArgument without kind or field;
  // kFailedPrecondition when a given actor does not exist.
  virtual Status AppendAuditEntry(AuditEntryRecord e) = 0;
};

}  // namespace soporte::app
