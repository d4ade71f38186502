// The event port: use cases publish what changed after their transaction commits; live views
// (the console's event stream) subscribe, on this node and, on PostgreSQL, on every other node of
// the desk (app/live/relayed_events.hpp). Publishing never blocks on a subscriber and never fails
// the use case.
#pragma once

#include <cstdint>
#include <string>

#include "common/ids.hpp"

namespace soporte::app {

struct TicketChanged {
  std::int64_t number = 0;
  OrgId org_id;
  std::string what;  // "created", "updated", "article", "attachment", "alert"
  // When valid, the event is for this user only (a staff alert, what = "alert"): no one else's
  // live view receives it.
  UserId user_id;
};

class EventBus {
 public:
  virtual ~EventBus() = default;
  // Thread-safe; returns at once.
  virtual void Publish(const TicketChanged& event) = 0;
  // Events may have been lost on the way here (another node's, through the live relay): every
  // live view should reload what it shows. Thread-safe; returns at once. Does nothing by default.
  virtual void Resync() {}
};

// An EventBus that drops every event (for commands that run without live subscribers).
class NullEventBus final : public EventBus {
 public:
  void Publish(const TicketChanged&) override {}
};

}  // namespace soporte::app
