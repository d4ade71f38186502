#include "transport/text/sla_report_text.hpp"

#include <algorithm>
#include <cstdio>

#include <date/date.h>

namespace soporte::transport::text {
namespace {

using domain::report::Dimension;
using domain::report::ReportRow;

std::string DateText(std::chrono::sys_days d) { return date::format("%F", d); }

std::string Count(std::int64_t n) { return std::to_string(n); }

// Business seconds as whole minutes (rounded half up); "" when absent.
std::string Minutes(const std::optional<Seconds>& s) {
  if (!s) return "";
  return std::to_string((s->count() + 30) / 60);
}

// A share as a percentage with one decimal and a point ("66.7"); "" when absent.
std::string Percent(const std::optional<double>& share) {
  if (!share) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", *share * 100.0);
  return buf;
}

std::string ContractLabel(const app::SlaReportView& v, ContractId id, i18n::Lang lang) {
  for (const domain::Contract& c : v.contracts) {
    if (c.id == id) {
      return i18n::Format(lang, "report.contract", id.value(), domain::sla::Name(c.modality),
                          DateText(c.valid_from));
    }
  }
  // Not `"#" + std::to_string(…)`: that inlines basic_string::insert, where GCC 12 at -O2
  // reports an impossible overlap (-Wrestrict, GCC PR 105329).
  std::string label = "#";
  label += std::to_string(id.value());
  return label;
}

std::string CriticalityLabel(domain::sla::Criticality c, i18n::Lang lang) {
  return std::string(i18n::Text(lang, "report.criticality." + std::string(domain::sla::Name(c))));
}
std::string ChannelLabel(domain::sla::Channel c, i18n::Lang lang) {
  return std::string(i18n::Text(lang, "report.channel." + std::string(domain::sla::Name(c))));
}

void Figures(std::vector<std::string>& out, const ReportRow& r) {
  out.push_back(Count(r.received));
  out.push_back(Count(r.answered));
  out.push_back(Count(r.on_time));
  out.push_back(Count(r.breached));
  out.push_back(Count(r.pending));
  out.push_back(Percent(r.compliance));
  out.push_back(Minutes(r.response_p50));
  out.push_back(Minutes(r.response_p90));
  out.push_back(Count(r.resolved));
  out.push_back(Minutes(r.resolution_p50));
  out.push_back(Minutes(r.resolution_p90));
}

std::size_t CodePoints(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::vector<std::vector<std::string>> SlaReportCells(const app::SlaReportView& v, i18n::Lang lang) {
  const auto& grouping = v.report.grouping;
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  for (Dimension d : grouping) {
    header.emplace_back(
        i18n::Text(lang, "report.col." + std::string(domain::report::DimensionName(d))));
  }
  for (const char* key :
       {"received", "answered", "on_time", "breached", "pending", "compliance", "response_p50",
        "response_p90", "resolved", "resolution_p50", "resolution_p90"}) {
    header.emplace_back(i18n::Text(lang, std::string("report.col.") + key));
  }
  cells.push_back(std::move(header));
  for (const ReportRow& r : v.report.rows) {
    std::vector<std::string> row;
    for (Dimension d : grouping) {
      switch (d) {
        case Dimension::kMonth: row.push_back(r.month.value_or("")); break;
        case Dimension::kContract:
          row.push_back(r.contract ? ContractLabel(v, *r.contract, lang) : "");
          break;
        case Dimension::kCriticality:
          row.push_back(r.criticality ? CriticalityLabel(*r.criticality, lang) : "");
          break;
        case Dimension::kChannel:
          row.push_back(r.channel ? ChannelLabel(*r.channel, lang) : "");
          break;
      }
    }
    Figures(row, r);
    cells.push_back(std::move(row));
  }
  std::vector<std::string> total;
  total.emplace_back(i18n::Text(lang, "report.total"));
  for (std::size_t i = 1; i < grouping.size(); ++i) total.emplace_back();
  Figures(total, v.report.total);
  cells.push_back(std::move(total));
  return cells;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string SlaReportCsv(const app::SlaReportView& v, i18n::Lang lang) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : SlaReportCells(v, lang)) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string SlaReportTable(const app::SlaReportView& v, i18n::Lang lang) {
  const auto cells = SlaReportCells(v, lang);
  std::vector<std::size_t> width(cells.front().size(), 0);
  for (const auto& row : cells)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], CodePoints(row[i]));
  std::string out =
      i18n::Format(lang, "report.title", v.org.name, DateText(v.from), DateText(v.to), v.zone) +
      "\n";
  for (const auto& row : cells) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      line += row[i];
      if (i + 1 < row.size()) line.append(width[i] - CodePoints(row[i]), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace soporte::transport::text
