// User text of the HTTP API's error messages and of account commands: Spanish, then English.
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::i18n {
namespace {

constexpr Message kMessages[] = {
    {"api.placeholder", "marcador", "placeholder"},
    // soporte oncall now|at
    {"cli.oncall.staffed", "en horario de atención (no se llama a la guardia)",
     "within staffed hours (nobody is paged)"},
    {"cli.oncall.out_of_hours", "fuera del horario de atención", "outside staffed hours"},
    {"cli.oncall.no_rota", "No hay turnos de guardia definidos.", "No on-call rota is defined."},
    {"cli.oncall.rota", "{} ({}): principal {}, secundario {} (hasta {})",
     "{} ({}): primary {}, secondary {} (until {})"},
    {"cli.oncall.supervisors", "Supervisores: {}", "Supervisors: {}"},
    {"cli.oncall.nobody", "nadie", "nobody"},
};

}  // namespace

std::span<const Message> ApiMessages() { return kMessages; }

}  // namespace soporte::transport::i18n
