#include "transport/mail/gmime_parser.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

#include <gmime/gmime.h>

#include "domain/mail/mail_text.hpp"
#include "transport/mail/html_text.hpp"
#include "domain/ticket/file_name.hpp"
#include "domain/mail/thread_matcher.hpp"

namespace soporte::transport::mail {
namespace {

struct Unref {
  void operator()(gpointer p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, Unref>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string TrimCopy(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string Header(GMimeObject* o, const char* name) {
  const char* v = g_mime_object_get_header(o, name);
  return v ? TrimCopy(v) : std::string();
}

// Valid UTF-8: when the declared charset lied, read the bytes as Windows-1252 (a superset of
// ISO-8859-1 that covers what Spanish mail clients send), then replace what is left.
std::string ValidUtf8(std::string s) {
  if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return s;
  gsize written = 0;
  char* conv = g_convert(s.data(), static_cast<gssize>(s.size()), "UTF-8", "WINDOWS-1252", nullptr,
                         &written, nullptr);
  if (conv) {
    std::string out(conv, written);
    g_free(conv);
    if (g_utf8_validate(out.data(), static_cast<gssize>(out.size()), nullptr)) return out;
  }
  char* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(fixed);
  g_free(fixed);
  return out;
}

std::vector<std::string> ParseIds(const std::string& value) {
  std::vector<std::string> out;
  if (value.empty()) return out;
  GMimeReferences* refs = g_mime_references_parse(nullptr, value.c_str());
  if (!refs) return out;
  for (int i = 0; i < g_mime_references_length(refs); ++i) {
    out.push_back(g_mime_references_get_message_id(refs, i));
  }
  g_mime_references_free(refs);
  return out;
}

// Every value of header `name` on `o` (case-insensitive), in order, trimmed.
std::vector<std::string> AllHeaders(GMimeObject* o, const char* name) {
  std::vector<std::string> out;
  GMimeHeaderList* list = g_mime_object_get_header_list(o);
  if (!list) return out;
  const int n = g_mime_header_list_get_count(list);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* hn = h ? g_mime_header_get_name(h) : nullptr;
    if (!hn || g_ascii_strcasecmp(hn, name) != 0) continue;
    const char* v = g_mime_header_get_value(h);
    out.push_back(v ? ValidUtf8(TrimCopy(v)) : std::string());
  }
  return out;
}

// The ids of In-Reply-To or References: every bracketed id, whatever text surrounds it (RFC 5322
// §4.5.4 obsolete forms); GMime's own parser for what has no bracketed id with "@".
std::vector<std::string> ThreadIds(const std::string& value) {
  std::vector<std::string> ids = domain::mail::MessageIdsIn(value);
  return ids.empty() ? ParseIds(value) : ids;
}

// The first mailbox with an "@" in `list` (which may be null): its address, trimmed and
// lower-case, into `addr`, and its display name into `name` when asked.
void FirstMailbox(InternetAddressList* list, std::string& addr, std::string* name) {
  if (!list) return;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) continue;
    const char* a = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    if (!a || !std::strchr(a, '@')) continue;
    addr = Lower(TrimCopy(a));
    if (name) {
      if (const char* n = internet_address_get_name(ia)) *name = ValidUtf8(n);
    }
    return;
  }
}

std::string LangOf(const std::string& value) {
  const std::string v = Lower(value);
  if (v.starts_with("es")) return "es";
  if (v.starts_with("en")) return "en";
  return "";
}

// "Message-ID: <x@y>" lines in free text (non-standard bounces quote the returned header).
void ScanMessageIds(std::string_view text, std::vector<std::string>& out) {
  const std::string lower = Lower(text);
  for (std::size_t pos = lower.find("message-id:"); pos != std::string::npos;
       pos = lower.find("message-id:", pos + 11)) {
    const auto open = text.find('<', pos);
    const auto nl = text.find('\n', pos);
    if (open == std::string_view::npos || (nl != std::string_view::npos && open > nl)) continue;
    const auto close = text.find('>', open);
    if (close == std::string_view::npos) continue;
    out.push_back(std::string(text.substr(open + 1, close - open - 1)));
  }
}

class Walker {
 public:
  Walker(app::BlobStore& blobs, const std::string& tmp_dir, const app::ParserLimits& limits,
         app::InboundMessage& msg)
      : blobs_(blobs), tmp_dir_(tmp_dir), limits_(limits), msg_(msg) {}

