// User text of the SLA report's CSV and of `soporte report sla`: column titles and the names of
// criticalities, channels and modalities, Spanish then English. Placeholders are fmt-style "{}".
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::i18n {
namespace {

constexpr Message kMessages[] = {
    {"report.col.month", "Mes", "Month"},
    {"report.col.contract", "Contrato", "Contract"},
    {"report.col.criticality", "Criticidad", "Criticality"},
    {"report.col.channel", "Canal", "Channel"},
    {"report.col.received", "Recibidos", "Received"},
    {"report.col.answered", "Respondidos", "Answered"},
    {"report.col.on_time", "Respondidos a tiempo", "Answered on time"},
    {"report.col.breached", "Incumplidos", "Breached"},
    {"report.col.pending", "Pendientes", "Pending"},
    {"report.col.compliance", "Cumplimiento (%)", "Compliance (%)"},
    {"report.col.response_p50", "Primera respuesta, mediana (min hábiles)",
     "First response, median (business min)"},
    {"report.col.response_p90", "Primera respuesta, percentil 90 (min hábiles)",
     "First response, 90th percentile (business min)"},
    {"report.col.resolved", "Resueltos", "Resolved"},
    {"report.col.resolution_p50", "Resolución, mediana (min hábiles)",
     "Resolution, median (business min)"},
    {"report.col.resolution_p90", "Resolución, percentil 90 (min hábiles)",
     "Resolution, 90th percentile (business min)"},
    {"report.total", "Total", "Total"},
    {"report.contract", "#{} {} desde {}", "#{} {} from {}"},
    {"report.title", "Cumplimiento del ANS de {} del {} al {} (zona {})",
     "SLA compliance of {} from {} to {} (zone {})"},
    {"report.criticality.normal", "Normal", "Normal"},
    {"report.criticality.important", "Importante", "Important"},
    {"report.criticality.critical", "Crítico", "Critical"},
    {"report.channel.portal", "Portal web", "Web portal"},
    {"report.channel.email", "Correo", "Email"},
    {"report.channel.phone", "Teléfono", "Phone"},
    {"report.channel.chat", "Chat", "Chat"},
    {"report.error.date", "{}: «{}» no es una fecha AAAA-MM-DD",
     "{}: '{}' is not a date YYYY-MM-DD"},
    {"report.error.format", "--format: formato desconocido «{}» (se espera table o csv)",
     "--format: unknown format '{}' (expected table or csv)"},
};

}  // namespace

std::span<const Message> ReportMessages() { return kMessages; }

}  // namespace soporte::transport::i18n
