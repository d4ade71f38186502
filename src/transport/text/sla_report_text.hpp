// The SLA report (app/reports) as text: a CSV file (RFC 4180) for spreadsheets — the API's
// format=csv and `soporte report sla --format csv` — and an aligned table for the terminal.
// Column titles and names come from the i18n catalog (messages_report.cpp) in the reader's
// language; numbers are locale-neutral (counts and business minutes as integers, compliance as a
// percentage with a point and one decimal). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "app/reports/report_service.hpp"
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::text {

// The report's cells: a header row, one row per report row, then the total row (its first
// column says "Total"). Absent figures (no answered ticket, nothing decided) are empty cells.
std::vector<std::vector<std::string>> SlaReportCells(const app::SlaReportView& v, i18n::Lang lang);

// RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote, CR or LF quoted with
// inner quotes doubled. Starts with the UTF-8 byte order mark: without it Excel reads a .csv in
// the machine's ANSI code page and "Crítica" turns into "CrÃ­tica"; LibreOffice, Google Sheets
// and Python's csv (encoding "utf-8-sig") read it as the UTF-8 signature it is.
std::string SlaReportCsv(const app::SlaReportView& v, i18n::Lang lang);

// A title line and the cells in columns padded with spaces (widths in code points), for
// `soporte report sla` on a terminal.
std::string SlaReportTable(const app::SlaReportView& v, i18n::Lang lang);

// One CSV field as RFC 4180 writes it (quoted only when it must be).
std::string CsvField(const std::string& s);

}  // namespace soporte::transport::text
