// Due computations per second through SlaEngine::Due, for 8x5 and 24x7 mixes of criticality,
// channel and reception time (spread over 2024–2027 so holidays, weekends and nights all occur).
// Target (issue #8): at least 5 million per second on one core.
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "domain/sla/sla_engine.hpp"

namespace {

using namespace soporte;
using namespace soporte::domain::sla;

struct Input {
  Criticality criticality;
  Channel channel;
  Instant received;
};

std::vector<Input> Inputs() {
  std::mt19937_64 rng(1);
  std::vector<Input> v;
  const Instant base = date::sys_days{date::year{2024} / 1 / 1};
  for (int i = 0; i < 4096; ++i) {
    v.push_back({static_cast<Criticality>(rng() % 3), static_cast<Channel>(rng() % 4),
                 base + Seconds{static_cast<long long>(rng() % (4LL * 365 * 86400))}});
  }
  return v;
}

void Run(benchmark::State& state, Modality modality, const char* zone) {
  const SlaEngine engine = *SlaEngine::Create();
  const ContractSla contract{modality, zone, {}};
  const std::vector<Input> inputs = Inputs();
  size_t i = 0;
  for (auto _ : state) {
    const Input& in = inputs[i++ & 4095];
    auto due = engine.Due(contract, in.criticality, in.channel, in.received);
    benchmark::DoNotOptimize(due);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Due8x5(benchmark::State& s) { Run(s, Modality::k8x5, "America/Bogota"); }
void BM_Due24x7(benchmark::State& s) { Run(s, Modality::k24x7, "America/Bogota"); }
void BM_Due8x5Madrid(benchmark::State& s) { Run(s, Modality::k8x5, "Europe/Madrid"); }

void BM_DueMix(benchmark::State& state) {
  const SlaEngine engine = *SlaEngine::Create();
  const ContractSla contracts[2] = {{Modality::k8x5, "America/Bogota", {}},
                                    {Modality::k24x7, "America/Bogota", {}}};
  const std::vector<Input> inputs = Inputs();
  size_t i = 0;
  for (auto _ : state) {
    const Input& in = inputs[i & 4095];
    auto due = engine.Due(contracts[i++ & 1], in.criticality, in.channel, in.received);
    benchmark::DoNotOptimize(due);
  }
  state.SetItemsProcessed(state.iterations());
}

// A long target across a long closed stretch costs about the same as a short one.
void BM_Add8x5LongTarget(benchmark::State& state) {
  const auto cal = *domain::calendar::BusinessCalendar::Make8x5("America/Bogota");
  const Instant start = date::sys_days{date::year{2026} / 12 / 4} + std::chrono::hours{21};
  for (auto _ : state) benchmark::DoNotOptimize(cal.Add(start, std::chrono::hours{state.range(0)}));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Due8x5);
BENCHMARK(BM_Due24x7);
BENCHMARK(BM_DueMix);
BENCHMARK(BM_Due8x5Madrid);
BENCHMARK(BM_Add8x5LongTarget)->Arg(8)->Arg(2000)->Arg(200000);

}  // namespace
