// The audit port: the append-only histories of tickets, user accounts and customer profiles.
// Reached as tx.audit() inside a Store transaction (store.hpp). Entries are never changed or
// removed; each list is oldest first. A new aggregate's history belongs here too.
// Implemented by storage/sqlite/audit_repository.* (one trail per table) and
// storage/memory/memory_audit_repository.*.
#pragma once

#include <cstdint>
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

// Reads; used by one thread inside one Read or Write call.
class AuditReader {
 public:
  virtual ~AuditReader() = default;

  // The history of a ticket (domain::TicketEvent), of a user, of an organisation's profile
  // (ProfileEventRecord, profile_records.hpp): oldest first, empty when none.
  virtual Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) = 0;
  virtual Result<std::vector<UserEventRecord>> ListUserEvents(UserId user) = 0;
  virtual Result<std::vector<ProfileEventRecord>> ListProfileEvents(OrgId org) = 0;
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
};

}  // namespace soporte::app
