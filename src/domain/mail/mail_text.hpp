// Text of inbound mail: cutting the quoted history from a reply (Gmail, Outlook, Thunderbird,
// Apple Mail, in Spanish and English). HTML-only mail reaches the domain already as text (the
// mail transport lays it out through an HTML5 parser: transport/mail/html_text.hpp).
// Pure functions over UTF-8; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace soporte::domain::mail {

// The new part of a reply: everything before the first recognised start of quoted history
//   "On … wrote:" / "El … escribió:" (possibly wrapped over two lines), "-----Original Message-----",
//   "-----Mensaje original-----", an Outlook header block ("From:/De:" followed by
//   "Sent:/Enviado:/Date:/Fecha:"), the Outlook underscore rule, or a trailing block of "> " lines;
// trailing blank lines removed. When nothing is recognised, or the cut would leave nothing,
// returns `text` unchanged (trimmed at the end).
std::string StripQuotedHistory(std::string_view text);

// Normalises line ends to "\n" and removes trailing white space at the end of the text.
std::string NormalizeNewlines(std::string_view text);

}  // namespace soporte::domain::mail
