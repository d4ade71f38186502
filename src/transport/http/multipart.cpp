#include "transport/http/multipart.hpp"

#include <optional>

#include "transport/http/hex.hpp"

namespace soporte::transport::http {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Param {
  std::string name;  // lower-cased
  std::string value;
};

// Parses `type; a=b; c="d"` (RFC 7231 §3.1.1.1 / RFC 6266 §4.1). In a quoted-string a backslash
// escapes only '"' and '\' (browsers send Windows paths unescaped). Returns nullopt on bad syntax.
std::optional<std::vector<Param>> ParseParams(std::string_view s, std::string_view& type) {
  std::size_t semi = s.find(';');
  type = Trim(s.substr(0, semi));
  std::vector<Param> out;
  std::size_t i = semi == std::string_view::npos ? s.size() : semi + 1;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ';')) ++i;
    if (i >= s.size()) break;
    std::size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    Param p;
    for (char c : Trim(s.substr(i, eq - i)))
      p.name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    if (p.name.empty()) return std::nullopt;
    i = eq + 1;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
          p.value += s[i + 1];
          i += 2;
          continue;
        }
        ++i;
        if (c == '"') {
          closed = true;
          break;
        }
        p.value += c;
      }
      if (!closed) return std::nullopt;
    } else {
      std::size_t end = s.find(';', i);
      if (end == std::string_view::npos) end = s.size();
      p.value = std::string(Trim(s.substr(i, end - i)));
      i = end;
    }
    out.push_back(std::move(p));
  }
  return out;
}

