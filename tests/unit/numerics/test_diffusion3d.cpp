// SPDX-License-Identifier: MIT
// The voxel3d kernel: grid and memory bookkeeping, conservation, agreement with the explicit
// reference, thread independence and stability far past the explicit limit.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/numerics/diffusion3d.hpp"
#include "citsim/numerics/diffusion3d_reference.hpp"
#include "diffusion3d_cases.hpp"

namespace citsim::numerics {
namespace {

using testing::fill_bump;
using testing::graded_dz;
using testing::paint_layers;

/// Restores the OpenMP thread count a test changed.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : m_saved(omp_get_max_threads()) {
    omp_set_num_threads(threads);
  }
  ~ThreadCount() { omp_set_num_threads(m_saved); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int m_saved;
};

TEST(Grid3d, IndexesXFastestAndAddsUpLayers) {
  const Grid3d grid(4, 3, 1e-5, {1e-6, 2e-6, 5e-6});
  EXPECT_EQ(grid.size(), 36u);
  EXPECT_EQ(grid.index(1, 2, 1), 1u + 4u * (2u + 3u * 1u));
  EXPECT_DOUBLE_EQ(grid.depth_m(), 8e-6);
  EXPECT_DOUBLE_EQ(grid.z_centre_m(1), 2e-6);
  EXPECT_DOUBLE_EQ(grid.cell_volume_m3(2), 1e-10 * 5e-6);
  EXPECT_THROW(Grid3d(0, 3, 1e-5, {1e-6}), std::invalid_argument);
  EXPECT_THROW(Grid3d(2, 3, 1e-5, {1e-6, -1.0}), std::invalid_argument);
  const std::vector<double> thickness = {10e-6, 90e-6};
  const std::vector<std::size_t> cells = {5, 3};
  const auto dz = layered_spacing(thickness, cells);
  ASSERT_EQ(dz.size(), 8u);
  EXPECT_DOUBLE_EQ(dz[0], 2e-6);
  EXPECT_DOUBLE_EQ(dz[7], 30e-6);
}

TEST(Diffusion3d, RejectsBadMaterialsAndSteps) {
  const Grid3d grid(3, 3, 1e-5, {1e-5, 1e-5});
  EXPECT_THROW(Diffusion3d<double>(grid, {}), std::invalid_argument);
  EXPECT_THROW(Diffusion3d<double>(grid, {{0.0, 1e-10, 0, 1}}), std::invalid_argument);
  EXPECT_THROW(Diffusion3d<double>(grid, {{1.0, -1e-10, 0, 1}}), std::invalid_argument);
  Diffusion3d<double> solver(grid, {{1.0, 1e-10, 0, 1}});
  EXPECT_THROW(solver.step(0.0), std::invalid_argument);
  solver.material_ids()[4] = 3;
  EXPECT_THROW(validate_material_ids(solver.material_ids(), solver.materials().size()),
               std::invalid_argument);
}

TEST(Diffusion3d, FieldStartsOnACacheLine) {
  // The wide line solves load and store whole cache lines of the field; a field 16 bytes past a
  // line (malloc's large blocks) made each of those accesses span two lines.
  const Grid3d grid(512, 512, 1e-5, {1e-5, 1e-5});
  const auto offset = [](const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % k_cache_line_bytes;
  };
  Diffusion3d<double> in_double(grid, {{1.0, 1e-10, 0, 1}});
  Diffusion3d<float> in_float(grid, {{1.0, 1e-10, 0, 1}});
  EXPECT_EQ(offset(in_double.potential().data()), 0u);
  EXPECT_EQ(offset(in_float.potential().data()), 0u);
}

TEST(Diffusion3d, MemoryEstimateBoundsWhatItAllocatesAndFitsTheBudget) {
  const ThreadCount two(2);
  // Channels, so that lines crossing them are solved apart and their factors kept; both
  // orientations, since those tables hold x or y lines.
  const std::size_t materials = testing::mild_materials().size();
  for (const auto& [nx, ny] : {std::pair<std::size_t, std::size_t>{40, 24}, {24, 40}}) {
    const Grid3d grid(nx, ny, 1e-5, graded_dz(4, 20, 1e-6, 1.3));
    Diffusion3d<double> solver(grid, testing::mild_materials());
    paint_layers(grid, solver.material_ids(), 3, 10, 16);
    solver.step(1e-3);
    // The estimate bounds what the step allocates (the column classes' tables grow with the
    // number of distinct columns, up to the bound the estimate counts).
    EXPECT_LE(solver.allocated_bytes(),
              diffusion3d_bytes(nx, ny, 24, sizeof(double), 2, materials));
    Diffusion3d<float> single(grid, testing::mild_materials());
    paint_layers(grid, single.material_ids(), 3, 10, 16);
    single.step(1e-3);
    EXPECT_LE(single.allocated_bytes(), diffusion3d_bytes(nx, ny, 24, sizeof(float), 2, materials));
  }
  // A realistic patch: at most 24 bytes per voxel in double, scratch included.
  const double per_voxel =
      static_cast<double>(diffusion3d_bytes(256, 256, 120, sizeof(double))) / (256.0 * 256 * 120);
  EXPECT_LE(per_voxel, 24.0);
  EXPECT_GE(per_voxel, 9.0);
  EXPECT_NO_THROW(check_diffusion3d_memory(64, 64, 64, 8, std::size_t{1} << 30));
  try {
    check_diffusion3d_memory(2048, 2048, 512, 8, std::size_t{1} << 30);
    FAIL() << "no length_error";
  } catch (const std::length_error& e) {
    EXPECT_NE(std::string(e.what()).find("bytes"), std::string::npos);
  }
}

/// Runs `steps` steps of a stiff skin-like problem with a surface source, a sink and an open
/// bottom, and returns the worst |Σ s·u·V − initial − Σ(in − out − sink)| relative to the
/// amount that entered.
template <class Real>
double balance_error(Splitting splitting, std::size_t steps, double dt_s) {
  const Grid3d grid(15, 12, 10e-6, graded_dz(3, 15, 1e-6, 1.5));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  boundary.bottom = BottomBoundary::zero_potential;
  Diffusion3d<Real> solver(grid, testing::stiff_materials(), boundary, splitting);
  paint_layers(grid, solver.material_ids(), 3, 8, 12);
  fill_bump(grid, solver.potential(), 0.2);
  const double initial = solver.amount();
  StepBalance total;
  double worst = 0;
  for (std::size_t n = 0; n < steps; ++n) {
    total += solver.step(dt_s);
    const double drift = solver.amount() - initial - total.net();
    worst = std::max(worst, std::abs(drift));
  }
  EXPECT_GT(total.entered_top, 0);
  EXPECT_GT(total.left_bottom, 0);
  EXPECT_GT(total.removed_sink, 0);
  return worst / std::max(total.entered_top, initial);
}

TEST(Diffusion3d, ConservesMassToRoundOff) {
  const double lod = balance_error<double>(Splitting::lod, 200, 0.5);
  const double strang = balance_error<double>(Splitting::strang, 100, 0.5);
  // In float the books balance to float round-off, amplified where the top flux is the small
  // difference u_outside − u_top of two floats.
  const double single = balance_error<float>(Splitting::lod, 50, 0.5);
  std::printf("relative balance error: lod %.2e, strang %.2e, float %.2e\n", lod, strang, single);
  EXPECT_LT(lod, 1e-12);
  EXPECT_LT(strang, 1e-12);
  EXPECT_LT(single, 1e-4);
}

TEST(Diffusion3dReference, AHeldFieldStaysTheFieldAcrossSteps) {
  // Callers keep the span from potential() and change the field through it between steps
  // (voxel3d rescales a drying film); after an odd number of steps it must still be the field.
  const Grid3d grid(4, 4, 20e-6, graded_dz(2, 4, 5e-6, 1.4));
  Diffusion3dReference reference(grid, testing::mild_materials());
  fill_bump(grid, reference.potential(), 0.5);
  const std::span<double> held = reference.potential();
  reference.step(0.5 * reference.stable_time_step_s());
  EXPECT_EQ(held.data(), reference.potential().data());
  const double before = reference.amount();
  for (double& u : held) u *= 2;
  EXPECT_NEAR(reference.amount(), 2 * before, 1e-12 * before);
}

TEST(Diffusion3d, AgreesWithTheExplicitReference) {
  const Grid3d grid(10, 8, 20e-6, graded_dz(2, 8, 5e-6, 1.4));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 2e-6;
  boundary.outside_potential = 1.0;
  boundary.bottom = BottomBoundary::zero_potential;
  Diffusion3dReference reference(grid, testing::mild_materials(), boundary);
  Diffusion3d<double> solver(grid, testing::mild_materials(), boundary);
  paint_layers(grid, reference.material_ids(), 2, 6, 7);
  paint_layers(grid, solver.material_ids(), 2, 6, 7);
  fill_bump(grid, reference.potential(), 0.5);
  fill_bump(grid, solver.potential(), 0.5);
  const double ref_initial = reference.amount();

  // Both are first order in time: with the implicit step a quarter of the explicit one, the
  // difference at t = 300 explicit steps is dominated by the time error of each.
  const double dt = 0.9 * reference.stable_time_step_s();
  StepBalance ref_total;
  StepBalance total;
  for (int n = 0; n < 300; ++n) {
    ref_total += reference.step(dt);
    for (int q = 0; q < 4; ++q) total += solver.step(dt / 4);
  }
  double peak = 0;
  double worst = 0;
  for (std::size_t c = 0; c < grid.size(); ++c) {
    peak = std::max(peak, std::abs(reference.potential()[c]));
    worst = std::max(worst, std::abs(reference.potential()[c] - solver.potential()[c]));
  }
  std::printf("implicit vs explicit: max difference %.2e of the peak; in %.5f out %.5f sink %.5f\n",
              worst / peak, total.entered_top / ref_total.entered_top,
              total.left_bottom / ref_total.left_bottom,
              total.removed_sink / ref_total.removed_sink);
  // Stated tolerance: 1 % of the field's peak, pointwise; the balances within 1 %.
  EXPECT_LT(worst / peak, 1e-2);
  EXPECT_NEAR(total.entered_top / ref_total.entered_top, 1.0, 1e-2);
  EXPECT_NEAR(total.left_bottom / ref_total.left_bottom, 1.0, 1e-2);
  EXPECT_NEAR(total.removed_sink / ref_total.removed_sink, 1.0, 1e-2);
  // The reference conserves too, to round-off.
  const double drift = reference.amount() - ref_initial - ref_total.net();
  EXPECT_LT(std::abs(drift) / ref_initial, 1e-12);
}

TEST(Diffusion3d, SameBitsForOneAndTwoThreads) {
  // Large enough for the sweeps (and the two-pass step's planes) to run on a team of threads;
  // odd sizes, so that the threads' shares of planes differ.
  const Grid3d grid(131, 127, 10e-6, graded_dz(3, 20, 1e-6, 1.3));
  ASSERT_GE(grid.size(), detail::k_min_parallel_voxels);
  ASSERT_GE(grid.nx() * grid.ny(), detail::k_min_parallel_plane);
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  const auto run = [&](int threads, Splitting splitting) {
    const ThreadCount count(threads);
    Diffusion3d<double> solver(grid, testing::stiff_materials(), boundary, splitting);
    paint_layers(grid, solver.material_ids(), 3, 10, 16);
    fill_bump(grid, solver.potential(), 0.3);
    StepBalance total;
    for (int n = 0; n < 5; ++n) total += solver.step(0.7);
    std::vector<double> out(solver.potential().begin(), solver.potential().end());
    out.push_back(total.entered_top);
    out.push_back(total.left_bottom);
    out.push_back(total.removed_sink);
    return out;
  };
  for (const Splitting splitting : {Splitting::lod, Splitting::strang}) {
    const auto one = run(1, splitting);
    const auto two = run(2, splitting);
    ASSERT_EQ(one.size(), two.size());
    EXPECT_EQ(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)), 0);
  }
}

