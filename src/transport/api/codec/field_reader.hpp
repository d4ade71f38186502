// Reads the request body of one endpoint: one JSON object whose fields the codec takes one by one,
// with typed getters that name the field in every error (kInvalidArgument). Finish() refuses any
// field the endpoint did not take, so a typo in a client never passes silently. Shared by the
// request decoders of every resource codec; not used outside transport/api/codec.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// Reads the fields of one JSON object, remembering which were consumed, so Finish() can reject
// any field the endpoint does not know. Not thread-safe (one reader per request body).
class FieldReader {
 public:
  static Result<FieldReader> Parse(std::string_view body) {
    if (body.empty())
      return FailField(ErrorCode::kInvalidArgument, "", "bad_json",
                       "the request body is empty; a JSON object is expected");
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec)
      return FailField(ErrorCode::kInvalidArgument, "", "bad_json",
                       "the request body is not valid JSON: " + ec.message());
    if (!v.is_object())
      return FailField(ErrorCode::kInvalidArgument, "", "bad_json",
                       "the request body must be a JSON object");
    return FieldReader(std::move(v.as_object()));
  }

  bool Has(std::string_view key) const { return obj_.contains(key); }

  // A string field. Absent: nullopt (or an error when required). null counts as absent unless
  // `null_ok` is false and the field is required.
  Result<std::optional<std::string>> String(std::string_view key, bool required = false) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
      if (required) return Invalid(key, "required", " is required");
      return std::optional<std::string>{};
    }
    if (!it->value().is_string()) return Invalid(key, "wrong_type", " must be a string");
    return std::optional<std::string>(std::string(it->value().as_string()));
  }

  // A required string field, as a plain string (kInvalidArgument "required" when absent or null).
  // Preferred to String(key, true): GCC 12 -O2 reports moving out of the optional that one
  // returns as maybe-uninitialized (-Wmaybe-uninitialized, a false positive), which this avoids.
  Result<std::string> Required(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return Invalid(key, "required", " is required");
    if (!it->value().is_string()) return Invalid(key, "wrong_type", " must be a string");
    return std::string(it->value().as_string());
  }

  // An optional string field, `fallback` when absent or null (no optional: see Required).
  Result<std::string> StringOr(std::string_view key, std::string fallback) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return fallback;
    if (!it->value().is_string()) return Invalid(key, "wrong_type", " must be a string");
    return std::string(it->value().as_string());
  }

  Result<std::optional<std::int64_t>> Int(std::string_view key, bool required = false) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
      if (required) return Invalid(key, "required", " is required");
      return std::optional<std::int64_t>{};
    }
    const json::value& v = it->value();
    if (v.is_int64()) return std::optional<std::int64_t>(v.as_int64());
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return std::optional<std::int64_t>(static_cast<std::int64_t>(v.as_uint64()));
    }
    return Invalid(key, "wrong_type", " must be an integer");
  }

  Result<std::optional<bool>> Bool(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return std::optional<bool>{};
    if (!it->value().is_bool()) return Invalid(key, "wrong_type", " must be true or false");
    return std::optional<bool>(it->value().as_bool());
  }

  Result<std::optional<std::vector<std::string>>> StringList(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return std::optional<std::vector<std::string>>{};
    if (!it->value().is_array()) return Invalid(key, "wrong_type", " must be an array of strings");
    std::vector<std::string> out;
    for (const auto& e : it->value().as_array()) {
      if (!e.is_string()) return Invalid(key, "wrong_type", " must be an array of strings");
      out.emplace_back(e.as_string());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }

  // An array of positive integers (ids), at most `max` of them.
  Result<std::optional<std::vector<std::int64_t>>> IdList(std::string_view key, std::size_t max) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null())
      return std::optional<std::vector<std::int64_t>>{};
    if (!it->value().is_array()) return Invalid(key, "wrong_type", " must be an array of ids");
    const auto& a = it->value().as_array();
    if (a.size() > max) return Invalid(key, "too_many", " holds at most " + std::to_string(max));
    std::vector<std::int64_t> out;
    for (const auto& e : a) {
      if (!e.is_int64() || e.as_int64() <= 0)
        return Invalid(key, "wrong_type", " must be an array of ids (positive integers)");
      out.push_back(e.as_int64());
    }
    return std::optional<std::vector<std::int64_t>>(std::move(out));
  }

  // The raw value (for fields with several accepted shapes); nullptr when absent.
  const json::value* Raw(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &it->value();
  }

  // An enumerated string field parsed by `parse`; the error lists the accepted values.
  template <class T>
  Result<std::optional<T>> Enum(std::string_view key, std::optional<T> (*parse)(std::string_view),
                                std::string_view accepted, bool required = false) {
    SOPORTE_TRY(s, String(key, required));
    if (!s) return std::optional<T>{};
    auto v = parse(*s);
    if (!v) {
      return Invalid(key, "not_one_of",
                     " must be one of " + std::string(accepted) + " (got '" + *s + "')");
    }
    return std::optional<T>(*v);
  }

  Status Finish() const {
    for (const auto& kv : obj_) {
      if (!used_.contains(std::string(kv.key()))) {
        return FailField(ErrorCode::kInvalidArgument, std::string(kv.key()), "unknown_field",
                         "unknown field '" + std::string(kv.key()) + "'");
      }
    }
    return Ok();
  }

 private:
  // kInvalidArgument naming `key` as the field, with `reason`; the message is key + `tail`.
  static tl::unexpected<Error> Invalid(std::string_view key, const char* reason,
                                       const std::string& tail) {
    return FailField(ErrorCode::kInvalidArgument, std::string(key), reason,
                     std::string(key) + tail);
  }

  explicit FieldReader(json::object obj) : obj_(std::move(obj)) {}
  json::object obj_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace soporte::transport::api::codec
