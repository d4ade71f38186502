// The decisions IngestMessage takes on one inbound message's text, apart from the transaction
// that stores it, so each has its own unit test: which errors mean "retry", whether the raw
// message is kept, and the subject, body and notes the desk stores (placeholders when the
// message gives none, cuts at UTF-8 character boundaries). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "app/mail/ingest_message.hpp"
#include "common/result.hpp"
#include "domain/account/account.hpp"
#include "domain/mail/auth_results.hpp"

namespace soporte::app::ingest {

// Longest texts stored: subject, ticket description / article body / unassigned body, bounce
// note text, an outbox row's bounce error.
inline constexpr std::size_t kMaxSubject = 300;
inline constexpr std::size_t kMaxBody = 100 * 1024;
inline constexpr std::size_t kMaxBounceText = 8 * 1024;
inline constexpr std::size_t kMaxBounceError = 500;

// True for errors that mean "try again" (unavailable, aborted, exhausted, internal): the message
// is then NOT stored and must not be acknowledged; any other refusal keeps it for agents.
bool IsTransient(ErrorCode code);

// At most `max` bytes of `s`, cut at a UTF-8 character boundary (never inside a character).
std::string CutUtf8(std::string s, std::size_t max);

// `s` without leading and trailing spaces, tabs, CRs and LFs.
std::string Trimmed(const std::string& s);

// `s` on one line: each run of whitespace becomes one space, none at either end; stops a little
// past 600 bytes (for a short error note).
std::string OneLine(const std::string& s);

// Whether the whole raw message is kept as a blob: for bounces, unknown (or inactive) senders,
// staff senders and unverified authors (`trusted` false), whose mail may end up kept for agents;
// never for a customer's ordinary mail.
bool KeepsRawMessage(bool is_dsn, const std::optional<domain::User>& sender, bool trusted);

// Whether the message may be stored as its From address's own words (an article or a ticket by
// that user). Without options.auth_serv_id, always (the MTA checks nothing for us); with it, only
// when our MTA's Authentication-Results verified the author (domain/mail/auth_results).
bool MayPostAsSender(const IngestOptions& options, const domain::mail::AuthVerdict& verdict);

// The subject stored for the message: trimmed and cut to kMaxSubject, or options.no_subject.
std::string StoredSubject(const std::string& raw_subject, const IngestOptions& options);

// The body of a reply article: the text without its quoted history (options.no_text when
// nothing is left); an automatic answer (out of office) is prefixed with options.auto_reply_note.
// Cut to kMaxBody.
std::string ReplyBody(const std::string& text, bool automatic, const IngestOptions& options);

// The subject of a new ticket made from the message: `subject` as stored, without "Re:"-style
// prefixes when the message answered a ticket it could not join (closed); options.no_subject
// when nothing is left.
std::string NewTicketSubject(const std::string& subject, bool answered_a_ticket,
                             const IngestOptions& options);

// The description of a new ticket: the text (options.no_text when blank), cut to kMaxBody.
std::string NewTicketDescription(const std::string& text, const IngestOptions& options);

// The kept message a follow-up of `kept` (found by In-Reply-To/References) joins: the first
// message of kept's conversation (kept itself, or the one it follows); 0 when kept is no longer
// open (staff decided on it: the follow-up is then a message of its own).
std::int64_t HeldConversation(const InboundUnassignedRecord& kept);

// The internal note a bounce leaves on its ticket, and the error recorded on the outbox row of
// the returned message ("bounce: " + the DSN's text on one line).
std::string BounceNote(const std::string& text, const IngestOptions& options);
std::string BounceError(const std::string& text);

}  // namespace soporte::app::ingest
