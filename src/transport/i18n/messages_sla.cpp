// User text of the SLA commands (sla due, sla explain, holidays): Spanish, then English.
// Placeholders are fmt-style "{}"; keep the same number and order in both languages.
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::i18n {
namespace {

constexpr Message kMessages[] = {
    // Errors: one line each, always naming the option or field at fault.
    {"sla.error.missing_option", "falta la opción {}", "missing option {}"},
    {"sla.error.not_with_batch", "la opción {} no se usa con --batch",
     "option {} is not used with --batch"},
    {"sla.error.modality", "{}: modalidad desconocida «{}» (se espera 8x5 o 24x7)",
     "{}: unknown modality '{}' (expected 8x5 or 24x7)"},
    {"sla.error.criticality",
     "{}: criticidad desconocida «{}» (se espera normal, important o critical)",
     "{}: unknown criticality '{}' (expected normal, important or critical)"},
    {"sla.error.channel", "{}: canal desconocido «{}» (se espera portal, email, phone o chat)",
     "{}: unknown channel '{}' (expected portal, email, phone or chat)"},
    {"sla.error.received",
     "{}: «{}» no es una fecha y hora ISO 8601 (AAAA-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])",
     "{}: '{}' is not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])"},
    {"sla.error.received_range", "{}: «{}» está fuera de los años admitidos ({}–{})",
     "{}: '{}' is outside the supported years ({}–{})"},
    {"sla.error.tz",
     "--tz: zona horaria desconocida «{}» (se espera un nombre IANA, p. ej. America/Bogota)",
     "--tz: unknown time zone '{}' (expected an IANA name, e.g. America/Bogota)"},
    {"sla.error.lang", "--lang: idioma desconocido «{}» (se espera es o en)",
     "--lang: unknown language '{}' (expected es or en)"},
    {"sla.error.fields",
     "la línea tiene {} campos; se esperan 4 separados por tabulador (MODALIDAD, CRITICIDAD, "
     "CANAL, RECIBIDO)",
     "the line has {} fields; expected 4 separated by tabs (MODALITY, CRITICALITY, CHANNEL, "
     "RECEIVED)"},
    {"sla.error.year", "YEAR: «{}» no es un año entre {} y {}",
     "YEAR: '{}' is not a year between {} and {}"},
    {"sla.error.country", "--country: país no admitido «{}» (solo CO)",
     "--country: unsupported country '{}' (only CO)"},
    {"sla.error.internal", "error interno: {}", "internal error: {}"},
    // Field names used in batch errors.
    {"sla.field.modality", "modalidad", "modality"},
    {"sla.field.criticality", "criticidad", "criticality"},
    {"sla.field.channel", "canal", "channel"},
    {"sla.field.received", "recibido", "received"},
    // Values named in sla explain (and in every mail that carries it): words, not codes
    // (issue 19). The modalities' names (24x7, 8x5) are the same in both languages.
    {"sla.value.normal", "normal", "normal"},
    {"sla.value.important", "importante", "important"},
    {"sla.value.critical", "crítica", "critical"},
    {"sla.value.portal", "portal web", "web portal"},
    {"sla.value.email", "correo electrónico", "email"},
    {"sla.value.phone", "teléfono", "phone"},
    {"sla.value.chat", "chat", "chat"},
    // sla explain.
    {"sla.explain.header",
     "Plazo de respuesta: criticidad {}, modalidad {}, canal {}, zona del contrato {}",
     "Response deadline: criticality {}, modality {}, channel {}, contract zone {}"},
    {"sla.explain.received", "Recibido:          {}", "Received:          {}"},
    {"sla.explain.start_reception",
     "Inicio del reloj:  {} (canal {}: el reloj empieza en la recepción)",
     "Clock start:       {} (channel {}: the clock starts at reception)"},
    {"sla.explain.start_inside_window",
     "Inicio del reloj:  {} (canal {}: recibido dentro de la ventana de procesamiento del "
     "proveedor, {} {})",
     "Clock start:       {} (channel {}: received inside the vendor's processing window, {} {})"},
    {"sla.explain.start_window",
     "Inicio del reloj:  {} (canal {}: se procesa solo en la ventana del proveedor, {} {}, sin "
     "festivos; el reloj empieza en su siguiente apertura)",
     "Clock start:       {} (channel {}: processed only in the vendor's window, {} {}, holidays "
     "excluded; the clock starts at its next opening)"},
    {"sla.explain.target", "Objetivo:          {} en el calendario {}",
     "Target:            {} on the {} calendar"},
    {"sla.explain.counted", "  cuenta  {} → {}  {}", "  counted {} → {}  {}"},
    {"sla.explain.skipped", "  omite   {} → {}  {}", "  skipped {} → {}  {}"},
    {"sla.explain.night", "noche", "night"},
    {"sla.explain.weekend", "fin de semana", "weekend"},
    {"sla.explain.holiday", "festivo: {}", "holiday: {}"},
    {"sla.explain.closed", "cerrado", "closed"},
    {"sla.explain.total", "Total contado:     {}", "Total counted:     {}"},
    {"sla.explain.due", "Vence:             {}", "Due:               {}"},
    {"sla.duration.hm", "{} h {:02} min", "{} h {:02} min"},
    {"sla.duration.hms", "{} h {:02} min {:02} s", "{} h {:02} min {:02} s"},
    // Weekday abbreviations (Monday first) for describing opening hours.
    {"sla.weekday.1", "lun", "Mon"},
    {"sla.weekday.2", "mar", "Tue"},
    {"sla.weekday.3", "mié", "Wed"},
    {"sla.weekday.4", "jue", "Thu"},
    {"sla.weekday.5", "vie", "Fri"},
    {"sla.weekday.6", "sáb", "Sat"},
    {"sla.weekday.7", "dom", "Sun"},
};

}  // namespace

std::span<const Message> SlaMessages() { return kMessages; }

}  // namespace soporte::transport::i18n
