#include "domain/mail/mail_text.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::mail {
namespace {

TEST(StripQuotedHistory, GmailSpanish) {
  EXPECT_EQ(StripQuotedHistory("Ya lo probé y sigue igual.\n\nEl mar, 3 mar 2026 a las 10:00, Soporte "
                               "<soporte@example.com> escribió:\n> Hola Ana\n> ¿Puede enviar el log?\n"),
            "Ya lo probé y sigue igual.");
}

TEST(StripQuotedHistory, GmailEnglishWrappedAttribution) {
  EXPECT_EQ(StripQuotedHistory("Thanks, it works.\r\n\r\nOn Tue, Mar 3, 2026 at 10:00 AM Support Desk <\r\n"
                               "soporte@example.com> wrote:\r\n> old text\r\n"),
            "Thanks, it works.");
}

TEST(StripQuotedHistory, OutlookSpanishHeaderBlock) {
  EXPECT_EQ(StripQuotedHistory("Adjunto el log.\n\n________________________________\nDe: Soporte "
                               "<soporte@example.com>\nEnviado: martes, 3 de marzo de 2026 10:00\n"
                               "Para: Ana\nAsunto: [#1042] No carga\n\nHola Ana"),
            "Adjunto el log.");
  EXPECT_EQ(StripQuotedHistory("Listo.\n\nFrom: Soporte <soporte@example.com>\nSent: Tuesday\nTo: Ana\n"),
            "Listo.");
}

TEST(StripQuotedHistory, OriginalMessageSeparator) {
  EXPECT_EQ(StripQuotedHistory("Ok\n-----Mensaje original-----\nDe: x"), "Ok");
  EXPECT_EQ(StripQuotedHistory("Ok\n-----Original Message-----\nFrom: x"), "Ok");
}

TEST(StripQuotedHistory, TrailingQuoteBlockOnly) {
  EXPECT_EQ(StripQuotedHistory("Respuesta\n\n> citado\n>\n> más\n"), "Respuesta");
  // Inline answers between quotes are kept whole.
  EXPECT_EQ(StripQuotedHistory("> pregunta\nrespuesta\n> otra\nsegunda"),
            "> pregunta\nrespuesta\n> otra\nsegunda");
}

TEST(StripQuotedHistory, KeepsTextWhenNothingIsLeft) {
  EXPECT_EQ(StripQuotedHistory("> solo citas\n> nada nuevo"), "> solo citas\n> nada nuevo");
  EXPECT_EQ(StripQuotedHistory("Sin historia\n"), "Sin historia");
}

TEST(NormalizeNewlines, CrLfAndTrailingSpace) {
  EXPECT_EQ(NormalizeNewlines("a\r\nb\rc  \n\n"), "a\nb\nc");
}

}  // namespace
}  // namespace soporte::domain::mail
