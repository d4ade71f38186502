// Helpers for the SLA unit tests: Bogota wall-clock instants (UTC−5, no DST).
#pragma once

#include <chrono>

#include <date/date.h>

#include "common/time.hpp"

namespace soporte::domain::sla::testing_util {

inline Instant Bog(date::local_days d, Seconds t) {
  return Instant{(d + t).time_since_epoch() + std::chrono::hours{5}};
}

}  // namespace soporte::domain::sla::testing_util