  Status Walk(GMimeObject* obj, int depth) {
    if (depth > 20) return Ok();
    if (++parts_ > limits_.max_parts) return Ok();  // the rest is ignored, not an error
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      const bool alternative = ct && g_mime_content_type_is_type(ct, "multipart", "alternative");
      for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
        GMimeObject* child = g_mime_multipart_get_part(mp, i);
        (void)alternative;  // text/plain wins over text/html below, in any order
        SOPORTE_TRY_STATUS(Walk(child, depth + 1));
      }
      return Ok();
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (inner && msg_.flags.is_dsn) {
        if (const char* id = g_mime_message_get_message_id(inner)) msg_.dsn_original_ids.push_back(id);
      }
      // Kept whole as an attachment (a forwarded or returned message).
      GPtr<GMimeStream> out;
      return StoreObject(obj, "mensaje.eml", "message/rfc822", false);
    }
    if (!GMIME_IS_PART(obj)) return Ok();
    GMimePart* part = GMIME_PART(obj);
    GMimeContentDisposition* disp = g_mime_object_get_content_disposition(obj);
    const char* fname = g_mime_part_get_filename(part);
    const bool attachment = (disp && g_mime_content_disposition_is_attachment(disp)) || fname;
    const std::string type = ct ? Lower(std::string(g_mime_content_type_get_media_type(ct)) + "/" +
                                        g_mime_content_type_get_media_subtype(ct))
                                : "text/plain";
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    const gint64 encoded_size = content ? g_mime_stream_length(g_mime_data_wrapper_get_stream(content)) : 0;
    const bool small_text = encoded_size >= 0 &&
                            encoded_size <= static_cast<gint64>(limits_.max_text) * 8;

    if (type == "text/rfc822-headers" || type == "message/delivery-status") {
      if (msg_.flags.is_dsn && small_text) {
        std::string text = TextOf(part);
        if (type == "text/rfc822-headers") ScanMessageIds(text, msg_.dsn_original_ids);
        if (type == "message/delivery-status") dsn_status_ = text;
      }
      return Ok();
    }
    if (!attachment && GMIME_IS_TEXT_PART(obj) && small_text) {
      if (type == "text/plain" && !have_plain_) {
        msg_.text = TextOf(part);
        have_plain_ = true;
        return Ok();
      }
      if (type == "text/html" && !have_html_) {
        html_ = TextOf(part);
        have_html_ = true;
        return Ok();
      }
    }
    if (!content) return Ok();
    std::string name = fname ? ValidUtf8(fname) : "";
    const bool is_inline = !attachment && type.starts_with("image/");
    if (name.empty()) {
      const char* cid = g_mime_part_get_content_id(part);
      name = "adjunto-" + std::to_string(++unnamed_);
      if (cid) name = "imagen-" + std::to_string(unnamed_);
      const auto slash = type.find('/');
      name += "." + (slash == std::string::npos ? std::string("bin") : type.substr(slash + 1));
    }
    // One path component, no controls, cut at a character boundary (domain/ticket/file_name.hpp).
    name = domain::CleanFileName(name, "adjunto");
    return StoreContent(content, name, type, is_inline);
  }

  void Finish() {
    if (!have_plain_ && have_html_) {
      msg_.text = HtmlToText(html_);
      msg_.text_from_html = true;
      // The HTML itself is kept as an attachment (mensaje.html).
      auto blob = StoreString(html_);
      if (blob) msg_.html = *blob;
    }
    if (msg_.flags.is_dsn && !dsn_status_.empty()) {
      msg_.text += "\n\n" + dsn_status_;
    }
    if (msg_.flags.is_dsn && msg_.dsn_original_ids.empty()) ScanMessageIds(msg_.text, msg_.dsn_original_ids);
    msg_.text = domain::mail::NormalizeNewlines(msg_.text);
    if (msg_.text.size() > limits_.max_text) {
      std::size_t n = limits_.max_text;
      while (n > 0 && (static_cast<unsigned char>(msg_.text[n]) & 0xC0) == 0x80) --n;
      msg_.text.resize(n);
    }
  }

 private:
  std::string TextOf(GMimePart* part) {
    if (GMIME_IS_TEXT_PART(part)) {
      char* t = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
      if (!t) return "";
      std::string s(t);
      g_free(t);
      return ValidUtf8(std::move(s));
    }
    // message/delivery-status and other non-text/* parts: decode the bytes as they are.
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) return "";
    GPtr<GMimeStream> mem(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, mem.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    return ValidUtf8(std::string(reinterpret_cast<const char*>(bytes->data), bytes->len));
  }

