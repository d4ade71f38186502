// The mail servers' side of the email ports over libcurl: CurlSmtpSender (MailSender: one SMTP
// transaction per mail, envelope sender = our address so bounces come back to us) and
// CurlImapMailbox (Mailbox: EXAMINE for UIDVALIDITY, UID SEARCH, UID FETCH into a file, UID STORE
// of \Seen and $Soporte). Every call has connect and total timeouts. Each object is thread-safe
// (calls are serialised); libcurl's global state is initialised once.
#pragma once

#include <mutex>
#include <string>

#include "app/ports/mail.hpp"

typedef void CURL;

namespace soporte::transport::mail {

void InitCurl();

struct SmtpOptions {
  std::string url;           // smtp://127.0.0.1:31025 (smtps:// or STARTTLS by libcurl's rules)
  std::string from_address;  // envelope sender and From:
  std::string from_name = "Soporte";
  long connect_timeout_s = 10;
  long timeout_s = 60;
};

class CurlSmtpSender final : public app::MailSender {
 public:
  explicit CurlSmtpSender(SmtpOptions options);
  // kUnavailable on connection failures and 4xx; kInvalidArgument on a 5xx refusal.
  Status Send(const app::OutboxRecord& mail) override;

 private:
  SmtpOptions options_;
};

class CurlImapMailbox final : public app::Mailbox {
 public:
  // `url`: imap://user:password@host:port/MAILBOX (the mailbox part percent-encoded).
  explicit CurlImapMailbox(std::string url, long timeout_s = 60);
  ~CurlImapMailbox() override;
  std::string Name() const override;
  Result<std::pair<std::int64_t, std::vector<std::int64_t>>> Scan(std::int64_t after_uid) override;
  Status FetchToFile(std::int64_t uid, const std::string& path) override;
  Status MarkProcessed(std::int64_t uid) override;

 private:
  // Runs one request on the kept connection; the response body goes to `sink`.
  Status Perform(const std::string& url, const std::string& custom, std::string* body, int fd);

  std::string url_;       // as configured
  std::string base_;      // scheme://userinfo@host:port
  std::string mailbox_;   // decoded mailbox name
  std::string mailbox_path_;  // as in the URL (encoded)
  long timeout_s_;
  std::mutex mu_;
  CURL* curl_ = nullptr;
};

// "imap://user:pass@host:1/INBOX" → "imap://host:1/INBOX" (for logs and state keys).
std::string WithoutCredentials(const std::string& url);

}  // namespace soporte::transport::mail
