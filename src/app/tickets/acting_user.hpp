// The domain's view of who acts on a ticket (domain::ActingUser: the user and the side, staff or
// customer), from the Principal the transports pass. Internal to app/tickets.
#pragma once

#include "app/accounts/principal.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

inline domain::Actor ActorOf(const Principal& who) {
  return who.staff() ? domain::Actor::kStaff : domain::Actor::kCustomer;
}

inline domain::ActingUser ActingUserOf(const Principal& who) {
  return domain::ActingUser{who.user_id, ActorOf(who)};
}

}  // namespace soporte::app
