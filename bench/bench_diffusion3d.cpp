// SPDX-License-Identifier: MIT
// The voxel3d kernel against this machine's memory bandwidth (design.md §7).
//
// In one run: (a) the stream triad a[i] = b[i] + s·c[i] on arrays of 4× the last-level cache
// in all (read from sysfs, as `lscpu` reports it; on the 2-core CI machine lscpu says
// "L3 cache: 480 MiB (1 instance)", a VM's view of the host's L3), at 1 and 2 threads, in GB/s
// counting 24 bytes per element as STREAM does; (b) voxel-updates per second of one LOD step,
// float and double, 1 and 2 threads, on a grid that fits in cache and one whose working set is
// at least 4× the LLC, with the fraction of the roofline; (c) the implicit kernel's (voxel3d's
// default) voxel-iterations per second of conjugate gradients, double, 1 and 2 threads, on the
// same two regimes (59 bytes per voxel-iteration, see k_implicit_bytes_per_iteration); (d) the
// explicit reference's voxel-updates per second on the same two grids; (e) the floor under the
// LOD step (lod_floor.hpp): the same two passes on a grid with nothing of skin in it, in the
// simplest wide code, double, one thread. The LOD step runs planes
// under 128 × 128 cells on one thread (numerics::detail::k_min_parallel_plane), so its in-cache
// "threads:2" figures are the one-thread kernel measured against the two-thread triad.
//
// Bytes a LOD step must move per voxel: the step is two passes over the field (Diffusion3d's
// two-pass form). The column classes are kept from step to step while the ids do not change
// (they read the ids, 1 byte, only then). Pass 1 goes down the planes: the x and y lines of a
// plane while it is in cache, then the plane's row of the z elimination; it reads u (R bytes,
// R = sizeof(real)) and the id (1 byte) and writes u back (R bytes, no write-allocate since the
// line was just read). Pass 2 goes back up with the z back substitution: u read and written (2R;
// its factors come from the per-class tables). (2R + 1) + 2R = 17 bytes in float, 33 in double.
// Roofline fraction = 33 (or 17) × updates/s ÷ triad bandwidth at the same thread count. The
// explicit reference moves at least 2·8 + 1 = 17 bytes per voxel-update (u read, u_next written,
// ids), but needs a step below the explicit limit, which for skin (0.5 µm cells of stratum corneum)
// is ~10⁴ times smaller.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "citsim/numerics/diffusion3d.hpp"
#include "citsim/numerics/diffusion3d_implicit.hpp"
#include "citsim/numerics/diffusion3d_reference.hpp"
#include "lod_floor.hpp"

namespace {

using namespace citsim::numerics;

/// Whether the system reported the last-level cache (some VMs do not: lscpu shows none).
bool g_llc_reported = true;

std::size_t last_level_cache_bytes() {
  std::ifstream in("/sys/devices/system/cpu/cpu0/cache/index3/size");
  std::string text;
  if (in >> text && !text.empty()) {
    std::size_t value = std::stoull(text);
    if (text.back() == 'K') value <<= 10;
    if (text.back() == 'M') value <<= 20;
    return value;
  }
  g_llc_reported = false;
  return std::size_t{32} << 20;  // one CCD of a current server CPU
}

/// Triad bandwidth (GB/s) per thread count, measured before the benchmarks run.
std::map<int, double> g_triad_gb_s;

double measure_triad(std::size_t n, int threads) {
  omp_set_num_threads(threads);
  std::vector<double> a(n);
  std::vector<double> b(n);
  std::vector<double> c(n);
  // First touch by the threads that will use the pages.
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = 0;
    b[i] = 1;
    c[i] = 2;
  }
  const double s = 3;
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    double* pa = a.data();
    const double* pb = b.data();
    const double* pc = c.data();
#pragma omp parallel for schedule(static)
    for (std::size_t i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
    benchmark::DoNotOptimize(a.data());
  }
  return 24.0 * static_cast<double>(n) / best / 1e9;
}

struct GridChoice {
  std::size_t nx, ny, nz;
  const char* regime;
};

/// In cache: 64 × 64 × 48 (1.8 MB in double with the ids; fits the two L2s and the LLC).
/// Out of cache: 512 × 512 × nz with (R + 1)·cells ≥ 4 × LLC.
GridChoice grid_for(bool in_cache, std::size_t real_bytes) {
  if (in_cache) return {64, 64, 48, "in cache"};
  const std::size_t plane = 512 * 512;
  const std::size_t nz = (4 * last_level_cache_bytes()) / (plane * (real_bytes + 1)) + 1;
  return {512, 512, nz, "out of cache"};
}

