// SPDX-License-Identifier: MIT
// Healing stage timings (issue 4 targets): one area, 6 sessions and a year of follow-up
// (target: well under 50 ms), and a 1,000-patient virtual cohort on 1 and 2 threads (target: a
// few seconds on 2 cores). Run: make bench, then build/bench/bench/bench_healing.
#include <benchmark/benchmark.h>
#include <omp.h>

#include "citsim/core/units.hpp"
#include "citsim/simulation/simulation.hpp"

namespace {

namespace units = citsim::units;
using namespace citsim;

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_BENCH_DATA_DIR);
  return instance;
}

/// The reference injury (1.5 mm roller-192 x 15 passes on the cheek) every 28 days.
std::vector<healing::ScheduledInjury> six_sessions() {
  std::vector<healing::ScheduledInjury> out;
  for (int i = 0; i < 6; ++i) out.push_back({i * 28 * units::day, {0.0197, 1.0}});
  return out;
}

void BM_SingleArea6Sessions1Year(benchmark::State& state) {
  const healing::HealingModel model(catalogs().healing, 1.0);
  const auto sessions = six_sessions();
  const double end = (5 * 28 + 365) * units::day;
  long steps = 0;
  for (auto _ : state) {
    const auto t = healing::simulate_protocol(model, sessions, end);
    steps = t.solver_steps;
    benchmark::DoNotOptimize(t.samples.back().y[healing::k_collagen1_mature]);
  }
  state.counters["cvode_steps"] = static_cast<double>(steps);
}
BENCHMARK(BM_SingleArea6Sessions1Year)->Unit(benchmark::kMillisecond);

void BM_Cohort1000(benchmark::State& state) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  outcome::CohortInput in;
  in.patient.age_years = 45;
  in.patient.fitzpatrick = 3;
  in.concerns = {{"fine_lines", 2.5, {}}, {"laxity", 2, {}}};
  in.sessions = six_sessions();
  in.end_s = in.assessment_s = (5 * 28 + 365) * units::day;
  in.size = 1000;
  for (auto _ : state) {
    const auto out =
        outcome::simulate_cohort(in, catalogs().healing, catalogs().outcomes, catalogs().concerns);
    benchmark::DoNotOptimize(out.front().predicted);
  }
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Cohort1000)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
