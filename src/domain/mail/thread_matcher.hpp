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

// Every "<id>" inside a header value, in order, without brackets: In-Reply-To and References as
// RFC 5322 §3.6.4 writes them, and the obsolete forms of §4.5.4 with text around the ids
// ("Your message of Tue, 3 Mar 2026 <x@y>", quoted phrases, comments). Text outside brackets is
// ignored; an id with white space or without "@" inside the brackets is skipped (a bracketed
// address comment such as "<ana>" is not a Message-ID). Never fails.
std::vector<std::string> MessageIdsIn(std::string_view header_value);

// The address that wrote the message: From, else Sender (RFC 5322 §3.6.2), else the envelope's
// Return-Path (RFC 5321 §4.4); each given as found ("" when missing; Return-Path may keep its
// brackets). Lower-case; "" when none holds an address with "@" ("<>" is the null sender).
std::string AuthorAddress(std::string_view from, std::string_view sender,
                          std::string_view return_path);

// An id normalised for storage and comparison: angle brackets and surrounding white space
// removed. Case is kept (RFC 5322 ids are case-sensitive in the local part).
std::string NormalizeMessageId(std::string_view id);

}  // namespace soporte::domain::mail
