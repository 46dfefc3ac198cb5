// SPDX-License-Identifier: MIT
// How long the foundation stages take: the whole default example (design.md §7 asks for well
// under a second with homogenized transport, so the planner can search many plans), and one
// session's punctures and injury per device kind.
#include <benchmark/benchmark.h>

#include "citsim/core/scenario.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/simulation/simulation.hpp"

namespace {

using namespace citsim;

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_BENCH_DATA_DIR);
  return instance;
}

void BM_DefaultExample(benchmark::State& state) {
  const auto scenario = core::load_scenario(CITSIM_BENCH_EXAMPLES_DIR "/default.toml");
  for (auto _ : state) {
    auto result = simulation::simulate(scenario, catalogs());
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_DefaultExample)->Unit(benchmark::kMillisecond);

void BM_Session(benchmark::State& state, const char* device_id) {
  const auto& device = catalogs().devices.spec(device_id);
  const auto skin = catalogs().regions.reference("cheek");
  const core::Technique technique;
  std::size_t punctures = 0;
  for (auto _ : state) {
    core::Rng rng(1);
    const auto set = device::generate_punctures(device, technique, 10e-3, rng);
    auto injury =
        catalogs().injury.simulate(set, device, skin, core::Pressure::moderate, false, rng);
    punctures += set.punctures.size();
    benchmark::DoNotOptimize(injury);
  }
  state.counters["punctures/s"] =
      benchmark::Counter(static_cast<double>(punctures), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Session, roller_192, "roller-192")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Session, pen_12, "pen-12")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Session, stamp_35, "stamp-35")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
