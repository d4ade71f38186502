#include "domain/mail/loop_guard.hpp"

#include <algorithm>
#include <cctype>

namespace soporte::domain::mail {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The first token of a header value ("auto-replied; owner-email=..." → "auto-replied").
std::string Token(std::string_view v) {
  std::string s = Lower(v);
  const auto end = s.find_first_of("; \t(");
  return s.substr(0, end);
}

bool IsOwn(std::string_view from, std::string_view own_list) {
  if (from.empty()) return false;
  while (!own_list.empty()) {
    const auto comma = own_list.find(',');
    std::string one = Lower(own_list.substr(0, comma));
    one.erase(std::remove_if(one.begin(), one.end(), [](unsigned char c) { return std::isspace(c); }),
              one.end());
    if (!one.empty() && one == from) return true;
    if (comma == std::string_view::npos) break;
    own_list.remove_prefix(comma + 1);
  }
  return false;
}

bool LooksLikeDaemon(std::string_view from) {
  const std::string local = Lower(from.substr(0, from.find('@')));
  return local == "mailer-daemon" || local == "postmaster" || local.starts_with("noreply") ||
         local.starts_with("no-reply") || local.starts_with("no_reply") ||
         local.starts_with("donotreply") || local.starts_with("do-not-reply");
}

struct Rule {
  std::string_view name;
  // The rule says a machine wrote the message (RFC 3834 §2, §3.1.8): it never opens a ticket.
  // The others only forbid an answer (a person who asks for no auto-responses, a no-reply
  // address) and leave a known customer's mail free to open one.
  bool automatic;
  bool (*matches)(const InboundFlags& f, std::string_view own);
};

// The rules, in order. Each names its source.
constexpr Rule kLoopRules[] = {
    // RFC 3834 §2: never answer a message whose Auto-Submitted is anything but "no".
    {"auto-submitted", true,
     [](const InboundFlags& f, std::string_view) {
       return !f.auto_submitted.empty() && Token(f.auto_submitted) != "no";
     }},
    // RFC 3834 §2 and common practice (RFC 2076): bulk, junk and list mail is not answered.
    {"precedence", true,
     [](const InboundFlags& f, std::string_view) {
       const std::string p = Token(f.precedence);
       return p == "bulk" || p == "junk" || p == "list";
     }},
    // RFC 2919 / RFC 2369: mailing-list traffic carries List-Id / List-Unsubscribe.
    {"list-id", true, [](const InboundFlags& f, std::string_view) { return f.has_list_id; }},
    // RFC 5321 §4.5.5 / RFC 3834 §4: an empty reverse path ("<>") is a bounce or other
    // notification; answers would go nowhere or loop.
    {"empty-return-path", true,
     [](const InboundFlags& f, std::string_view) {
       return f.return_path && (f.return_path->empty() || *f.return_path == "<>");
     }},
    // RFC 3464: delivery status notifications are never answered.
    {"dsn", true, [](const InboundFlags& f, std::string_view) { return f.is_dsn; }},
    // Our own address: answering ourselves is the shortest loop there is.
    {"own-address", true,
     [](const InboundFlags& f, std::string_view own) { return IsOwn(f.from_address, own); }},
    // Practice: vacation programs (vacation(1), procmail, cPanel) add X-Autoreply /
    // X-Autorespond / X-Auto-Reply to what they send.
    {"x-autoreply", true,
     [](const InboundFlags& f, std::string_view) { return f.has_autoreply_marker; }},
    // Practice: Outlook/Exchange ask for no auto-responses with "X-Auto-Response-Suppress:
    // All|OOF|AutoReply" (on their own auto-replies, but a person's client may set it too, so it
    // only forbids the answer).
    {"x-auto-response", false,
     [](const InboundFlags& f, std::string_view) {
       const std::string v = Lower(f.x_auto_response_suppress);
       return v.find("all") != std::string::npos || v.find("autoreply") != std::string::npos ||
              v.find("oof") != std::string::npos;
     }},
    // Practice: mailer daemons, postmasters and no-reply senders read nothing.
    {"daemon-sender", false,
     [](const InboundFlags& f, std::string_view) {
       return f.from_address.empty() || LooksLikeDaemon(f.from_address);
     }},
};

}  // namespace

LoopVerdict MayAutoAnswer(const InboundFlags& flags, std::string_view own_addresses) {
  LoopVerdict out;
  for (const Rule& r : kLoopRules) {
    if (!r.matches(flags, own_addresses)) continue;
    if (out.may_auto_answer) {
      out.may_auto_answer = false;
      out.rule = r.name;
    }
    out.automatic = out.automatic || r.automatic;
  }
  return out;
}

}  // namespace soporte::domain::mail
