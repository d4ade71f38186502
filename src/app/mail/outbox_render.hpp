// OutboxRenderer: the text of an outbox row as it is sent. A row written before 0022, or by a
// mail kind that renders when it is queued (password resets, pages), holds its text; a row about
// a ticket change or a staff alert (0023) holds its facts (MailFacts), and the text is rendered
// here, at delivery and when staff list undelivered mail, outside the writer's transaction (issue
// 16, item 6). The facts are what was true when the change committed; only an article's body (which
// never changes) and the explanation of the due (from the contract's calendar) are read now.
#pragma once

#include <string>

#include "app/ports/mail.hpp"
#include "app/ports/store.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

class OutboxRenderer {
 public:
  // `support_address`: the signature's and unknown_sender's address (as the From: of the sender).
  OutboxRenderer(const MailRenderer& renderer, const sla::SlaEngine& sla,
                 std::string support_address);

  // The subject (tagged "[#number]" when about a ticket) and body of `row`: its stored text when
  // it holds no facts, else rendered from them in row.lang. The due is explained only when the
  // contract's calendar still gives the due the facts recorded: a calendar edited after the
  // change would explain another due, so the mail then shows the due alone.
  // Fails with kNotFound when the article an agent_reply carries is gone, or with the store's
  // error when it cannot be read. Thread-safe (const); reads through `tx`.
  Result<RenderedMail> Render(ReadTx& tx, const OutboxRecord& row) const;

 private:
  const MailRenderer& renderer_;
  const sla::SlaEngine& sla_;
  std::string support_address_;
};

}  // namespace soporte::app
