// Threading rules for inbound mail: which ticket a message belongs to. A reply joins its ticket
// by a stored Message-ID named in In-Reply-To/References (most reliable: our own outgoing ids are
// stored too) or, failing that, by the "[#NUMBER]" tag we put in every subject. Pure functions;
// the look-up of stored ids is the caller's (app/mail/ingest_message).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soporte::domain::mail {

// The ticket number of the first "[#NUMBER]" tag in `subject` (1 to 18 digits), or nullopt.
// "[# 12]", "[#]", "[#12a]" are not tags.
std::optional<std::int64_t> TicketNumberInSubject(std::string_view subject);

// `subject` with the tag added in front ("[#1042] subject"), unless it already carries it.
std::string TagSubject(std::string_view subject, std::int64_t number);

// `subject` without leading reply/forward prefixes in Spanish, English and other common clients
// ("Re:", "RE:", "RV:", "Fwd:", "FW:", "RES:", "AW:", "WG:", "SV:", "Antw:", "Réf:") and
// without a leading "[#NUMBER]" tag; trimmed.
std::string StripReplyPrefixes(std::string_view subject);

// Message ids to look up, most specific first: In-Reply-To, then References from the newest
// (last) to the oldest; duplicates and empty ids removed. Ids are given without angle brackets.
std::vector<std::string> ReferenceCandidates(const std::vector<std::string>& in_reply_to,
                                             const std::vector<std::string>& references);

// An id normalised for storage and comparison: angle brackets and surrounding white space
// removed. Case is kept (RFC 5322 ids are case-sensitive in the local part).
std::string NormalizeMessageId(std::string_view id);

}  // namespace soporte::domain::mail
