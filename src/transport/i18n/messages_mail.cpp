// User text of outgoing mail (transport/mail/mail_renderer.cpp): Spanish, then English.
// Placeholders are fmt-style "{}"; keep the same number and order in both languages.
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::i18n {
namespace {

constexpr Message kMessages[] = {
    {"mail.greeting", "Hola {}:", "Hello {}:"},
    {"mail.signature",
     "Para agregar información responda a este correo sin cambiar el asunto (conserve [#{}]).\n\n"
     "— Soporte <{}>\nEste mensaje fue generado automáticamente.",
     "To add information, reply to this mail without changing the subject (keep [#{}]).\n\n"
     "— Support <{}>\nThis message was generated automatically."},
    {"mail.criticality.normal", "normal", "normal"},
    {"mail.criticality.important", "importante", "important"},
    {"mail.criticality.critical", "crítica", "critical"},

    {"mail.ticket_received.subject", "Recibimos su solicitud: {}", "We received your request: {}"},
    {"mail.ticket_received.body",
     "Recibimos su solicitud y la registramos con el número #{}.\n\n"
     "  Asunto:      {}\n"
     "  Criticidad:  {}\n"
     "  Recibida:    {}\n"
     "  Respuesta a más tardar: {}\n\n"
     "Cómo se calculó el plazo de respuesta:\n{}",
     "We received your request and logged it as number #{}.\n\n"
     "  Subject:     {}\n"
     "  Criticality: {}\n"
     "  Received:    {}\n"
     "  Response due by: {}\n\n"
     "How the response time was computed:\n{}"},
    {"mail.ticket_received.advice",
     "Para atenderle más rápido, envíenos si aún no lo ha hecho (protocolo de soporte, "
     "«Información "
     "necesaria para Soporte»):\n"
     "  1. Los ambientes afectados (Desarrollo, Calidad, Producción): direcciones y puertos de "
     "acceso, "
     "rutas de los componentes y usuarios de prueba.\n"
     "  2. Las versiones de cada componente del producto y los parches aplicados.\n"
     "  3. Los datos de contacto de las personas encargadas del soporte de su lado.\n"
     "  4. El acceso remoto disponible, si lo hay.\n"
     "  5. Los logs de la aplicación, del servidor de aplicaciones, de la base de datos y del "
     "sistema "
     "operativo del momento del problema, y los pasos para reproducirlo.",
     "To help us answer sooner, please send us, if you have not yet (support protocol, "
     "\"Information "
     "needed for Support\"):\n"
     "  1. The affected environments (Development, QA, Production): access addresses and ports, "
     "component paths and test users.\n"
     "  2. The version of each product component and the patches applied.\n"
     "  3. Contact details of the people in charge of support on your side.\n"
     "  4. Remote access, if available.\n"
     "  5. Application, application server, database and operating system logs from the time of "
     "the "
     "problem, and the steps to reproduce it."},

    {"mail.ticket_received.missing",
     "Según el protocolo de soporte, para atender esta solicitud necesitamos también lo siguiente; "
     "si aún no lo envió, puede responder a este correo con ello (adjuntos incluidos):",
     "Under the support protocol we also need the following to work on this request; if you have "
     "not sent it yet, you can reply to this email with it (attachments welcome):"},
    {"mail.intake.environment", "El ambiente afectado: Desarrollo, Calidad o Producción.",
     "The affected environment: Development, QA or Production."},
    {"mail.intake.steps", "Los pasos que llevan al problema, para poder reproducirlo.",
     "The steps that lead to the problem, so that we can reproduce it."},
    {"mail.intake.screenshots", "Capturas de pantalla o un video del problema.",
     "Screenshots or a video of the problem."},
    {"mail.intake.logs",
     "Los logs del momento del problema (aplicación, servidor de aplicaciones, base de datos, "
     "sistema operativo).",
     "The logs from the time of the problem (application, application server, database, operating "
     "system)."},
    {"mail.intake.modifications", "Lo que se modificó antes de que apareciera el problema.",
     "What was modified before the problem appeared."},
    {"mail.intake.versions", "Las versiones de los componentes y los parches aplicados.",
     "The component versions and the patches applied."},

    {"mail.agent_reply.subject", "Re: {}", "Re: {}"},
    {"mail.agent_reply.body", "{} respondió a su solicitud #{}:\n\n{}",
     "{} answered your request #{}:\n\n{}"},

    {"mail.waiting_customer.subject", "Esperamos su respuesta: {}", "Waiting for your answer: {}"},
    {"mail.waiting_customer.body",
     // 2026-12-06 (issue 12, part 7): the text names the clock that pauses. Waiting pauses the
     // resolution clock only; the first-response clock stops at the first response, never pauses.
     "Su solicitud #{} ({}) está en espera de información de su parte. El reloj de resolución (el "
     "tiempo que llevamos resolviéndola) queda en pausa hasta que nos responda; el plazo de "
     "primera "
     "respuesta no se pausa. Conteste a este correo con lo que le pedimos.",
     "Your request #{} ({}) is waiting for information from you. The resolution clock (the time we "
     "have spent resolving it) is paused until you answer; the first-response due is not paused. "
     "Reply to this mail with what we asked for."},

    {"mail.resolved.subject", "Solicitud resuelta: {}", "Request resolved: {}"},
    {"mail.resolved.body",
     "Marcamos como resuelta su solicitud #{} ({}). Si el problema continúa, responda a este "
     "correo "
     "y la reabriremos; si todo está bien, no necesita hacer nada.",
     "We marked your request #{} ({}) as resolved. If the problem persists, reply to this mail and "
     "we will reopen it; if all is well, there is nothing to do."},

    {"mail.closed.subject", "Solicitud cerrada: {}", "Request closed: {}"},
    {"mail.closed.body",
     "Su solicitud #{} ({}) quedó cerrada. Si necesita algo más, escríbanos a {} y abriremos una "
     "nueva.",
     "Your request #{} ({}) is now closed. If you need anything else, write to {} and we will open "
     "a "
     "new one."},

    {"mail.unknown_sender.subject", "No pudimos registrar su mensaje: {}",
     "We could not log your message: {}"},
    {"mail.unknown_sender.body",
     "Hola:\n\n"
     "Recibimos su mensaje «{}», pero su dirección de correo no está registrada como usuario de un "
     "cliente con contrato de soporte, así que no abrimos un ticket automáticamente. Su mensaje no "
     "se "
     "perdió: nuestro equipo lo revisará.\n\n"
     "Para obtener una cuenta, pida al responsable del contrato de soporte de su organización que "
     "le "
     "registre, o escríbanos a {} indicando su nombre, su organización y su cargo.\n\n"
     "— Soporte <{}>\nEste mensaje fue generado automáticamente; solo se envía una vez.",
     "Hello,\n\n"
     "We received your message \"{}\", but your address is not registered as a user of a customer "
     "with a support contract, so no ticket was opened automatically. Your message is not lost: "
     "our "
     "team will review it.\n\n"
     "To obtain an account, ask the person in charge of your organisation's support contract to "
     "register you, or write to {} with your name, organisation and role.\n\n"
     "— Support <{}>\nThis message was generated automatically; it is sent only once."},

    // Staff alerts (app/alerts/staff_alerts): to agents and supervisors, in their language.
    {"mail.staff_alert.sla_warning.subject", "Aviso de SLA: {}", "SLA warning: {}"},
    {"mail.staff_alert.sla_warning.body",
     "El ticket #{} ({}, criticidad {}) todavía no tiene primera respuesta y ya consumió buena "
     "parte "
     "de su plazo.\nRecibido: {}\nPrimera respuesta a más tardar: {}\n\nResponda al cliente antes "
     "del vencimiento.",
     "Ticket #{} ({}, criticality {}) has no first response yet and has used most of its time.\n"
     "Received: {}\nFirst response due by: {}\n\nAnswer the customer before the due."},
    {"mail.staff_alert.sla_breach.subject", "SLA incumplido: {}", "SLA breached: {}"},
    {"mail.staff_alert.sla_breach.body",
     "El ticket #{} ({}, criticidad {}) superó su plazo de primera respuesta sin respuesta.\n"
     "Recibido: {}\nVencía: {}\n\nAtiéndalo cuanto antes.",
     "Ticket #{} ({}, criticality {}) passed its first-response due without a response.\n"
     "Received: {}\nWas due by: {}\n\nPlease attend to it now."},
    {"mail.staff_alert.new_critical.subject", "Nuevo ticket crítico: {}",
     "New critical ticket: {}"},
    {"mail.staff_alert.new_critical.body",
     "Llegó el ticket #{} ({}, criticidad {}).\nRecibido: {}\nPrimera respuesta a más tardar: {}",
     "Ticket #{} ({}, criticality {}) has arrived.\nReceived: {}\nFirst response due by: {}"},
    {"mail.staff_alert.footer",
     "— Soporte\nAlerta automática. Elija qué alertas recibe, por qué canal y sus horas de "
     "silencio "
     "en Mis alertas, en la consola.",
     "— Support\nAutomatic alert. Choose which alerts you get, on which channel, and your quiet "
     "hours under My alerts in the console."},

    {"mail.password_reset.subject", "Crear una contraseña nueva", "Set a new password"},
    {"mail.password_reset.body",
     "Alguien (seguramente usted) pidió crear una contraseña nueva para la cuenta {} del portal de "
     "soporte. Para hacerlo, abra este enlace:\n\n  {}\n\n"
     "El enlace vale {} minutos y sirve una sola vez; al usarlo se cierran todas las sesiones "
     "abiertas "
     "de la cuenta. Si no fue usted, ignore este correo: su contraseña actual sigue igual.\n\n"
     "— Soporte <{}>\nEste mensaje fue generado automáticamente.",
     "Someone (most likely you) asked to set a new password for the account {} of the support "
     "portal. To do so, open this link:\n\n  {}\n\n"
     "The link is valid for {} minutes and works once; using it ends every open session of the "
     "account. If it was not you, ignore this mail: your current password stays as it is.\n\n"
     "— Support <{}>\nThis message was generated automatically."},

    {"mail.page.subject", "[GUARDIA] Ticket #{} ({}): {}", "[ON CALL] Ticket #{} ({}): {}"},
    {"mail.page.reason.critical_created", "Entró un ticket Crítico fuera del horario de atención.",
     "A Crítico ticket arrived outside staffed hours."},
    {"mail.page.reason.sla_warning",
     "Un ticket de un contrato 24x7 se acerca a su plazo de respuesta fuera del horario de "
     "atención.",
     "A ticket of a 24x7 contract is nearing its response due outside staffed hours."},
    {"mail.page.reason.sla_breach",
     "Un ticket de un contrato 24x7 venció su plazo de respuesta fuera del horario de atención.",
     "A ticket of a 24x7 contract passed its response due outside staffed hours."},
    {"mail.page.body", "Usted está de guardia. {}\n\n  Ticket #{}: {}\n  Criticidad: {}",
     "You are on call. {}\n\n  Ticket #{}: {}\n  Criticality: {}"},
    {"mail.page.link",
     "Confirme que lo atiende con este enlace (vale {1} minutos y sirve una sola vez):\n\n  {0}",
     "Confirm that you are on it with this link (valid for {1} minutes, works once):\n\n  {0}"},
    {"mail.page.no_link", "Confírmelo en la consola de soporte (Guardia).",
     "Acknowledge it in the support console (On call)."},
    {"mail.page.escalation",
     "Si nadie lo confirma a tiempo, el aviso pasa al siguiente de la cadena de guardia.\n\n"
     "— Soporte <{}>\nEste mensaje fue generado automáticamente.",
     "If nobody acknowledges it in time, the page goes to the next person in the on-call chain."
     "\n\n— Support <{}>\nThis message was generated automatically."},
};

}  // namespace

std::span<const Message> MailMessages() { return kMessages; }

}  // namespace soporte::transport::i18n
