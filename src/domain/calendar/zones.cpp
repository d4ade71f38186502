#include "domain/calendar/zones.hpp"

#include <exception>

namespace soporte::domain::calendar {

const date::time_zone* Utc() { return date::locate_zone("UTC"); }

const date::time_zone* ZoneOrUtc(std::string_view name) {
  try {
    return date::locate_zone(name.empty() ? kDefaultZone : name);  // throws for an unknown name
  } catch (const std::exception&) {
    return Utc();
  }
}

}  // namespace soporte::domain::calendar
