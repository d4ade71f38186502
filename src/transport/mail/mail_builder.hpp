// Builds the RFC 5322 text of an outgoing mail from its outbox row with GMime: From, To, Subject
// (RFC 2047 when not ASCII), Date (the row's creation), our Message-ID, In-Reply-To/References
// (threading), Auto-Submitted (RFC 3834) and X-Auto-Response-Suppress (so Exchange's
// out-of-office does not answer), one text/plain UTF-8 quoted-printable body, CRLF line ends.
// Deterministic: a retry sends the same bytes. Thread-safe.
#pragma once

#include <string>

#include "app/ports/mail_records.hpp"

namespace soporte::transport::mail {

std::string BuildMessage(const app::OutboxRecord& mail, const std::string& from_address,
                         const std::string& from_name);

}  // namespace soporte::transport::mail
