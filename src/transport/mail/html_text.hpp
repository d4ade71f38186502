// Readable plain text from the HTML body of inbound mail (HTML-only messages: Outlook, Gmail,
// web forms). The HTML goes through a real HTML5 parser (gumbo, the WHATWG tokenizer and tree
// builder), so attributes, comments, CDATA, character references and broken markup are read the
// way a browser reads them; this file only decides how the resulting tree is laid out as text.
// Part of the mail transport: the domain sees only the text (and the quoted-history rules of
// domain/mail/mail_text.hpp then apply to it like to any text/plain body).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace soporte::transport::mail {

// Only this many bytes of HTML are parsed (cut at a character boundary): the ticket keeps at most
// ParserLimits::max_text of text, the full HTML stays attached, and the parser's memory grows with
// its input.
inline constexpr std::size_t kMaxHtmlToParse = 4 * 1024 * 1024;

// Only the HTML before the 4,001st start tag is parsed. gumbo's tree builder takes time quadratic
// in the depth of open elements (measured on this machine with gumbo 0.10.1: 8,000 nested <div>
// in 40 KB take 1.4 s, 16,000 take 5.5 s; nested tables are ten times worse), and depth can only
// come from start tags. With the cap, 100,000 nested <div> cost 17 ms of CPU (bench/
// html_text_bench); a person's reply has far fewer tags, and what is cut is the end: the quoted
// history (the HTML itself stays attached to the ticket).
inline constexpr std::size_t kMaxStartTags = 4000;

// The text of `html` (UTF-8; invalid bytes become U+FFFD):
//  - <head>, <script>, <style>, <template>, <noscript>, comments and <img> are dropped;
//  - block elements (p, div, h1–h6, table, tr, blockquote, pre, hr, section…) start and end a
//    line; p and h1–h6 are set apart by a blank line; <br> is a line break;
//  - list items start with "- " (ordered lists: "1. ", "2. "…);
//  - a link whose text differs from its target reads "text (url)" (mailto: targets compared
//    without the scheme; "#…" and javascript: targets are not shown);
//  - table cells of a row are separated by " | " (empty cells, as in layout tables, add nothing);
//  - <blockquote> lines start with "> " (one per level, at most 8), so a quoted reply reads like
//    text mail; nested lists are indented by two spaces a level (at most 8 levels);
//  - character references are decoded; U+00A0 is a space; runs of white space collapse to one
//    space outside <pre>; no line ends in spaces; at most one blank line in a row; no leading or
//    trailing blank lines.
// Never fails (the HTML5 algorithm gives a tree for any input); bounded memory and no recursion
// over the tree (depth of nesting is not limited by the stack). Thread-safe.
std::string HtmlToText(std::string_view html);

}  // namespace soporte::transport::mail