/// Largest |a − b| / max|b|.
double relative_difference(std::span<const double> a, std::span<const double> b) {
  double worst = 0;
  double scale = 0;
  for (std::size_t c = 0; c < a.size(); ++c) {
    worst = std::max(worst, std::abs(a[c] - b[c]));
    scale = std::max(scale, std::abs(b[c]));
  }
  return worst / scale;
}

TEST(Diffusion3d, TwoPassStepAgreesWithSeparateSweepsToRoundOff) {
  // Channels, a barrier, a sink; 300 columns along x, so three strips of column classes, one
  // of them partial.
  static_assert(detail::k_two_pass_strip == 128);
  const Grid3d grid(300, 37, 10e-6, graded_dz(3, 20, 1e-6, 1.3));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  boundary.bottom = BottomBoundary::zero_potential;
  const auto run = [&](bool two_pass) {
    Diffusion3d<double> solver(grid, testing::stiff_materials(), boundary);
    solver.set_two_pass(two_pass);
    paint_layers(grid, solver.material_ids(), 3, 10, 16);
    fill_bump(grid, solver.potential(), 0.3);
    StepBalance total;
    for (int n = 0; n < 6; ++n) {
      total += solver.step(0.9);
      EXPECT_EQ(solver.last_step_two_pass(), two_pass);
    }
    std::vector<double> out(solver.potential().begin(), solver.potential().end());
    return std::make_pair(out, total);
  };
  const auto [fused, fused_total] = run(true);
  const auto [separate, separate_total] = run(false);
  EXPECT_LT(relative_difference(fused, separate), 1e-13);
  EXPECT_NEAR(fused_total.entered_top, separate_total.entered_top,
              1e-13 * separate_total.entered_top);
  EXPECT_NEAR(fused_total.left_bottom, separate_total.left_bottom,
              1e-13 * separate_total.left_bottom);
  EXPECT_NEAR(fused_total.removed_sink, separate_total.removed_sink,
              1e-13 * separate_total.removed_sink);
}

