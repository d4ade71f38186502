// HTML-only mail as text: what an HTML5 parser reads where a hand scanner went wrong (a '>' inside
// an attribute, unclosed tags, entities without ';'), and the shapes real mailers send (Outlook's
// MsoNormal paragraphs and header block, Gmail's gmail_quote blockquote, layout tables), checked
// together with the domain's quoted-history cut that runs on the result.
#include "transport/mail/html_text.hpp"

#include <gtest/gtest.h>

#include "domain/mail/mail_text.hpp"

namespace soporte::transport::mail {
namespace {

TEST(HtmlToText, AttributeWithGreaterThanIsNotText) {
  // issue 16: the scanner turned this into `b">Hola`.
  EXPECT_EQ(HtmlToText(R"(<p title="a>b">Hola</p>)"), "Hola");
  EXPECT_EQ(HtmlToText(R"(<div data-x='<p>'>Hola <span title=">>">Ana</span></div>)"), "Hola Ana");
}

TEST(HtmlToText, BlocksBreaksAndParagraphs) {
  EXPECT_EQ(HtmlToText("<p>uno</p><p>dos</p>"), "uno\n\ndos");
  EXPECT_EQ(HtmlToText("<div>uno</div><div>dos</div>"), "uno\ndos");
  EXPECT_EQ(HtmlToText("uno<br>dos<br><br>tres<br><br><br><br>cuatro"),
            "uno\ndos\n\ntres\n\ncuatro");
  EXPECT_EQ(HtmlToText("<div>uno<br></div><div><br></div><div>dos</div>"), "uno\n\ndos");
  EXPECT_EQ(HtmlToText("<h1>T\u00edtulo</h1>texto<hr>pie"), "T\u00edtulo\n\ntexto\npie");
  EXPECT_EQ(HtmlToText("<p>sin cerrar<p>otro <b>negrita <i>cursiva</b> fin"),
            "sin cerrar\n\notro negrita cursiva fin");
}

TEST(HtmlToText, WhiteSpaceCollapsesOutsidePre) {
  EXPECT_EQ(HtmlToText("  <p>  a \n\t b&nbsp;&nbsp;c  </p>  "), "a b c");
  EXPECT_EQ(HtmlToText("<pre>\n  x = 1;\n  y  = 2;\n</pre>fin"), "  x = 1;\n  y  = 2;\nfin");
  EXPECT_EQ(HtmlToText("<pre> \n\n  \ny</pre>"), "y");  // found by html_text_fuzz
  EXPECT_EQ(HtmlToText("<pre> </pre><p>y</p>"), "y");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("   \n "), "");
}

TEST(HtmlToText, EntitiesDecodedAsABrowserDoes) {
  EXPECT_EQ(HtmlToText("a&aacute;&#xE9;&#237; &amp; &lt;b&gt; &bogus; &copy 2026"),
            "a\u00e1\u00e9\u00ed & <b> &bogus; \u00a9 2026");
  EXPECT_EQ(HtmlToText("La factura &#8220;F-1&#8221; &ntilde;and&uacute;"),
            "La factura \u201cF-1\u201d \u00f1and\u00fa");
  EXPECT_EQ(HtmlToText("&#0;&#xD800;x"), "\ufffd\ufffdx");
  // gumbo writes a lone byte for an overflowing reference (found by html_text_fuzz).
  EXPECT_EQ(HtmlToText("&#x1F600dddddddddddd;x"), "\ufffdx");
}

TEST(HtmlToText, ScriptStyleHeadAndCommentsDropped) {
  EXPECT_EQ(HtmlToText("<html><head><title>x</title><style>p{color:red}</style>"
                       "<script>var a = '<p>no</p>';</script></head><body>"
                       "<!-- nota --><p>Hola</p><script>alert(1)</script><noscript>n</noscript>"
                       "<img src=cid:logo alt=Logo><template><p>t</p></template></body></html>"),
            "Hola");
  EXPECT_EQ(HtmlToText("<style>a{}</style>texto <!-- <p>no</p> --> sigue"), "texto sigue");
}

TEST(HtmlToText, ListsNumberedAndNested) {
  EXPECT_EQ(HtmlToText("<p>Pasos:</p><ul><li>uno</li><li>dos<ul><li>a</li><li>b</li></ul></li></ul>"
                       "<ol start=3><li>tres<li>cuatro</ol>"),
            "Pasos:\n\n- uno\n- dos\n  - a\n  - b\n3. tres\n4. cuatro");
  EXPECT_EQ(HtmlToText("<ul><li><p>largo</p><p>segundo p\u00e1rrafo</p></li></ul>"),
            "- largo\n\n  segundo p\u00e1rrafo");
}

TEST(HtmlToText, LinksShowTheirTargetOnlyWhenItDiffers) {
  EXPECT_EQ(HtmlToText(R"(Vea <a href="https://example.com/manual">el manual</a>.)"),
            "Vea el manual (https://example.com/manual).");
  EXPECT_EQ(HtmlToText(R"(<a href="https://example.com/">https://example.com</a>)"),
            "https://example.com");
  EXPECT_EQ(HtmlToText(R"(<a href="mailto:ana@example.com">ana@example.com</a>)"),
            "ana@example.com");
  EXPECT_EQ(HtmlToText(R"(<a href="https://x.example/a"><img src="b.png"></a> fin)"),
            "https://x.example/a fin");
  EXPECT_EQ(
      HtmlToText(
          R"h(<a href="#top">arriba</a> <a href="javascript:void(0)">nada</a> <a name=x>ancla</a>)h"),
      "arriba nada ancla");
}

TEST(HtmlToText, TableCellsSeparatedRowsOnLines) {
  EXPECT_EQ(
      HtmlToText(
          "<table><tr><th>Servidor</th><th>Versi\u00f3n</th></tr>"
          "<tr><td>app01</td><td>4.2</td></tr><tr><td>db01</td><td></td><td>15</td></tr></table>"),
      "Servidor | Versi\u00f3n\napp01 | 4.2\ndb01 | 15");
  // Outlook puts a paragraph in every cell: the row stays one line.
  EXPECT_EQ(HtmlToText("<table><tr><td><p class=MsoNormal>a</p></td><td><p class=MsoNormal>b</p>"
                       "</td></tr><tr><td><p>c<br>d</p></td><td><div>e</div></td></tr></table>"),
            "a | b\n\nc\nd | e");
  // A layout table (signatures, newsletters): empty spacer cells add no separators.
  EXPECT_EQ(HtmlToText("<table><tr><td></td><td><p>Hola</p></td><td>&nbsp;</td></tr></table>"),
            "Hola");
}

TEST(HtmlToText, BlockquoteLinesAreQuoted) {
  EXPECT_EQ(
      HtmlToText("Nuevo<blockquote>viejo<br>m\u00e1s<blockquote>antiguo</blockquote></blockquote>"),
      "Nuevo\n> viejo\n> m\u00e1s\n> > antiguo");
}

TEST(HtmlToText, InvalidUtf8BecomesReplacementCharacters) {
  const std::string out = HtmlToText("<p>a\xff\xfe b\xc3</p>");
  EXPECT_EQ(out, "a\ufffd\ufffd b\ufffd");
}

TEST(HtmlToText, OnlyTheFirstStartTagsAreParsed) {
  // gumbo's tree builder is quadratic in nesting depth: 100,000 nested elements would take
  // minutes; only the first kMaxStartTags start tags are parsed.
  std::string deep = "<p>inicio</p>";
  for (int i = 0; i < 100000; ++i) deep += "<div><span>";
  deep += "fondo";
  EXPECT_EQ(HtmlToText(deep), "inicio");
  std::string flat;
  for (std::size_t i = 0; i + 1 < kMaxStartTags; ++i) flat += "<b>x</b>";
  EXPECT_EQ(HtmlToText(flat + "<i>y</i>"),
            std::string(kMaxStartTags - 1, 'x') + "y");  // all parsed
  EXPECT_EQ(HtmlToText(flat + "<i>y</i><i>z</i>").find('z'), std::string::npos);
}

TEST(HtmlToText, OnlyTheFirstMegabytesAreParsed) {
  std::string html = "<p>inicio</p>";
  html += std::string(kMaxHtmlToParse, 'x');
  html += "<p>final</p>";
  const std::string out = HtmlToText(html);
  EXPECT_TRUE(out.starts_with("inicio\n\nxxx"));
  EXPECT_EQ(out.find("final"), std::string::npos);
}

// Outlook desktop (Word HTML): MsoNormal paragraphs are lines; an empty one is a blank line; the
// quoted message starts after a bordered div with the From/Sent block.
constexpr const char* kOutlookReply = R"(<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><style><!--
p.MsoNormal {margin:0cm; font-size:11.0pt;}
--></style></head>
<body lang=ES-CO link="#0563C1"><div class=WordSection1>
<p class=MsoNormal>Buenos d&iacute;as,<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>El error sigue en <b>producci&oacute;n</b> desde las 9:00.<o:p></o:p></p>
<p class=MsoNormal>Adjunto el log.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Saludos,<o:p></o:p></p>
<p class=MsoNormal>Ana<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>
<p class=MsoNormal><b>De:</b> Soporte &lt;soporte@example.com&gt; <br><b>Enviado:</b> martes, 3 de marzo de 2026 10:00<br>
<b>Para:</b> Ana &lt;ana@cliente.example&gt;<br><b>Asunto:</b> RE: Error al facturar [#1042]<o:p></o:p></p>
</div><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Hola Ana, &iquest;puede enviar el log?<o:p></o:p></p>
</div></body></html>)";

TEST(HtmlToText, OutlookReplyReadsAsLinesAndItsHistoryIsCut) {
  const std::string text = HtmlToText(kOutlookReply);
  EXPECT_EQ(
      text,
      "Buenos d\u00edas,\n\nEl error sigue en producci\u00f3n desde las 9:00.\nAdjunto el log.\n\n"
      "Saludos,\nAna\n\nDe: Soporte <soporte@example.com>\nEnviado: martes, 3 de marzo de 2026 "
      "10:00\n"
      "Para: Ana <ana@cliente.example>\nAsunto: RE: Error al facturar [#1042]\n\n"
      "Hola Ana, \u00bfpuede enviar el log?");
  EXPECT_EQ(
      domain::mail::StripQuotedHistory(text),
      "Buenos d\u00edas,\n\nEl error sigue en producci\u00f3n desde las 9:00.\nAdjunto el log.\n\n"
      "Saludos,\nAna");
}

// Gmail: lines are divs, blank lines are <div><br></div>, the history is a gmail_quote with the
// attribution and a blockquote.
constexpr const char* kGmailReply =
    R"(<div dir="ltr"><div>Thanks, it works now.</div><div><br></div><div>See <a href="https://status.example.com/incidents/42">the incident page</a>.</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Mar 3, 2026 at 10:00 AM Support Desk &lt;<a href="mailto:support@example.com">support@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">Hello,<div>could you restart the service?</div></div></blockquote></div>)";

TEST(HtmlToText, GmailReplyQuotesTheHistoryAndTheCutRemovesIt) {
  const std::string text = HtmlToText(kGmailReply);
  EXPECT_EQ(text,
            "Thanks, it works now.\n\nSee the incident page "
            "(https://status.example.com/incidents/42).\n\n"
            "On Tue, Mar 3, 2026 at 10:00 AM Support Desk <support@example.com> wrote:\n"
            "> Hello,\n> could you restart the service?");
  EXPECT_EQ(
      domain::mail::StripQuotedHistory(text),
      "Thanks, it works now.\n\nSee the incident page (https://status.example.com/incidents/42).");
}

}  // namespace
}  // namespace soporte::transport::mail
