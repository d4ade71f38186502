// The size limits of what people write on a ticket (subject, description, replies, tags). One
// value, set at wiring and passed to every rule that checks a size; the defaults are the desk's.
#pragma once

#include <cstddef>

namespace soporte::domain {

struct TicketLimits {
  std::size_t max_subject = 300;             // bytes, after trimming
  std::size_t max_description = 100 * 1024;  // bytes; also each intake answer
  std::size_t max_body = 100 * 1024;         // bytes of a reply, note or phone call's notes
  std::size_t max_tags = 20;
  std::size_t max_tag = 40;  // bytes
};

}  // namespace soporte::domain
