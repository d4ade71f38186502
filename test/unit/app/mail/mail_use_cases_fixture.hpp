// What the email use-case tests share: MemoryStore + FakeClock wired into TicketService,
// MailNotifier, IngestMessage and InboundDesk (MailUseCasesTest), and scripted stand-ins for the
// renderer, the SMTP sender, the IMAP mailbox and the MIME parser. The tests, one file a use
// case: ingest_message_test, mail_notifier_test, inbound_desk_test, mail_poller_test, outbox_test.
#pragma once

#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "app/accounts/admin_service.hpp"
#include "app/mail/inbound_desk.hpp"
#include "app/mail/ingest_message.hpp"
#include "app/mail/mail_notifier.hpp"
#include "app/mail/mail_poller.hpp"
#include "app/mail/outbox.hpp"
#include "app/mail/outbox_render.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app::mail_test {

using domain::Role;

// 2026-12-02T15:00:00Z, a Wednesday: 10:00 in Bogota, inside the email window.
inline constexpr Instant kWednesday{Seconds{1796223600}};

// Echoes what the mail would say: the kind and language in the subject; the reply's body, the
// missing items, the facts (subject, criticality, due, names) and whether the due is explained
// in the body.
class EchoRenderer final : public MailRenderer {
 public:
  RenderedMail Render(const MailContext& c) const override {
    std::string missing;
    for (const auto& item : c.missing_items) missing += " missing:" + item;
    return {std::string(MailKindName(c.kind)) + " " + c.lang,
            "body " + c.lang + " " + c.body + missing + " subject:" + c.subject + " criticality:" +
                c.criticality + " due:" + std::to_string(c.due.time_since_epoch().count()) +
                " to:" + c.recipient_name + " by:" + c.author_name +
                (c.timeline ? " explained" : "")};
  }
};

// A sender whose answer is scripted: each call pops the next status (Ok when the script ends).
// It keeps what it was handed (the rendered subject and body).
class ScriptedSender final : public MailSender {
 public:
  Status Send(const OutboxRecord& mail) override {
    sent_ids.push_back(mail.message_id);
    sent.push_back(mail);
    if (script.empty()) return Ok();
    Status st = script.front();
    script.erase(script.begin());
    return st;
  }
  std::vector<Status> script;
  std::vector<std::string> sent_ids;
  std::vector<OutboxRecord> sent;  // every mail handed over, as rendered for sending
};

// A mailbox of numbered messages whose file is "from\nsubject\ntext" (no Message-ID, so a
// message stored twice would show as a second ticket).
class FakeMailbox final : public Mailbox {
 public:
  std::string Name() const override { return "imap://fake/INBOX"; }
  Result<std::pair<std::int64_t, std::vector<std::int64_t>>> Scan(std::int64_t after) override {
    std::vector<std::int64_t> uids;
    for (const auto& [uid, m] : messages) {
      if (uid > after) uids.push_back(uid);
    }
    return std::make_pair(std::int64_t{77}, uids);
  }
  Status FetchToFile(std::int64_t uid, const std::string& path) override {
    std::ofstream(path) << messages.at(uid);
    return Ok();
  }
  Status MarkProcessed(std::int64_t uid) override {
    flagged.insert(uid);
    return Ok();
  }
  std::map<std::int64_t, std::string> messages;
  std::set<std::int64_t> flagged;
};

// Reads the FakeMailbox format; answers kUnavailable (a transient failure) for subjects listed
// in `fail_subjects`.
class LineParser final : public MessageParser {
 public:
  Result<InboundMessage> ParseFile(const std::string& path) override {
    std::ifstream in(path);
    InboundMessage m;
    std::getline(in, m.from_address);
    std::getline(in, m.subject);
    std::getline(in, m.text);
    m.flags.from_address = m.from_address;
    m.flags.return_path = m.from_address;
    std::lock_guard lock(mu);
    if (fail_subjects.count(m.subject)) return Fail(ErrorCode::kUnavailable, "disk full");
    return m;
  }
  std::mutex mu;
  std::set<std::string> fail_subjects;
};

class MailUseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    notifier_ = std::make_unique<MailNotifier>(MailNotifierOptions{});
    outbox_renderer_ = std::make_unique<OutboxRenderer>(renderer_, *sla_, "soporte@example.com");
    tickets_->SetNotifier(notifier_.get());
    ingest_ = std::make_unique<IngestMessage>(store_, *tickets_, *notifier_, bus_, clock_,
                                              IngestOptions{});
    desk_ = std::make_unique<InboundDesk>(store_, *tickets_, notifier_.get(), bus_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    NewContract c;
    c.modality = sla::Modality::k8x5;
    c.valid_from = std::chrono::floor<std::chrono::days>(kWednesday) - std::chrono::days{30};
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c));
    ASSERT_TRUE(admin_->CreateContract(sys, "globex", c));
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(), NewUser{email, "N " + email, role, org, ""});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  static InboundMessage Mail(std::string from, std::string subject, std::string id,
                             std::string text = "hola") {
    InboundMessage m;
    m.from_address = from;
    m.flags.from_address = from;
    m.flags.return_path = from;
    m.subject = std::move(subject);
    m.message_id = std::move(id);
    m.text = std::move(text);
    return m;
  }

  // The outbox as stored.
  std::vector<OutboxRecord> StoredOutbox() {
    return *ReadValue(store_, [](ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
  }
  // The outbox with each row's subject and body as they would be sent now (rows kept as facts
  // rendered by the OutboxRenderer).
  std::vector<OutboxRecord> Outbox() {
    return *ReadValue(store_, [this](ReadTx& tx) -> Result<std::vector<OutboxRecord>> {
      SOPORTE_TRY(rows, tx.mail().ListOutbox(std::nullopt));
      for (auto& r : rows) {
        SOPORTE_TRY(text, outbox_renderer_->Render(tx, r));
        r.subject = std::move(text.subject);
        r.body_text = std::move(text.body);
      }
      return rows;
    });
  }
  std::vector<domain::Article> Articles(std::int64_t number) {
    return *ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::Article>> {
      SOPORTE_TRY(t, tx.tickets().GetTicketByNumber(number));
      return tx.tickets().ListArticles(t.id, true);
    });
  }
  std::vector<domain::TicketEvent> Events(std::int64_t number) {
    return *ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::TicketEvent>> {
      SOPORTE_TRY(t, tx.tickets().GetTicketByNumber(number));
      return tx.audit().ListEvents(t.id);
    });
  }
  static bool HasEvent(const std::vector<domain::TicketEvent>& evs, const std::string& field) {
    for (const auto& e : evs) {
      if (e.field == field) return true;
    }
    return false;
  }

  FakeClock clock_{kWednesday};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  EchoRenderer renderer_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<MailNotifier> notifier_;
  std::unique_ptr<OutboxRenderer> outbox_renderer_;
  std::unique_ptr<IngestMessage> ingest_;
  std::unique_ptr<InboundDesk> desk_;
  Principal customer_, agent_;
};

}  // namespace soporte::app::mail_test
