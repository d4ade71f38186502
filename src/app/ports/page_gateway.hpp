// The SMS/voice gateway port: hands one page to the outside world (transport/oncall runs the
// `serve --page-command` program with the page as JSON on its stdin). Implemented in transport;
// the app decides what a page says, the transport how it is encoded and sent.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::app {

// What a page tells the engineer: nothing beyond the ticket's number, subject and criticality,
// why it pages (reason), who is paged and the acknowledge link.
struct PageMessage {
  std::int64_t page_id = 0;
  std::int64_t delivery_id = 0;  // unique per person and level: the same on a retry
  std::int64_t number = 0;
  std::string subject;
  std::string criticality;  // "normal", "important", "critical"
  std::string reason;       // "critical_created", "sla_warning", "sla_breach"
  int level = 0;            // 0 primary, 1 secondary, 2 supervisors
  int attempt = 1;
  std::string to_name;
  std::string to_email;
  std::string lang;     // "es" or "en": the language of the person paged
  std::string ack_url;  // "" when no portal URL is configured
  Instant ack_expires_at;
  Instant paged_at;
};

class PageGateway {
 public:
  virtual ~PageGateway() = default;
  // Sends one page. Ok when the gateway took it (the command exited 0); kUnavailable with the
  // reason otherwise (non-zero exit, killed after its timeout, could not start): retried later.
  // Blocks up to the configured timeout; call from a worker thread. Thread-safe.
  virtual Status Send(const PageMessage& page) = 0;
};

}  // namespace soporte::app
