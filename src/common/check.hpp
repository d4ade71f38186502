// SOPORTE_CHECK: aborts on a broken invariant (a bug), never on user input. User input is
// answered with a Result error instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#define SOPORTE_CHECK(cond)                                                              \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);      \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