TEST(Diffusion3d, KeptColumnClassesFollowChangedMaterials) {
  // Channels close half way (materials_changed): the two-pass step, which keeps its column
  // classes between steps until told, must still agree with the separate sweeps.
  const Grid3d grid(70, 37, 10e-6, graded_dz(3, 20, 1e-6, 1.3));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  const auto run = [&](bool two_pass) {
    Diffusion3d<double> solver(grid, testing::stiff_materials(), boundary);
    solver.set_two_pass(two_pass);
    paint_layers(grid, solver.material_ids(), 3, 10, 16);
    fill_bump(grid, solver.potential(), 0.3);
    for (int n = 0; n < 3; ++n) solver.step(0.9);
    auto ids = solver.material_ids();
    for (std::uint8_t& id : ids) {
      if (id == testing::k_channel) id = testing::k_bulk;
    }
    solver.materials_changed();
    for (int n = 0; n < 3; ++n) {
      solver.step(0.9);
      EXPECT_EQ(solver.last_step_two_pass(), two_pass);
    }
    return std::vector<double>(solver.potential().begin(), solver.potential().end());
  };
  EXPECT_LT(relative_difference(run(true), run(false)), 1e-13);
}

#ifndef NDEBUG
TEST(Diffusion3dDeathTest, ChangedIdsWithoutSayingSoStopADebugBuild) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Grid3d grid(8, 8, 10e-6, std::vector<double>(6, 5e-6));
  Diffusion3d<double> solver(grid, testing::mild_materials());
  solver.step(1.0);
  solver.material_ids()[5] = 1;
  EXPECT_DEATH(solver.step(1.0), "materials_changed");
}
#endif

