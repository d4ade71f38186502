// Small helpers the API integration tests share: reading ISO 8601 instants the API returns
// (to compare due times exactly), SHA-256 of downloaded bytes (to compare with the server's
// digest), and terse JSON access that fails the test with the whole body when a field is missing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "http_client.hpp"

namespace soporte::test {

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS±HH:MM" (or "...Z"). Throws
// std::invalid_argument on any other shape: the API promises exactly this one.
std::int64_t EpochOf(std::string_view iso);

// Lower-case hex SHA-256 of `data` (FIPS 180-4).
std::string Sha256Hex(std::string_view data);

// Returns the body as a JSON object when `r.status == expected`; throws std::runtime_error
// (failing the test with the request's answer) otherwise.
boost::json::object Expect(const HttpResponse& r, int expected, std::string_view what);

// o[key] as a string / integer; throws std::runtime_error naming the key when absent or of
// another type.
std::string Str(const boost::json::value& o, std::string_view key);
std::int64_t Int(const boost::json::value& o, std::string_view key);
std::string Str(const boost::json::object& o, std::string_view key);
std::int64_t Int(const boost::json::object& o, std::string_view key);

}  // namespace soporte::test
