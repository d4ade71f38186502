#include "transport/http/router.hpp"

#include "common/check.hpp"
#include "transport/http/hex.hpp"
#include "transport/http/utf8.hpp"

namespace soporte::transport::http {

namespace {

constexpr std::size_t kMaxParams = 16;

// Splits off the next non-empty segment of `path` starting at `pos`; returns false at the end.
bool NextSegment(std::string_view path, std::size_t& pos, std::string_view& segment) {
  while (pos < path.size() && path[pos] == '/') ++pos;
  if (pos >= path.size()) return false;
  std::size_t end = path.find('/', pos);
  if (end == std::string_view::npos) end = path.size();
  segment = path.substr(pos, end - pos);
  pos = end;
  return true;
}

}  // namespace

std::string_view VerbName(Verb verb) {
  switch (verb) {
    case Verb::kGet: return "GET";
    case Verb::kHead: return "HEAD";
    case Verb::kPost: return "POST";
    case Verb::kPut: return "PUT";
    case Verb::kPatch: return "PATCH";
    case Verb::kDelete: return "DELETE";
    case Verb::kOptions: return "OPTIONS";
  }
  return "GET";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

namespace {

bool DecodeFormComponent(std::string_view in, std::string& out) {
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return true;
}

}  // namespace

Result<void> ParseQueryString(std::string_view query,
                              std::vector<std::pair<std::string, std::string>>& out) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::pair<std::string, std::string> kv;
    if (!DecodeFormComponent(pair.substr(0, eq), kv.first) ||
        (eq != std::string_view::npos && !DecodeFormComponent(pair.substr(eq + 1), kv.second)))
      return Fail(ErrorCode::kInvalidArgument,
                  "malformed query string: '%' must be followed by two hexadecimal digits");
    // Decoded bytes are quoted back in error messages and compared as text: they must be UTF-8.
    // The name is quoted only when it is itself valid.
    if (!IsValidUtf8(kv.first))
      return Fail(ErrorCode::kInvalidArgument,
                  "a query parameter name is not valid UTF-8 once percent-decoded");
    if (!IsValidUtf8(kv.second))
      return Fail(ErrorCode::kInvalidArgument,
                  "query parameter '" + kv.first + "' is not valid UTF-8 once percent-decoded");
    out.push_back(std::move(kv));
  }
  return {};
}

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> statics;
  std::unique_ptr<Node> param;
  std::array<const Route*, kVerbCount> by_verb{};
  std::string allow;  // "GET, POST" for the verbs registered here
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::Add(Verb verb, std::string_view pattern, Handler handler, RouteOptions options) {
  SOPORTE_CHECK(!pattern.empty() && pattern.front() == '/');
  SOPORTE_CHECK(handler != nullptr);
  auto route = std::make_unique<Route>();
  Node* node = root_.get();
  std::size_t pos = 0;
  std::string_view segment;
  while (NextSegment(pattern, pos, segment)) {
    if (segment.front() == '{') {
      SOPORTE_CHECK(segment.size() > 2 && segment.back() == '}');
      std::string_view name = segment.substr(1, segment.size() - 2);
      SOPORTE_CHECK(name.find_first_of("{}") == std::string_view::npos);
      route->param_names.emplace_back(name);
      SOPORTE_CHECK(route->param_names.size() <= kMaxParams);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      SOPORTE_CHECK(segment.find_first_of("{}") == std::string_view::npos);
      Node* next = nullptr;
      for (auto& [text, child] : node->statics)
        if (text == segment) next = child.get();
      if (next == nullptr) {
        node->statics.emplace_back(std::string(segment), std::make_unique<Node>());
        next = node->statics.back().second.get();
      }
      node = next;
    }
  }
  const auto slot = static_cast<std::size_t>(verb);
  SOPORTE_CHECK(node->by_verb[slot] == nullptr);  // duplicate (verb, pattern)
  route->verb = verb;
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->options = std::move(options);
  if (route->options.name.empty()) route->options.name = route->pattern;
  route->index = routes_.size();
  node->by_verb[slot] = route.get();
  node->allow.clear();
  for (std::size_t v = 0; v < kVerbCount; ++v) {
    // HEAD is allowed wherever GET is: the GET route answers it (see Match).
    const bool head_by_get = static_cast<Verb>(v) == Verb::kHead &&
                             node->by_verb[static_cast<std::size_t>(Verb::kGet)] != nullptr;
    if (node->by_verb[v] == nullptr && !head_by_get) continue;
    if (!node->allow.empty()) node->allow += ", ";
    node->allow += VerbName(static_cast<Verb>(v));
  }
  routes_.push_back(std::move(route));
}

namespace {

struct MatchState {
  std::string_view path;
  std::array<std::string_view, kMaxParams> values;
  std::size_t count = 0;
};

}  // namespace

// Depth-first: static children first, then the parameter child; the first node where the path
// ends and some verb is registered wins.
template <class NodeT>
static const NodeT* Walk(const NodeT* node, std::size_t pos, MatchState& st) {
  std::string_view segment;
  std::size_t next = pos;
  if (!NextSegment(st.path, next, segment)) {
    for (const Route* r : node->by_verb)
      if (r != nullptr) return node;
    return nullptr;
  }
  for (const auto& [text, child] : node->statics) {
    if (text != segment) continue;
    if (const NodeT* found = Walk(child.get(), next, st)) return found;
  }
  if (node->param && st.count < kMaxParams) {
    st.values[st.count++] = segment;
    if (const NodeT* found = Walk(node->param.get(), next, st)) return found;
    --st.count;
  }
  return nullptr;
}

RouteMatch Router::Match(Verb verb, std::string_view path,
                         std::vector<std::pair<std::string_view, std::string>>& params) const {
  MatchState st;
  st.path = path;
  const Node* node = Walk(root_.get(), 0, st);
  RouteMatch m;
  if (node == nullptr) return m;
  const Route* route = node->by_verb[static_cast<std::size_t>(verb)];
  if (route == nullptr && verb == Verb::kHead) route = node->by_verb[static_cast<std::size_t>(Verb::kGet)];
  if (route == nullptr) {
    m.kind = RouteMatch::Kind::kMethodNotAllowed;
    m.allow = node->allow;
    return m;
  }
  m.kind = RouteMatch::Kind::kFound;
  m.route = route;
  for (std::size_t i = 0; i < st.count; ++i)
    params.emplace_back(route->param_names[i], PercentDecode(st.values[i]));
  return m;
}

}  // namespace soporte::transport::http