TEST(Diffusion3d, LinesOfOneMaterialAgreeWithTheFullSolveToRoundOff) {
  // Materials 0 and 1 are the same medium under two ids. All-zero lines take the tabulated
  // uniform-line factors and class tables; scattered 1s make their lines, blocks and columns
  // take the full elimination. The physics is the same, so the fields must agree to round-off.
  const Grid3d grid(40, 36, 10e-6, graded_dz(2, 12, 2e-6, 1.4));
  const std::vector<Material> materials = {{1.5, 3e-11, 1e-3, 1.0}, {1.5, 3e-11, 1e-3, 1.0}};
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  const auto run = [&](bool scatter) {
    Diffusion3d<double> solver(grid, materials, boundary);
    fill_bump(grid, solver.potential(), 0.3);
    if (scatter) {
      for (std::size_t c = 0; c < grid.size(); c += 97) solver.material_ids()[c] = 1;
    }
    for (int n = 0; n < 4; ++n) solver.step(2.0);
    EXPECT_TRUE(solver.last_step_two_pass());
    return std::vector<double>(solver.potential().begin(), solver.potential().end());
  };
  const auto uniform = run(false);
  const auto mixed = run(true);
  EXPECT_LT(relative_difference(mixed, uniform), 1e-13);
  EXPECT_GT(relative_difference(mixed, uniform), 0.0);  // the two did take different paths
}