std::vector<double> skin_like_dz(std::size_t nz) {
  std::vector<double> dz(nz, 20e-6);
  for (std::size_t k = 0; k < std::min<std::size_t>(nz, 8); ++k) dz[k] = 2e-6;
  return dz;
}

const std::vector<Material> k_materials = {{1.0, 1e-11, 0.0, 0.0},
                                           {3.0, 1e-14, 0.0, 1.0},
                                           {1.0, 1e-10, 0.0, 1.0},
                                           {0.8, 2e-11, 2e-3, 0.0}};

/// A film of potential 1 on the surface behind a 1 µm/s transfer coefficient; no flux below.
Diffusion3dBoundary vehicle_on_top() {
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  return boundary;
}

template <class Solver>
void paint(Solver& solver, const Grid3d& grid) {
  auto ids = solver.material_ids();
  auto u = solver.potential();
  for (std::size_t k = 0; k < grid.nz(); ++k) {
    for (std::size_t j = 0; j < grid.ny(); ++j) {
      for (std::size_t i = 0; i < grid.nx(); ++i) {
        const std::size_t c = grid.index(i, j, k);
        const bool channel = i % 16 == 3 && j % 16 == 7;
        ids[c] = k < 8 ? 1 : (k > grid.nz() / 2 ? 3 : 0);
        if (channel && k < grid.nz() / 3) ids[c] = 2;
        u[c] =
            static_cast<typename decltype(u)::value_type>(0.1 + 0.001 * static_cast<double>(i % 7));
      }
    }
  }
}

/// Steps `step` for the benchmark's iterations, timing them with a steady clock, and sets
/// the counters: voxel-updates per second, bytes per voxel, and the fraction of the roofline
/// (bytes per voxel × updates/s ÷ triad bandwidth at `threads`; 0 where not meaningful).
template <class Step>
void run_steps(benchmark::State& state, double cells, int threads, double bytes_per_voxel,
               bool roofline, const char* regime, Step&& step) {
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto balance = step();
    benchmark::DoNotOptimize(balance);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double rate = cells * static_cast<double>(state.iterations()) / seconds;
  state.counters["voxel_updates/s"] = rate;
  state.counters["threads"] = threads;
  state.counters["bytes/voxel"] = bytes_per_voxel;
  state.counters["roofline_fraction"] =
      roofline ? bytes_per_voxel * rate / (g_triad_gb_s[threads] * 1e9) : 0.0;
  state.SetLabel(regime);
}

template <class Real>
void BM_LodStep(benchmark::State& state, bool in_cache, int threads) {
  omp_set_num_threads(threads);
  const GridChoice choice = grid_for(in_cache, sizeof(Real));
  const Grid3d grid(choice.nx, choice.ny, 10e-6, skin_like_dz(choice.nz));
  const Diffusion3dBoundary boundary = vehicle_on_top();
  Diffusion3d<Real> solver(grid, k_materials, boundary);
  paint(solver, grid);
  solver.step(1.0);  // allocates the scratch of every thread, touches every page
  const double bytes = 4.0 * sizeof(Real) + 1.0;
  run_steps(state, static_cast<double>(grid.size()), threads, bytes, true, choice.regime,
            [&] { return solver.step(1.0); });
}

/// The floor under BM_LodStep<double>: the same two passes with none of the work that skin
/// adds (lod_floor.hpp), on one thread; 32 bytes a voxel (no ids). It first checks its wide
/// code against its scalar oracle, bit for bit, on a small grid.
void BM_LodFloor(benchmark::State& state, bool in_cache) {
  if (!citsim::bench::LodFloor::supported()) {
    state.SkipWithError("the floor's code needs AVX-512F");
    return;
  }
  citsim::bench::LodFloor wide(64, 6);
  citsim::bench::LodFloor oracle(64, 6);
  wide.step();
  oracle.step_reference();
  if (wide.field() != oracle.field()) {
    state.SkipWithError("the floor's wide step differs from its scalar oracle");
    return;
  }
  omp_set_num_threads(1);
  GridChoice choice = grid_for(in_cache, sizeof(double));
  if (!in_cache) choice.nz = (4 * last_level_cache_bytes()) / (choice.nx * choice.ny * 8) + 1;
  citsim::bench::LodFloor simplest(choice.nx, choice.nz);
  simplest.step();  // touches every page
  run_steps(state, static_cast<double>(simplest.cells()), 1, 32.0, true, choice.regime, [&] {
    simplest.step();
    return simplest.field()[0];
  });
}

/// One conjugate-gradient iteration of the implicit kernel moves, per voxel, at least: the
/// product p·(M + A)p reads p (float) and the ids; the update reads p and the ids again, reads
/// and writes u and r (double) and runs the column solves on r while it is in cache; the next
/// direction reads r and the ids and reads and writes p: (4 + 1) + (4 + 1 + 16 + 16) + (8 + 1 +
/// 8) = 59 bytes. Timed per step (first residual, iterations, balance), counted per iteration.
constexpr double k_implicit_bytes_per_iteration = 59;

