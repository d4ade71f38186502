#include "transport/mail/curl_mail.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <charconv>
#include <cstring>

#include <curl/curl.h>

#include "transport/mail/mail_builder.hpp"

namespace soporte::transport::mail {
namespace {

struct Reader {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t ReadCallback(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Reader*>(user);
  const std::size_t room = size * n;
  const std::size_t left = r->data->size() - r->pos;
  const std::size_t take = std::min(room, left);
  std::memcpy(buf, r->data->data() + r->pos, take);
  r->pos += take;
  return take;
}

struct Sink {
  std::string* body = nullptr;
  int fd = -1;
  bool failed = false;
};

std::size_t WriteCallback(char* data, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  const std::size_t len = size * n;
  if (s->body) {
    if (s->body->size() + len > 16 * 1024 * 1024) return 0;  // a SEARCH answer has a limit too
    s->body->append(data, len);
  }
  if (s->fd >= 0) {
    for (std::size_t done = 0; done < len;) {
      const ssize_t w = ::write(s->fd, data + done, len - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        s->failed = true;
        return 0;
      }
      done += static_cast<std::size_t>(w);
    }
  }
  return len;
}

std::string Decode(const std::string& s) {
  int len = 0;
  char* out = curl_easy_unescape(nullptr, s.c_str(), static_cast<int>(s.size()), &len);
  if (!out) return s;
  std::string r(out, static_cast<std::size_t>(len));
  curl_free(out);
  return r;
}

// IMAP quoted string (RFC 3501 §4.3).
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

void InitCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string WithoutCredentials(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto host_start = scheme + 3;
  const auto slash = url.find('/', host_start);
  const auto at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at == std::string::npos || at < host_start) return url;
  return url.substr(0, host_start) + url.substr(at + 1);
}

CurlSmtpSender::CurlSmtpSender(SmtpOptions options) : options_(std::move(options)) { InitCurl(); }

Status CurlSmtpSender::Send(const app::OutboxRecord& mail) {
  const std::string text = BuildMessage(mail, options_.from_address, options_.from_name);
  CURL* c = curl_easy_init();
  if (!c) return Fail(ErrorCode::kUnavailable, "curl_easy_init failed");
  Reader reader{&text};
  const std::string from = "<" + options_.from_address + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + mail.to_address + ">").c_str());
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadCallback);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.timeout_s);
  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if (rc == CURLE_OK) return Ok();
  const std::string why = std::string("SMTP ") + options_.url + ": " + curl_easy_strerror(rc) +
                          (code ? " (" + std::to_string(code) + ")" : "");
  if (code >= 500 && code < 600) return Fail(ErrorCode::kInvalidArgument, why);
  return Fail(ErrorCode::kUnavailable, why);
}

CurlImapMailbox::CurlImapMailbox(std::string url, long timeout_s) : url_(std::move(url)), timeout_s_(timeout_s) {
  InitCurl();
  const auto scheme = url_.find("://");
  const auto slash = url_.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  base_ = slash == std::string::npos ? url_ : url_.substr(0, slash);
  mailbox_path_ = slash == std::string::npos ? "INBOX" : url_.substr(slash + 1);
  if (mailbox_path_.empty()) mailbox_path_ = "INBOX";
  if (!mailbox_path_.empty() && mailbox_path_.back() == '/') mailbox_path_.pop_back();
  mailbox_ = Decode(mailbox_path_);
}

CurlImapMailbox::~CurlImapMailbox() {
  if (curl_) curl_easy_cleanup(curl_);
}

std::string CurlImapMailbox::Name() const { return WithoutCredentials(base_) + "/" + mailbox_path_; }

Status CurlImapMailbox::Perform(const std::string& url, const std::string& custom, std::string* body, int fd) {
  if (!curl_) curl_ = curl_easy_init();
  if (!curl_) return Fail(ErrorCode::kUnavailable, "curl_easy_init failed");
  curl_easy_reset(curl_);  // options only: the connection stays open for the next request
  Sink sink{body, fd};
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  if (!custom.empty()) curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, custom.c_str());
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, WriteCallback);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, timeout_s_);
  const CURLcode rc = curl_easy_perform(curl_);
  if (sink.failed) return Fail(ErrorCode::kUnavailable, "cannot write the fetched message: " + std::string(std::strerror(errno)));
  if (rc != CURLE_OK) {
    // Drop the connection: the next request starts clean.
    curl_easy_cleanup(curl_);
    curl_ = nullptr;
    return Fail(ErrorCode::kUnavailable, "IMAP " + Name() + ": " + curl_easy_strerror(rc));
  }
  return Ok();
}

Result<std::pair<std::int64_t, std::vector<std::int64_t>>> CurlImapMailbox::Scan(std::int64_t after_uid) {
  std::lock_guard lock(mu_);
  std::string examine;
  SOPORTE_TRY_STATUS(Perform(base_ + "/", "EXAMINE " + Quoted(mailbox_), &examine, -1));
  std::int64_t uidvalidity = 0;
  if (const auto p = examine.find("[UIDVALIDITY "); p != std::string::npos) {
    const char* begin = examine.data() + p + 13;
    std::from_chars(begin, examine.data() + examine.size(), uidvalidity);
  }
  if (uidvalidity <= 0) return Fail(ErrorCode::kUnavailable, "IMAP " + Name() + ": no UIDVALIDITY in EXAMINE");
  std::string search;
  SOPORTE_TRY_STATUS(Perform(base_ + "/" + mailbox_path_,
                             "UID SEARCH UID " + std::to_string(after_uid + 1) + ":*", &search, -1));
  std::vector<std::int64_t> uids;
  for (std::size_t line = search.find("* SEARCH"); line != std::string::npos;
       line = search.find("* SEARCH", line + 1)) {
    std::size_t i = line + 8;
    const std::size_t end = search.find('\n', i);
    while (i < search.size() && i < end) {
      while (i < end && search[i] == ' ') ++i;
      std::int64_t uid = 0;
      auto [p, ec] = std::from_chars(search.data() + i, search.data() + std::min(end, search.size()), uid);
      if (ec != std::errc{}) break;
      if (uid > after_uid) uids.push_back(uid);
      i = static_cast<std::size_t>(p - search.data());
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return std::make_pair(uidvalidity, std::move(uids));
}

Status CurlImapMailbox::FetchToFile(std::int64_t uid, const std::string& path) {
  std::lock_guard lock(mu_);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot create " + path + ": " + std::strerror(errno));
  Status st = Perform(base_ + "/" + mailbox_path_ + "/;UID=" + std::to_string(uid), "", nullptr, fd);
  ::close(fd);
  return st;
}

Status CurlImapMailbox::MarkProcessed(std::int64_t uid) {
  std::lock_guard lock(mu_);
  std::string ignored;
  return Perform(base_ + "/" + mailbox_path_,
                 "UID STORE " + std::to_string(uid) + " +FLAGS (\\Seen $Soporte)", &ignored, -1);
}

}  // namespace soporte::transport::mail
