// Text of inbound mail: cutting the quoted history from a reply (Gmail, Outlook, Thunderbird,
// Apple Mail, in Spanish and English) and turning HTML-only mail into readable plain text.
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

// Readable text from HTML: drops <head>, <script>, <style> and comments; turns block elements
// (p, div, br, li, tr, h1–h6, blockquote) into line breaks and list items into "- "; decodes
// character references (named common ones, decimal and hex); collapses runs of white space.
std::string HtmlToText(std::string_view html);

// Normalises line ends to "\n" and removes trailing white space at the end of the text.
std::string NormalizeNewlines(std::string_view text);

}  // namespace soporte::domain::mail
