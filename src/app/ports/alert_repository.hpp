// The staff alerts' port (0014_sla_watch.sql): each staff user's alert preferences, and the alerts
// raised to them (one row per user and alert, so a console that was closed shows what it missed).
// Reached as tx.alerts() inside a Store transaction (store.hpp). Implemented by
// storage/sqlite/alert_repository.* and storage/memory/memory_alert_repository.* (conformance:
// test/conformance/storage/alert_repository_conformance_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/alerts/alert_preferences.hpp"

namespace soporte::app {

// One alert raised to one user about one ticket.
struct AlertRecord {
  std::int64_t id = 0;
  UserId user_id;
  TicketId ticket_id;
  domain::AlertKind kind = domain::AlertKind::kSlaWarning;
  Instant due;  // the ticket's response due when raised
  Instant at;   // when raised
};

class AlertReader {
 public:
  virtual ~AlertReader() = default;
  // `user`'s stored preferences; nullopt when they never saved any (the defaults apply).
  virtual Result<std::optional<domain::AlertPreferences>> GetAlertPreferences(UserId user) = 0;
  // `user`'s alerts with id > after_id, oldest first, at most `limit`.
  virtual Result<std::vector<AlertRecord>> ListAlerts(UserId user, std::int64_t after_id,
                                                      int limit) = 0;
};

class AlertRepository : public AlertReader {
 public:
  // Stores `user`'s preferences (replacing any). kFailedPrecondition for a missing user.
  virtual Status PutAlertPreferences(UserId user, const domain::AlertPreferences& p,
                                     Instant at) = 0;
  // Stores an alert; returns it with its id. kFailedPrecondition for a missing user or ticket.
  virtual Result<AlertRecord> InsertAlert(AlertRecord a) = 0;
};

}  // namespace soporte::app
