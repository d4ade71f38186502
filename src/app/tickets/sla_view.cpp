#include "app/tickets/sla_view.hpp"

#include <tuple>

#include "app/calendars/calendar_service.hpp"

namespace soporte::app {

Result<SlaExplanation> SlaView::ExplainTicket(const Principal& who, std::int64_t number) {
  auto loaded = ReadValue(
      store_,
      [&](ReadTx& tx) -> Result<std::tuple<domain::Ticket, domain::Contract, sla::ContractSla>> {
        auto t = tx.tickets().GetTicketByNumber(number);
        if (!t || !who.CanSeeOrg(t->org_id)) {
          if (!t && t.error().code != ErrorCode::kNotFound) return tl::make_unexpected(t.error());
          return Fail(ErrorCode::kNotFound, "no ticket #" + std::to_string(number));
        }
        SOPORTE_TRY(c, tx.orgs().GetContract(t->contract_id));
        SOPORTE_TRY(contract_sla, ContractSlaOf(tx, c));
        return std::make_tuple(std::move(*t), std::move(c), std::move(contract_sla));
      });
  if (!loaded) return tl::make_unexpected(loaded.error());
  const auto& [t, c, contract_sla] = *loaded;
  SOPORTE_TRY(timeline, sla_.Explain(contract_sla, t.criticality, t.channel, t.received_at));
  return SlaExplanation{std::move(timeline), c.id, c.zone};
}

Result<SlaExplanation> SlaView::Preview(const Principal& who, std::optional<ContractId> contract,
                                        sla::Criticality criticality, sla::Channel channel) {
  const Instant now = clock_.Now();
  auto chosen = ReadValue(store_, [&](ReadTx& tx) -> Result<std::pair<domain::Contract, sla::ContractSla>> {
    auto with_sla = [&tx](domain::Contract c) -> Result<std::pair<domain::Contract, sla::ContractSla>> {
      SOPORTE_TRY(contract_sla, ContractSlaOf(tx, c));
      return std::make_pair(std::move(c), std::move(contract_sla));
    };
    if (contract) {
      auto c = tx.orgs().GetContract(*contract);
      if (!c || !who.CanSeeOrg(c->org_id)) {
        if (!c && c.error().code != ErrorCode::kNotFound) return tl::make_unexpected(c.error());
        return Fail(ErrorCode::kNotFound, "no contract " + std::to_string(contract->value()));
      }
      SOPORTE_TRY_STATUS(domain::CheckContractAccepts(*c, channel, now));
      return with_sla(std::move(*c));
    }
    if (who.staff()) return Fail(ErrorCode::kInvalidArgument, "contract is required");
    SOPORTE_TRY(list, tx.orgs().ListContracts(who.org_id));
    for (auto& c : list)
      if (domain::CheckContractAccepts(c, channel, now)) return with_sla(std::move(c));
    return Fail(ErrorCode::kUnprocessable, "no contract in force takes this channel");
  });
  if (!chosen) return tl::make_unexpected(chosen.error());
  SOPORTE_TRY(timeline, sla_.Explain(chosen->second, criticality, channel, now));
  return SlaExplanation{std::move(timeline), chosen->first.id, chosen->first.zone};
}

}  // namespace soporte::app