  // Decodes into a temporary file, then copies it into the blob store in 64 KiB chunks: no
  // attachment is ever held in memory whole.
  template <class WriteFn>
  Status StoreVia(WriteFn write, const std::string& name, const std::string& type, bool is_inline) {
    std::string tmpl = tmp_dir_ + "/part-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot create a file in " + tmp_dir_ + ": " + std::strerror(errno));
    ::unlink(tmpl.c_str());
    GPtr<GMimeStream> out(g_mime_stream_fs_new(fd));  // owns fd
    if (write(out.get()) < 0) return Fail(ErrorCode::kUnavailable, "cannot decode part " + name);
    g_mime_stream_flush(out.get());
    if (::lseek(fd, 0, SEEK_SET) < 0) return Fail(ErrorCode::kUnavailable, "cannot rewind part " + name);
    SOPORTE_TRY(writer, blobs_.Begin(limits_.max_attachment));
    std::string buf(64 * 1024, '\0');
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(ErrorCode::kUnavailable, "cannot read part " + name);
      }
      if (n == 0) break;
      SOPORTE_TRY_STATUS(writer->Write(std::string_view(buf.data(), static_cast<std::size_t>(n))));
    }
    SOPORTE_TRY(blob, writer->Commit());
    msg_.attachments.push_back(app::InboundAttachment{name, type, blob, is_inline});
    return Ok();
  }

  Status StoreContent(GMimeDataWrapper* content, const std::string& name, const std::string& type, bool is_inline) {
    return StoreVia([&](GMimeStream* s) { return g_mime_data_wrapper_write_to_stream(content, s); },
                    name, type, is_inline);
  }
  Status StoreObject(GMimeObject* obj, const std::string& name, const std::string& type, bool is_inline) {
    return StoreVia([&](GMimeStream* s) { return g_mime_object_write_to_stream(obj, nullptr, s); },
                    name, type, is_inline);
  }
  Result<app::BlobInfo> StoreString(const std::string& s) {
    SOPORTE_TRY(writer, blobs_.Begin(limits_.max_attachment));
    SOPORTE_TRY_STATUS(writer->Write(s));
    return writer->Commit();
  }

  app::BlobStore& blobs_;
  const std::string& tmp_dir_;
  const app::ParserLimits& limits_;
  app::InboundMessage& msg_;
  int parts_ = 0;
  int unnamed_ = 0;
  bool have_plain_ = false, have_html_ = false;
  std::string html_;
  std::string dsn_status_;
};

}  // namespace

void InitGmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

GmimeParser::GmimeParser(app::BlobStore& blobs, std::string tmp_dir, app::ParserLimits limits)
    : blobs_(blobs), tmp_dir_(std::move(tmp_dir)), limits_(limits) {
  InitGmime();
}

