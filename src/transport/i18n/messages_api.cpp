// User text of the HTTP API's error messages and of account commands: Spanish, then English.
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::i18n {
namespace {

constexpr Message kMessages[] = {
    {"api.placeholder", "marcador", "placeholder"},
};

}  // namespace

std::span<const Message> ApiMessages() { return kMessages; }

}  // namespace soporte::transport::i18n