TEST(Diffusion3d, ManyDistinctColumnsFallBackToSeparateSweeps) {
  // Every column different: more classes than a strip may hold.
  const Grid3d grid(16, 16, 10e-6, std::vector<double>(40, 5e-6));
  Diffusion3d<double> solver(grid, testing::mild_materials());
  std::minstd_rand random(7);
  for (std::size_t c = 0; c < grid.size(); ++c) {
    solver.material_ids()[c] = static_cast<std::uint8_t>(random() % 4);
  }
  fill_bump(grid, solver.potential(), 0.3);
  const double initial = solver.amount();
  const StepBalance balance = solver.step(0.5);
  EXPECT_FALSE(solver.last_step_two_pass());
  EXPECT_LT(std::abs(solver.amount() - initial - balance.net()) / initial, 1e-12);
}

template <class Real>
void expect_stable_far_past_the_explicit_limit() {
  // Conductivities 1e-9 and 1e-16 m²/s (a 10⁷ contrast) side by side in x, y and z.
  const Grid3d grid(12, 10, 10e-6, graded_dz(3, 10, 1e-6, 1.5));
  const std::vector<Material> materials = {
      {1.0, 1e-16, 0.0, 1.0}, {1.0, 1e-9, 0.0, 1.0}, {2.0, 1e-16, 1e-2, 0.0}};
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-3;
  boundary.outside_potential = 1.0;
  Diffusion3dReference reference(grid, materials, boundary);
  Diffusion3d<Real> solver(grid, materials, boundary);
  for (std::size_t c = 0; c < grid.size(); ++c) {
    const std::uint8_t id = (c * 7919) % 3 == 0 ? 1 : ((c / grid.plane_size()) > 8 ? 2 : 0);
    solver.material_ids()[c] = id;
    reference.material_ids()[c] = id;
  }
  const double dt = 1e4 * reference.stable_time_step_s();
  const double initial = solver.amount();
  StepBalance total;
  for (int n = 0; n < 20; ++n) total += solver.step(dt);
  Real lowest = 0;
  Real highest = 0;
  for (const Real u : solver.potential()) {
    ASSERT_TRUE(std::isfinite(u));
    lowest = std::min(lowest, u);
    highest = std::max(highest, u);
  }
  EXPECT_GE(static_cast<double>(lowest), -1e-12);
  EXPECT_LE(static_cast<double>(highest), 1.0 + 1e-6);
  const double drift = solver.amount() - initial - total.net();
  std::printf("dt = 1e4 explicit limits (%zu-byte reals): min %.2e max %.6f drift %.2e\n",
              sizeof(Real), static_cast<double>(lowest), static_cast<double>(highest),
              std::abs(drift) / total.entered_top);
  const double tolerance = sizeof(Real) == sizeof(double) ? 1e-10 : 1e-3;
  EXPECT_LT(std::abs(drift) / total.entered_top, tolerance);
}

TEST(Diffusion3d, StableAtTenThousandTimesTheExplicitLimit) {
  expect_stable_far_past_the_explicit_limit<double>();
  expect_stable_far_past_the_explicit_limit<float>();
}

}  // namespace
}  // namespace citsim::numerics
