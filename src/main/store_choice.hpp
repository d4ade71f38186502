// Which store `init` and `serve` use (--store, SOPORTE_STORE, `store` in the configuration
// file): the embedded SQLite store or PostgreSQL. A pure check, shared by the commands and their
// unit tests.
#pragma once

#include <string>

#include "common/result.hpp"

namespace soporte::main {

// Checks the --store choice (or SOPORTE_STORE): empty or "sqlite" is the embedded SQLite store
// under --data; postgresql://… (or postgres://…) the PostgreSQL store, refused with
// kFailedPrecondition naming the ports it does not implement yet (never a silent fallback to
// SQLite); kInvalidArgument for anything else. Connects to nothing.
Status CheckStoreChoice(const std::string& store);

}  // namespace soporte::main
