// What every resource codec shares: serializing a body, dates ("YYYY-MM-DD") and instants (ISO 8601
// in a zone) as JSON, the list envelope {"<key>": [...]}, and the small status bodies. Part of the
// API's JSON codecs (transport/api/codec): the only place where values become JSON and back.
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json.hpp>
#include <date/tz.h>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// `v` as compact JSON text (the API's bodies).
std::string Serialize(const json::value& v);

// Parses a "YYYY-MM-DD" date; kInvalidArgument naming `field` otherwise.
Result<std::chrono::sys_days> ParseDate(std::string_view text, std::string_view field);
// `d` as "YYYY-MM-DD".
std::string DateText(std::chrono::sys_days d);

// `t` as an ISO 8601 string with `zone`'s offset (non-null); `sp`: where the string's memory comes
// from (an arena for one response, see Encode).
json::value TimeJson(Instant t, const date::time_zone* zone, json::storage_ptr sp = {});

// {"<key>": [item(v) for v in list]}: the envelope of every list the API returns.
template <class List, class F>
json::value ListJson(std::string_view key, const List& list, F&& item) {
  json::array items;
  for (const auto& v : list) items.push_back(item(v));
  return json::object{{key, std::move(items)}};
}

// The ticket list cursor: "<due epoch seconds>.<number>" (opaque to clients). ParseCursor fails
// with kInvalidArgument ("cursor is not valid") for any other text.
std::string CursorText(const std::pair<Instant, std::int64_t>& c);
Result<std::pair<Instant, std::int64_t>> ParseCursor(const std::string& s);
// A search page's cursor: "r<rank>" (the offset of the next page, 0..10000). ParseRankCursor
// fails with kInvalidArgument "cursor is not valid".
std::string RankCursorText(int offset);
Result<int> ParseRankCursor(const std::string& s);

// {"status": "<status>"}: /healthz ("ok"), an accepted request ("accepted").
json::value StatusJson(std::string_view status);
// {"deleted": true}: the answer to a DELETE that has nothing else to say.
json::value DeletedJson();

}  // namespace soporte::transport::api::codec