// RFC 5987 §3.2 ext-value: charset "'" [language] "'" value-chars (percent-encoded).
std::optional<std::string> DecodeExtValue(std::string_view v) {
  std::size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  std::size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  std::string_view charset = v.substr(0, q1);
  const bool utf8 = IEquals(charset, "UTF-8");
  if (!utf8 && !IEquals(charset, "ISO-8859-1")) return std::nullopt;
  std::string out;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    unsigned char c;
    if (v[i] == '%') {
      if (i + 2 >= v.size()) return std::nullopt;
      int hi = HexDigitValue(v[i + 1]), lo = HexDigitValue(v[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    } else {
      c = static_cast<unsigned char>(v[i]);
    }
    if (utf8 || c < 0x80) {
      out += static_cast<char>(c);
    } else {  // ISO-8859-1 → UTF-8
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// RFC 2046 §5.1.1 bchars.
bool IsBoundaryChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

Result<std::string> BoundaryFromContentType(std::string_view content_type) {
  std::string_view type;
  auto params = ParseParams(content_type, type);
  if (!IEquals(type, "multipart/form-data"))
    return Fail(ErrorCode::kUnsupportedMedia, "expected multipart/form-data");
  if (!params) return Fail(ErrorCode::kInvalidArgument, "malformed Content-Type parameters");
  for (const Param& p : *params) {
    if (p.name != "boundary") continue;
    const std::string& b = p.value;
    if (b.empty() || b.size() > 70 || b.back() == ' ')
      return Fail(ErrorCode::kInvalidArgument, "multipart boundary must be 1 to 70 characters");
    for (char c : b)
      if (!IsBoundaryChar(c))
        return Fail(ErrorCode::kInvalidArgument, "multipart boundary holds a forbidden character");
    return b;
  }
  return Fail(ErrorCode::kInvalidArgument, "multipart/form-data without a boundary");
}

MultipartParser::MultipartParser(std::string boundary, Callbacks callbacks, MultipartLimits limits)
    : delimiter_("\r\n--" + boundary), callbacks_(std::move(callbacks)), limits_(limits) {
  // The first delimiter may open the body without a preceding CRLF (RFC 2046 §5.1.1): act as if
  // the body started with one.
  carry_ = "\r\n";
}

Status MultipartParser::Failed(ErrorCode code, std::string message) {
  state_ = State::kFailed;
  error_ = Error{code, std::move(message)};
  return tl::make_unexpected(error_);
}

// GCC 12 at -O2 reports -Wrestrict in the carry_.assign(data.substr(pos)) calls below: a memcpy
// "accessing 9223372036854775810 or more bytes" inside basic_string::_M_replace, a size no string
// can have (max_size() is half of it), on a path _M_replace only takes for disjoint ranges. A
// proven false positive of GCC's std::string inlining (GCC PR 105329/105651), silenced for this
// one function. (Clang has no -Wrestrict and would warn of an unknown warning group.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
Status MultipartParser::Feed(std::string_view chunk) {
  if (state_ == State::kFailed) return tl::make_unexpected(error_);
  if (state_ == State::kEpilogue) return Ok();
  std::string joined;
  std::string_view data = chunk;
  if (!carry_.empty()) {
    joined.reserve(carry_.size() + chunk.size());
    joined.append(carry_).append(chunk);
    carry_.clear();
    data = joined;
  }
  std::size_t pos = 0;
  while (pos < data.size()) {
    switch (state_) {
      case State::kPreamble:
      case State::kBody: {
        const std::size_t found = data.find(delimiter_, pos);
        if (found != std::string_view::npos) {
          if (state_ == State::kBody) {
            if (found > pos && callbacks_.on_part_data)
              if (auto st = callbacks_.on_part_data(data.substr(pos, found - pos)); !st)
                return Failed(st.error().code, st.error().message);
            if (callbacks_.on_part_end)
              if (auto st = callbacks_.on_part_end(); !st)
                return Failed(st.error().code, st.error().message);
          }
          pos = found + delimiter_.size();
          state_ = State::kAfterDelimiter;
          break;
        }
        // Keep the longest tail that could begin a delimiter; the delimiter's only CR is its first
        // byte (CR is not a bchar), so candidates start at a CR.
        std::size_t keep_from = data.size();
        const std::size_t window = delimiter_.size() - 1;
        for (std::size_t i = data.size() > pos + window ? data.size() - window : pos; i < data.size(); ++i) {
          if (data[i] != '\r') continue;
          if (std::string_view(delimiter_).starts_with(data.substr(i))) {
            keep_from = i;
            break;
          }
        }
        if (state_ == State::kBody && keep_from > pos && callbacks_.on_part_data)
          if (auto st = callbacks_.on_part_data(data.substr(pos, keep_from - pos)); !st)
            return Failed(st.error().code, st.error().message);
        carry_.assign(data.substr(keep_from));
        pos = data.size();
        break;
      }
      case State::kAfterDelimiter: {
        if (data.size() - pos < 2) {
          carry_.assign(data.substr(pos));
          pos = data.size();
          break;
        }
        if (data.substr(pos, 2) == "--") {
          pos = data.size();  // close delimiter: the rest is epilogue, ignored
          state_ = State::kEpilogue;
          return Ok();
        }
        state_ = State::kPadding;
        break;
      }
      case State::kPadding: {
        // transport-padding (LWSP) then CRLF ends the delimiter line (RFC 2046 §5.1.1).
        while (pos < data.size() && (data[pos] == ' ' || data[pos] == '\t')) ++pos;
        if (pos >= data.size()) break;
        if (data[pos] != '\r')
          return Failed(ErrorCode::kInvalidArgument, "malformed multipart delimiter line");
        if (data.size() - pos < 2) {
          carry_.assign(data.substr(pos));
          pos = data.size();
          break;
        }
        if (data[pos + 1] != '\n')
          return Failed(ErrorCode::kInvalidArgument, "malformed multipart delimiter line");
        pos += 2;
        if (parts_ >= limits_.max_parts)
          return Failed(ErrorCode::kTooLarge, "too many multipart parts");
        header_buf_.clear();
        state_ = State::kHeaders;
        break;
      }
      case State::kHeaders: {
        const std::size_t before = header_buf_.size();
        const std::size_t room = limits_.max_header_bytes + 4 - before;
        header_buf_.append(data.substr(pos, room));
        std::size_t end = std::string::npos, marker = 0;
        if (header_buf_.starts_with("\r\n")) {
          end = 0;
          marker = 2;
        } else if (std::size_t f = header_buf_.find("\r\n\r\n", before > 3 ? before - 3 : 0);
                   f != std::string::npos) {
          end = f;
          marker = 4;
        }
        if (end == std::string::npos || end > limits_.max_header_bytes) {
          if (header_buf_.size() > limits_.max_header_bytes || end != std::string::npos)
            return Failed(ErrorCode::kTooLarge, "multipart part headers too large");
          pos = data.size();
          break;
        }
        pos += end + marker - before;
        header_buf_.resize(end);
        PartHeaders part;
        if (auto st = ParseHeaders(header_buf_, part); !st) return st;
        ++parts_;
        state_ = State::kBody;
        if (callbacks_.on_part_begin)
          if (auto st = callbacks_.on_part_begin(part); !st)
            return Failed(st.error().code, st.error().message);
        break;
      }
      case State::kEpilogue:
        return Ok();
      case State::kFailed:
        return tl::make_unexpected(error_);
    }
  }
  return Ok();
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

Status MultipartParser::ParseHeaders(std::string_view block, PartHeaders& out) {
  bool has_disposition = false;
  while (!block.empty()) {
    std::size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    if (line.empty()) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' || line.front() == '\t')
      return Failed(ErrorCode::kInvalidArgument, "malformed multipart part header");
    std::string_view name = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    out.headers.emplace_back(std::string(name), std::string(value));
    if (IEquals(name, "Content-Type")) {
      out.content_type = std::string(value);
    } else if (IEquals(name, "Content-Disposition")) {
      std::string_view type;
      auto params = ParseParams(value, type);
      if (!params) return Failed(ErrorCode::kInvalidArgument, "malformed Content-Disposition");
      if (!IEquals(type, "form-data"))
        return Failed(ErrorCode::kInvalidArgument, "multipart part is not form-data");
      has_disposition = true;
      std::optional<std::string> ext_filename;
      for (Param& p : *params) {
        if (p.name == "name") {
          out.name = std::move(p.value);
        } else if (p.name == "filename") {
          out.filename = std::move(p.value);
          out.has_filename = true;
        } else if (p.name == "filename*") {
          ext_filename = DecodeExtValue(p.value);
          if (!ext_filename) return Failed(ErrorCode::kInvalidArgument, "malformed filename*");
        }
      }
      // RFC 6266 §4.3: filename* wins over filename when both are present.
      if (ext_filename) {
        out.filename = std::move(*ext_filename);
        out.has_filename = true;
      }
    }
  }
  if (!has_disposition)
    return Failed(ErrorCode::kInvalidArgument, "multipart part without Content-Disposition");
  if (out.name.empty()) return Failed(ErrorCode::kInvalidArgument, "multipart part without a name");
  return Ok();
}

Status MultipartParser::Finish() {
  if (state_ == State::kFailed) return tl::make_unexpected(error_);
  if (state_ == State::kEpilogue) return Ok();
  if (state_ == State::kPreamble)
    return Failed(ErrorCode::kInvalidArgument, "multipart body without a boundary delimiter");
  return Failed(ErrorCode::kInvalidArgument, "truncated multipart body: no closing delimiter");
}

}  // namespace soporte::transport::http
