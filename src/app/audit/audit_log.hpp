// The desk's audit log as the use cases write and read it: one AuditEntryRecord per changed
// field, appended in the same transaction as the change (tx.audit(), audit_repository.hpp), with
// who acted and from which client address (Principal::address; "" is the system). Values are
// stable text (wire names, ISO dates) that the UI translates; never a password or a token.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/account/account.hpp"

namespace soporte::app {

// What an audited change is about: its kind ("org", "contract"…), its id and its name.
struct AuditSubject {
  std::string kind;
  std::int64_t id = 0;
  std::string name;
};

// A field and its value as text.
using AuditFields = std::vector<std::pair<std::string, std::string>>;

// The audited fields of a contract: modality, zone, valid_from, valid_to ("" open-ended),
// channels ("portal,email"), targets ("normal=8h,important=4h,critical=2h"), calendar (its
// name, "" for the built-in one).
AuditFields ContractAuditFields(const domain::Contract& c, const std::string& calendar_name);

// Appends one entry by `who` at `at`. Fails as AuditRepository::AppendAuditEntry.
Status AppendAudit(WriteTx& tx, const Principal& who, Instant at, const AuditSubject& subject,
                   std::string field, std::string before, std::string after);

// Appends one entry per field whose value differs between `before` and `after` (matched by
// field name; a field missing on one side counts as ""). Nothing when nothing changed.
Status AppendAuditChanges(WriteTx& tx, const Principal& who, Instant at,
                          const AuditSubject& subject, const AuditFields& before,
                          const AuditFields& after);

// Reading the audit log: supervisors and administrators only.
class AuditService {
 public:
  explicit AuditService(Store& store) : store_(store) {}

  // A page of the log, newest first. kPermissionDenied for agents and customers;
  // kInvalidArgument for a limit outside 1..200 or an unknown kind.
  Result<std::vector<AuditEntryView>> List(const Principal& who, const AuditQuery& q);

 private:
  Store& store_;
};

// The kinds of entry the log holds, in the order the UI offers them.
const std::vector<std::string>& AuditKinds();

}  // namespace soporte::app
