// The SLA command line: `soporte sla due`, `soporte sla due --batch`, `soporte sla explain` and
// `soporte holidays YEAR`. Exact forms and outputs are promised to scripts (see the issue text in
// docs and test/integration/cli). Every bad option or value ends with one line `error: …` naming
// it and exit status 2; a batch with bad lines prints `error: …` in their place and exits 1.
// All user text comes from the i18n catalog (transport/i18n/messages_sla.cpp).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "domain/calendar/business_calendar.hpp"
#include "domain/sla/sla_engine.hpp"
#include "transport/i18n/catalog.hpp"

namespace soporte::transport::cli {

// Registers `sla` (with `due` and `explain`) and `holidays` on `app`. The callbacks run during
// app.parse() and set `exit_code` (0, 1 or 2); `exit_code` must outlive the parse.
void AddSlaCommands(CLI::App& app, int& exit_code);

// Turns batch lines `MODALITY<TAB>CRITICALITY<TAB>CHANNEL<TAB>RECEIVED` into due lines for one
// contract zone. Holds the two calendars of that zone, so each line costs a parse and an Add.
class BatchDue {
 public:
  // Fails with kInvalidArgument for an unknown zone.
  static Result<BatchDue> Create(const domain::sla::SlaEngine& engine, std::string_view zone,
                                 i18n::Lang lang);
  // Appends the due (or `error: …`) for `line` (no newline; a trailing '\r' is ignored) and a
  // newline to `out`. Returns false for a bad line.
  bool AppendLine(std::string_view line, std::string& out) const;

 private:
  explicit BatchDue(domain::sla::SlaEngine engine) : engine_(std::move(engine)) {}
  domain::sla::SlaEngine engine_;
  const date::time_zone* zone_ = nullptr;
  std::shared_ptr<const domain::calendar::BusinessCalendar> cal_24x7_, cal_8x5_;
  i18n::Lang lang_ = i18n::Lang::kEs;
};

// Reads lines from `in` until EOF and writes one answer per line to `out`. Returns 0, or 1 when
// at least one line was bad.
int RunBatch(const BatchDue& batch, std::FILE* in, std::FILE* out);

}  // namespace soporte::transport::cli