void BM_ImplicitIteration(benchmark::State& state, bool in_cache, int threads) {
  omp_set_num_threads(threads);
  GridChoice choice = grid_for(in_cache, sizeof(double));
  if (!in_cache) {
    // 21 bytes a voxel: the field, residual and direction (8 + 8 + 4) and the ids.
    choice.nz = (4 * last_level_cache_bytes()) / (choice.nx * choice.ny * 21) + 1;
  }
  const Grid3d grid(choice.nx, choice.ny, 10e-6, skin_like_dz(choice.nz));
  const Diffusion3dBoundary boundary = vehicle_on_top();
  Diffusion3dImplicit solver(grid, k_materials, boundary);
  paint(solver, grid);
  // A loose tolerance: a few iterations per step, so the out-of-cache grid runs in seconds.
  solver.set_tolerance(1e-3);
  solver.step(1.0);
  double seconds = 0;
  std::uint64_t iterations = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto balance = solver.step(1.0);
    benchmark::DoNotOptimize(balance);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    iterations += static_cast<std::uint64_t>(solver.last_iterations());
  }
  const double rate = static_cast<double>(grid.size()) * static_cast<double>(iterations) / seconds;
  state.counters["voxel_iterations/s"] = rate;
  state.counters["iterations/step"] =
      static_cast<double>(iterations) / static_cast<double>(state.iterations());
  state.counters["threads"] = threads;
  state.counters["bytes/voxel"] = k_implicit_bytes_per_iteration;
  state.counters["roofline_fraction"] =
      k_implicit_bytes_per_iteration * rate / (g_triad_gb_s[threads] * 1e9);
  state.SetLabel(choice.regime);
}

void BM_ExplicitReference(benchmark::State& state, bool in_cache) {
  const GridChoice choice = grid_for(in_cache, sizeof(double));
  const Grid3d grid(choice.nx, choice.ny, 10e-6, skin_like_dz(choice.nz));
  const Diffusion3dBoundary boundary = vehicle_on_top();
  Diffusion3dReference reference(grid, k_materials, boundary);
  paint(reference, grid);
  const double dt = reference.stable_time_step_s();
  run_steps(state, static_cast<double>(grid.size()), 1, 17.0, true, choice.regime,
            [&] { return reference.step(dt); });
}

void BM_Triad(benchmark::State& state, int threads) {
  // Reports the bandwidth measured before the run (a triad of 4× LLC takes a while to set up).
  for (auto _ : state) benchmark::DoNotOptimize(g_triad_gb_s[threads]);
  state.counters["GB/s"] = g_triad_gb_s[threads];
  state.counters["threads"] = threads;
  state.SetLabel("out of cache");
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const std::size_t llc = last_level_cache_bytes();
  const std::size_t triad_n = 4 * llc / (3 * sizeof(double)) + 1;
  std::printf("last-level cache: %zu MiB%s; triad arrays: 3 x %zu MiB\n", llc >> 20,
              g_llc_reported ? "" : " (not reported by the system: assumed)",
              (triad_n * sizeof(double)) >> 20);
  for (const int threads : {1, 2}) {
    g_triad_gb_s[threads] = measure_triad(triad_n, threads);
    std::printf("triad, %d thread(s): %.2f GB/s\n", threads, g_triad_gb_s[threads]);
  }
  for (const bool in_cache : {true, false}) {
    const char* regime = in_cache ? "in_cache" : "out_of_cache";
    for (const int threads : {1, 2}) {
      const std::string suffix = std::string("/") + regime + "/threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(("BM_LodStep<float>" + suffix).c_str(), BM_LodStep<float>,
                                   in_cache, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
      benchmark::RegisterBenchmark(("BM_LodStep<double>" + suffix).c_str(), BM_LodStep<double>,
                                   in_cache, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark((std::string("BM_LodFloor/") + regime + "/threads:1").c_str(),
                                 BM_LodFloor, in_cache)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    for (const int threads : {1, 2}) {
      const std::string suffix = std::string("/") + regime + "/threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(("BM_ImplicitIteration" + suffix).c_str(), BM_ImplicitIteration,
                                   in_cache, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark((std::string("BM_ExplicitReference/") + regime).c_str(),
                                 BM_ExplicitReference, in_cache)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (const int threads : {1, 2}) {
    benchmark::RegisterBenchmark(("BM_Triad/threads:" + std::to_string(threads)).c_str(), BM_Triad,
                                 threads)
        ->Iterations(1);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