Result<app::InboundMessage> GmimeParser::ParseFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot open " + path + ": " + std::strerror(errno));
  const off_t size = ::lseek(fd, 0, SEEK_END);
  ::lseek(fd, 0, SEEK_SET);
  if (size > limits_.max_message) {
    ::close(fd);
    return Fail(ErrorCode::kTooLarge, "message of " + std::to_string(size) + " bytes is over the limit");
  }
  GPtr<GMimeStream> stream(g_mime_stream_fs_new(fd));  // owns fd
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_persist_stream(parser.get(), TRUE);  // contents stay in the file
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  app::InboundMessage msg;
  msg.raw_size = size;
  msg.keep_raw = [this, path]() -> Result<app::BlobInfo> {
    const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return Fail(ErrorCode::kUnavailable, "cannot open " + path);
    auto writer = blobs_.Begin(limits_.max_message);
    if (!writer) {
      ::close(in);
      return tl::make_unexpected(writer.error());
    }
    std::string buf(64 * 1024, '\0');
    for (;;) {
      const ssize_t n = ::read(in, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (auto st = (*writer)->Write(std::string_view(buf.data(), static_cast<std::size_t>(n))); !st) {
        ::close(in);
        return tl::make_unexpected(st.error());
      }
    }
    ::close(in);
    return (*writer)->Commit();
  };
  if (!message) {
    // Not even a header block: keep what there is as text so nothing is lost.
    msg.text = "(mensaje ilegible)";
    return msg;
  }
  GMimeObject* top = GMIME_OBJECT(message.get());
  if (const char* s = g_mime_message_get_subject(message.get())) msg.subject = ValidUtf8(s);
  if (const char* id = g_mime_message_get_message_id(message.get())) msg.message_id = ValidUtf8(id);
  std::string from_address;
  std::string sender_address;
  FirstMailbox(g_mime_message_get_from(message.get()), from_address, &msg.from_name);
  FirstMailbox(g_mime_message_get_sender(message.get()), sender_address, nullptr);
  // A message without From (or with no address in it) is still somebody's: Sender, then the
  // envelope's Return-Path (domain/mail/thread_matcher AuthorAddress).
  msg.from_address =
      domain::mail::AuthorAddress(from_address, sender_address, Header(top, "Return-Path"));
  msg.authentication_results = AllHeaders(top, "Authentication-Results");
  msg.in_reply_to = ThreadIds(Header(top, "In-Reply-To"));
  msg.references = ThreadIds(Header(top, "References"));
  if (GDateTime* d = g_mime_message_get_date(message.get())) {
    msg.date = Instant{Seconds{g_date_time_to_unix(d)}};
  }
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  // GMime files Content-* headers of the top level under the body part.
  msg.language = LangOf(Header(top, "Content-Language"));
  if (msg.language.empty() && body) msg.language = LangOf(Header(body, "Content-Language"));
  if (msg.language.empty()) msg.language = LangOf(Header(top, "Accept-Language"));

  auto& f = msg.flags;
  f.from_address = msg.from_address;
  if (g_mime_object_get_header(top, "Return-Path")) {
    std::string rp = Header(top, "Return-Path");
    f.return_path = (rp == "<>" || rp.empty()) ? std::string() : rp;
  }
  f.auto_submitted = Header(top, "Auto-Submitted");
  f.precedence = Header(top, "Precedence");
  f.has_list_id = g_mime_object_get_header(top, "List-Id") || g_mime_object_get_header(top, "List-Unsubscribe");
  f.x_auto_response_suppress = Header(top, "X-Auto-Response-Suppress");
  f.has_autoreply_marker = g_mime_object_get_header(top, "X-Autoreply") ||
                           g_mime_object_get_header(top, "X-Autorespond") ||
                           g_mime_object_get_header(top, "X-Auto-Reply");
  if (body) {
    GMimeContentType* ct = g_mime_object_get_content_type(body);
    if (ct && g_mime_content_type_is_type(ct, "multipart", "report")) {
      const char* rt = g_mime_content_type_get_parameter(ct, "report-type");
      f.is_dsn = rt && Lower(rt) == "delivery-status";
    }
  }
  // Non-standard bounces: a mailer daemon writing from the null reverse path.
  if (!f.is_dsn) {
    const std::string local = msg.from_address.substr(0, msg.from_address.find('@'));
    if ((local == "mailer-daemon" || local == "postmaster") &&
        (!f.return_path || f.return_path->empty())) {
      f.is_dsn = true;
    }
  }
  Walker walker(blobs_, tmp_dir_, limits_, msg);
  if (body) SOPORTE_TRY_STATUS(walker.Walk(body, 0));
  walker.Finish();
  return msg;
}

Result<std::string> SpoolFd(int fd, const std::string& dir, std::int64_t max_bytes) {
  std::string path = dir + "/spool-XXXXXX";
  const int out = ::mkstemp(path.data());
  if (out < 0) return Fail(ErrorCode::kUnavailable, "cannot create a file in " + dir + ": " + std::strerror(errno));
  std::string buf(64 * 1024, '\0');
  std::int64_t total = 0;
  auto fail = [&](ErrorCode code, std::string why) -> Result<std::string> {
    ::close(out);
    ::unlink(path.c_str());
    return Fail(code, std::move(why));
  };
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorCode::kUnavailable, std::string("cannot read the message: ") + std::strerror(errno));
    }
    if (n == 0) break;
    total += n;
    if (total > max_bytes) return fail(ErrorCode::kTooLarge, "the message is over " + std::to_string(max_bytes) + " bytes");
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out, buf.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail(ErrorCode::kUnavailable, std::string("cannot spool the message: ") + std::strerror(errno));
      }
      done += w;
    }
  }
  ::close(out);
  return path;
}

}  // namespace soporte::transport::mail
