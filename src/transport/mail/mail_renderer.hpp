// CatalogMailRenderer: the MailRenderer port over the i18n catalog (messages_mail.cpp). Times are
// shown in the contract's zone as ISO 8601 with offset; the acknowledgement explains the due with
// the same timeline text as `soporte sla explain`. Immutable; thread-safe.
#pragma once

#include "app/ports/mail.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::transport::mail {

class CatalogMailRenderer final : public app::MailRenderer {
 public:
  explicit CatalogMailRenderer(const domain::sla::SlaEngine& sla) : sla_(sla) {}
  app::RenderedMail Render(const app::MailContext& c) const override;

 private:
  const domain::sla::SlaEngine& sla_;
};

}  // namespace soporte::transport::mail
