// The file name of an attachment as the desk keeps it, whatever a client or a mail sent: valid
// UTF-8, one path component, no control characters, at most kMaxFileNameBytes bytes and never cut
// inside a character. One pure rule shared by uploads (API multipart) and mail attachments, so
// every JSON answer, header and history entry that shows a file name carries valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace soporte::domain {

inline constexpr std::size_t kMaxFileNameBytes = 200;

// Returns `raw` cleaned, in this order:
//  1. bytes that are not UTF-8 (stray continuation bytes, truncated or overlong sequences,
//     surrogates, code points past U+10FFFF) become U+FFFD, one per maximal invalid subpart
//     (Unicode §3.9, "U+FFFD substitution of maximal subparts");
//  2. only what follows the last '/' or '\' is kept (no "../" games in anything that saves it);
//  3. control characters are dropped: C0, DEL, C1, and the bidirectional controls (U+200E/F,
//     U+202A–U+202E, U+2066–U+2069) that can make "gpj.exe" look like "exe.jpg";
//  4. spaces at either end are trimmed;
//  5. an empty result, "." or ".." becomes `fallback`;
//  6. longer than `max_bytes`: the last whole characters that fit are kept (the extension
//     survives), never part of a character.
// Never fails; idempotent (cleaning a clean name returns it unchanged). `fallback` must itself be
// clean and fit. Pure; safe from any thread.
std::string CleanFileName(std::string_view raw, std::string_view fallback,
                          std::size_t max_bytes = kMaxFileNameBytes);

}  // namespace soporte::domain
