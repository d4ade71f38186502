// User text of the SLA commands (sla due, sla explain, holidays): Spanish, then English.
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::i18n {
namespace {

constexpr Message kMessages[] = {
    {"sla.placeholder", "marcador", "placeholder"},
};

}  // namespace

std::span<const Message> SlaMessages() { return kMessages; }

}  // namespace soporte::transport::i18n
