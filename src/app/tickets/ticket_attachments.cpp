// TicketService: files on a ticket. The bytes are already in the blob store (streamed there by
// the transport); here the row that names them is written, with its history entry.
#include <string>
#include <utility>

#include "app/tickets/ticket_service.hpp"
#include "domain/ticket/file_name.hpp"
#include "domain/ticket/ticket_article.hpp"

namespace soporte::app {

Status TicketService::CheckCanAttach(const Principal& who, std::int64_t number) {
  return store_.Read([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    return domain::CheckOpenForAdditions(t);
  });
}

Result<AttachmentView> TicketService::AddAttachment(const Principal& who, std::int64_t number,
                                                    const AttachmentUpload& upload) {
  const Instant now = clock_.Now();
  OrgId ticket_org;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<AttachmentView> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    ticket_org = t.org_id;
    SOPORTE_TRY_STATUS(domain::CheckOpenForAdditions(t));
    SOPORTE_TRY(stored, AttachInTx(tx, t, upload, who.user_id, std::nullopt, now));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    return AttachmentView{std::move(stored), contract.zone};
  });
  if (added) events_.Publish({number, ticket_org, "attachment"});
  return added;
}

Result<domain::Attachment> TicketService::AttachInTx(WriteTx& tx, const domain::Ticket& t,
                                                     const AttachmentUpload& upload, UserId by,
                                                     std::optional<ArticleId> article,
                                                     Instant now) {
  domain::Attachment a;
  a.ticket_id = t.id;
  a.article_id = article;
  a.sha256 = upload.blob.sha256;
  a.filename = domain::CleanFileName(upload.filename, "archivo");
  a.content_type = upload.content_type;
  a.size = upload.blob.size;
  a.uploaded_by = by;
  a.created_at = now;
  SOPORTE_TRY(stored, tx.tickets().InsertAttachment(std::move(a)));
  SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
      domain::TicketEvent{0, t.id, by, now, "attachment", "", stored.filename}));
  return stored;
}

Result<std::vector<AttachmentView>> TicketService::ListAttachments(const Principal& who,
                                                                   std::int64_t number) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<AttachmentView>> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    SOPORTE_TRY(list, tx.tickets().ListAttachments(t.id));
    std::vector<AttachmentView> out;
    for (auto& a : list) out.push_back(AttachmentView{std::move(a), contract.zone});
    return out;
  });
}

Result<domain::Attachment> TicketService::GetAttachment(const Principal& who, AttachmentId id) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<domain::Attachment> {
    auto a = tx.tickets().GetAttachment(id);
    const auto missing = Error{ErrorCode::kNotFound, "no attachment " + std::to_string(id.value())};
    if (!a) {
      if (a.error().code == ErrorCode::kNotFound) return tl::make_unexpected(missing);
      return a;
    }
    SOPORTE_TRY(t, tx.tickets().GetTicket(a->ticket_id));
    if (!who.CanSeeOrg(t.org_id)) return tl::make_unexpected(missing);
    return a;
  });
}

}  // namespace soporte::app
