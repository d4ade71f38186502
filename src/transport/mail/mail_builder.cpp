#include "transport/mail/mail_builder.hpp"

#include <gmime/gmime.h>

#include "transport/mail/gmime_parser.hpp"

namespace soporte::transport::mail {
namespace {

// "a b c" → "<a> <b> <c>".
std::string Bracketed(const std::string& ids) {
  std::string out;
  std::size_t pos = 0;
  while (pos < ids.size()) {
    const auto end = ids.find(' ', pos);
    const std::string id = ids.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!id.empty()) {
      if (!out.empty()) out += " ";
      out += "<" + id + ">";
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::string BuildMessage(const app::OutboxRecord& r, const std::string& from_address,
                         const std::string& from_name) {
  InitGmime();
  GMimeMessage* m = g_mime_message_new(TRUE);
  g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, from_name.c_str(), from_address.c_str());
  g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, nullptr, r.to_address.c_str());
  g_mime_message_set_subject(m, r.subject.c_str(), "utf-8");
  g_mime_message_set_message_id(m, r.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(r.created_at.time_since_epoch().count());
  g_mime_message_set_date(m, date);
  g_date_time_unref(date);
  GMimeObject* top = GMIME_OBJECT(m);
  if (!r.in_reply_to.empty()) g_mime_object_set_header(top, "In-Reply-To", Bracketed(r.in_reply_to).c_str(), nullptr);
  if (!r.references.empty()) g_mime_object_set_header(top, "References", Bracketed(r.references).c_str(), nullptr);
  g_mime_object_set_header(top, "Auto-Submitted", r.auto_submitted.c_str(), nullptr);
  g_mime_object_set_header(top, "X-Auto-Response-Suppress", "All", nullptr);
  g_mime_object_set_header(top, "Content-Language", r.lang.c_str(), nullptr);
  GMimeTextPart* body = g_mime_text_part_new_with_subtype("plain");
  g_mime_text_part_set_text(body, r.body_text.c_str());
  g_mime_part_set_content_encoding(GMIME_PART(body), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_message_set_mime_part(m, GMIME_OBJECT(body));
  g_object_unref(body);
  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* text = g_mime_object_to_string(top, options);
  std::string out(text ? text : "");
  g_free(text);
  g_mime_format_options_free(options);
  g_object_unref(m);
  return out;
}

}  // namespace soporte::transport::mail
