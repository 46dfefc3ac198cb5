// SPDX-License-Identifier: MIT
// `citsim plan` on the bundled example patient (examples/patient.toml: two areas, a relative
// contraindication, constraints), the target being about a second on 2 cores. Three timings:
// the whole plan with the catalogues loaded (what the command does), the plan alone, and the
// ranking of one area's candidates alone (no virtual cohort). Run: make bench, then
//   taskset -c 0,1 build/bench/bench/bench_planner
// (the thread count is the benchmark's argument; pin to 2 cores for the target figure). The CPU
// column is the process's CPU time over all threads: on a machine shared with other work the
// real time grows, the CPU time does not.
#include <benchmark/benchmark.h>
#include <omp.h>

#include "citsim/core/scenario.hpp"
#include "citsim/planner/planner.hpp"

namespace {

using namespace citsim;

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_BENCH_DATA_DIR);
  return instance;
}

const planner::PlannerCatalog& planner_catalog() {
  static const planner::PlannerCatalog instance(CITSIM_BENCH_DATA_DIR);
  return instance;
}

const core::Scenario& patient() {
  static const core::Scenario instance =
      core::load_scenario(std::string(CITSIM_BENCH_EXAMPLES_DIR) + "/patient.toml");
  return instance;
}

void BM_PlanExamplePatientWithCatalogs(benchmark::State& state) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const simulation::Catalogs fresh(CITSIM_BENCH_DATA_DIR);
    const planner::PlannerCatalog rules(CITSIM_BENCH_DATA_DIR);
    const auto result = planner::make_plan(
        core::load_scenario(std::string(CITSIM_BENCH_EXAMPLES_DIR) + "/patient.toml"), fresh,
        rules);
    benchmark::DoNotOptimize(result.areas.front().plan->figures.score);
  }
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_PlanExamplePatientWithCatalogs)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void BM_PlanExamplePatient(benchmark::State& state) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  std::size_t evaluated = 0;
  for (auto _ : state) {
    const auto result = planner::make_plan(patient(), catalogs(), planner_catalog());
    evaluated = 0;
    for (const auto& area : result.areas) evaluated += area.evaluated;
    benchmark::DoNotOptimize(result.areas.front().plan->figures.score);
  }
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["plans_ranked"] = static_cast<double>(evaluated);
}
BENCHMARK(BM_PlanExamplePatient)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

/// The ranking of the cheek's candidates on the deterministic patient, without the cohort.
void BM_RankCheekCandidates(benchmark::State& state) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  const auto skin = catalogs().regions.skin_for("cheek", patient().patient);
  planner::SearchLimits limits;
  limits.max_needle_m =
      planner::max_safe_needle_m(skin, patient().patient.fitzpatrick, 1.0, planner_catalog());
  std::size_t evaluated = 0;
  for (auto _ : state) {
    const auto search = planner::search_area(patient(), 0, limits, catalogs(), planner_catalog());
    evaluated = search.evaluated;
    benchmark::DoNotOptimize(search.ranked.front().figures.score);
  }
  state.counters["plans_ranked"] = static_cast<double>(evaluated);
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_RankCheekCandidates)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
