// HTML-only mail to text (transport/mail/html_text.cpp over gumbo): a real Outlook reply, and
// the worst shapes an attacker can send, which the start-tag cap keeps bounded (gumbo's tree
// builder is quadratic in nesting depth: uncapped, 16,000 nested <div> took 5.5 s here).
//   cmake --preset release && cmake --build --preset release --target html_text_bench
//   build/release/bench/html_text_bench --benchmark_repetitions=5
//   --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "transport/mail/html_text.hpp"

namespace {

using soporte::transport::mail::HtmlToText;

std::string Repeat(const std::string& unit, int n) {
  std::string out;
  out.reserve(unit.size() * n + 1);
  for (int i = 0; i < n; ++i) out += unit;
  return out + "x";
}

void Run(benchmark::State& state, const std::string& html) {
  for (auto _ : state) benchmark::DoNotOptimize(HtmlToText(html));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(html.size()));
}

void BM_OutlookReply(benchmark::State& state) {
  std::ifstream f(SOPORTE_BENCH_DATA "/fuzz/html_text_fuzz/outlook.html");
  std::stringstream ss;
  ss << f.rdbuf();
  Run(state, ss.str());
}
void BM_NestedDivs100k(benchmark::State& state) { Run(state, Repeat("<div>", 100000)); }
void BM_NestedTables100k(benchmark::State& state) { Run(state, Repeat("<table><tr><td>", 100000)); }
void BM_FlatParagraphs20k(benchmark::State& state) {
  Run(state, Repeat("<p>Linea de texto normal con <b>algo</b> de formato.</p>\n", 20000));
}

BENCHMARK(BM_OutlookReply);
BENCHMARK(BM_NestedDivs100k)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NestedTables100k)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlatParagraphs20k)->Unit(benchmark::kMillisecond);

}  // namespace
