// SPDX-License-Identifier: MIT
// The unsplit implicit solver against the explicit reference on a channel-in-tissue problem,
// where the LOD splitting errs most: at the same step it must be far closer than LOD.
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/numerics/diffusion3d.hpp"
#include "citsim/numerics/diffusion3d_implicit.hpp"
#include "citsim/numerics/diffusion3d_reference.hpp"

namespace citsim::numerics {
namespace {

constexpr std::size_t k_lateral = 8;
constexpr std::size_t k_planes = 30;

Grid3d channel_grid() {
  return Grid3d(k_lateral, k_lateral, 10e-6, std::vector<double>(k_planes, 5e-6));
}

std::vector<Material> channel_materials() {
  // Tissue (slow, sealed at the surface like a stratum corneum) and lumen (fast, aqueous, open
  // to the surface); a sink in the tissue. The solute enters only down the channel.
  return {{1.0, 2e-10, 1e-3, 0.0}, {1.0, 9e-10, 0.0, 1.0}};
}

Diffusion3dBoundary dirichlet_top() {
  Diffusion3dBoundary b;
  b.top = TopBoundary::exchange;
  b.top_transfer_m_s = 1e-4;
  b.outside_potential = 1.0;
  b.bottom = BottomBoundary::zero_potential;
  return b;
}

template <class Solver>
void mark_channel(Solver& solver) {
  auto ids = solver.material_ids();
  for (std::size_t k = 0; k < 20; ++k) {
    for (std::size_t j = 3; j < 5; ++j) {
      for (std::size_t i = 3; i < 5; ++i) ids[solver.grid().index(i, j, k)] = 1;
    }
  }
}

template <class Solver>
double amount_after(Solver& solver, double t_end, double dt) {
  mark_channel(solver);
  const auto steps = static_cast<int>(std::lround(t_end / dt));
  for (int i = 0; i < steps; ++i) solver.step(dt);
  return solver.amount();
}

TEST(Diffusion3dImplicit, MatchesTheExplicitReferenceWhereLodSplittingErrs) {
  const double t_end = 30.0;
  Diffusion3dReference reference(channel_grid(), channel_materials(), dirichlet_top());
  mark_channel(reference);  // the stable step depends on where the fast lumen is
  const double dt_explicit = 0.5 * reference.stable_time_step_s();
  const double exact = amount_after(reference, t_end, t_end / std::ceil(t_end / dt_explicit));

  Diffusion3dImplicit implicit_fine(channel_grid(), channel_materials(), dirichlet_top());
  const double fine = amount_after(implicit_fine, t_end, 0.05);
  Diffusion3dImplicit implicit_coarse(channel_grid(), channel_materials(), dirichlet_top());
  const double coarse = amount_after(implicit_coarse, t_end, 2.5);
  Diffusion3d<double> lod(channel_grid(), channel_materials(), dirichlet_top());
  const double split = amount_after(lod, t_end, 2.5);

  EXPECT_NEAR(fine, exact, 0.005 * exact);
  // Backward Euler's own error at 2.5 s stays small; the LOD splitting error there is many times
  // larger.
  EXPECT_NEAR(coarse, exact, 0.05 * exact);
  EXPECT_LT(5 * std::abs(coarse - exact), std::abs(split - exact));
}

TEST(Diffusion3dImplicit, UniformRowsTakeTheGeneralArithmeticBitForBit) {
  // Materials 1 and 2 are one medium under two ids. With only id 1 in the tissue, nearly every
  // row takes the uniform-row path; scattering id 2 sends the rows around each such voxel down
  // the general path. The arithmetic is the same, so the fields must be equal bit for bit.
  const Grid3d grid(12, 10, 10e-6, std::vector<double>(16, 5e-6));
  const std::vector<Material> materials = {
      {1.0, 9e-10, 0.0, 1.0}, {1.5, 2e-10, 1e-3, 0.0}, {1.5, 2e-10, 1e-3, 0.0}};
  const auto run = [&](bool scatter) {
    Diffusion3dImplicit solver(grid, materials, dirichlet_top());
    auto ids = solver.material_ids();
    for (std::size_t c = 0; c < grid.size(); ++c) ids[c] = 1;
    for (std::size_t k = 0; k < 10; ++k) ids[grid.index(5, 4, k)] = 0;  // a channel
    if (scatter) {
      for (std::size_t c = 0; c < grid.size(); c += 37) {
        if (ids[c] == 1) ids[c] = 2;
      }
    }
    for (int n = 0; n < 5; ++n) solver.step(20.0);
    return std::vector<double>(solver.potential().begin(), solver.potential().end());
  };
  const auto uniform = run(false);
  const auto mixed = run(true);
  ASSERT_EQ(uniform.size(), mixed.size());
  EXPECT_EQ(std::memcmp(uniform.data(), mixed.data(), uniform.size() * sizeof(double)), 0);
  EXPECT_GT(uniform[grid.index(5, 4, 12)], 0.0);
}

TEST(Diffusion3dImplicit, PlainColumnsTakeTheGeneralArithmeticBitForBit) {
  // A barrier over tissue over a sink, two channels: the vertical planes away from the channels
  // are plain (tabulated column factors), those through and beside them are solved in full.
  const Grid3d grid(40, 36, 10e-6, std::vector<double>(18, 5e-6));
  const std::vector<Material> materials = {{1.5, 2e-10, 0.0, 0.0},
                                           {2.0, 1e-13, 0.0, 1.0},
                                           {1.0, 9e-10, 0.0, 1.0},
                                           {1.2, 3e-10, 2e-3, 0.0}};
  const auto run = [&](bool plain) {
    Diffusion3dImplicit solver(grid, materials, dirichlet_top());
    solver.set_plain_columns(plain);
    auto ids = solver.material_ids();
    for (std::size_t k = 0; k < grid.nz(); ++k) {
      for (std::size_t j = 0; j < grid.ny(); ++j) {
        for (std::size_t i = 0; i < grid.nx(); ++i) {
          const bool channel = k < 11 && ((i == 8 && j == 6) || (i == 29 && j == 24));
          ids[grid.index(i, j, k)] = channel ? 2 : (k < 3 ? 1 : (k < 12 ? 0 : 3));
        }
      }
    }
    for (int n = 0; n < 4; ++n) solver.step(15.0);
    return std::make_pair(std::vector<double>(solver.potential().begin(), solver.potential().end()),
                          solver.last_plain_fraction());
  };
  const auto [plain, plain_fraction] = run(true);
  const auto [full, full_fraction] = run(false);
  ASSERT_EQ(plain.size(), full.size());
  EXPECT_EQ(std::memcmp(plain.data(), full.data(), plain.size() * sizeof(double)), 0);
  EXPECT_NEAR(plain_fraction, 1.0 - 10.0 / (40.0 * 36.0), 1e-12);  // 5 columns per channel
  EXPECT_EQ(full_fraction, 0.0);
  EXPECT_GT(plain[grid.index(8, 6, 14)], 0.0);
}

TEST(Diffusion3dImplicit, ConservesMassToSolverTolerance) {
  Diffusion3dImplicit solver(channel_grid(), channel_materials(), dirichlet_top());
  mark_channel(solver);
  double in = 0;
  double out = 0;
  for (int i = 0; i < 20; ++i) {
    const StepBalance b = solver.step(5.0);
    in += b.entered_top;
    out += b.left_bottom + b.removed_sink;
  }
  EXPECT_GT(solver.amount(), 0);
  EXPECT_NEAR(solver.amount(), in - out, 1e-9 * in);
  EXPECT_GT(solver.last_iterations(), 0);
}

TEST(Diffusion3dImplicit, AFieldFarBelowFloatRangeStepsAsTheSameFieldScaled) {
  // A field decayed to ~1e-45 (a day of clearance) lies below float's range, where the search
  // direction is stored: the step must give exactly the scaled results of the same field at
  // ~1, not NaN (it did: p·Ap came out zero). No source, so the problem is linear in the field.
  Diffusion3dBoundary boundary = dirichlet_top();
  boundary.outside_potential = 0.0;
  const double tiny = std::ldexp(1.0, -150);
  const auto run = [&](double factor) {
    Diffusion3dImplicit solver(channel_grid(), channel_materials(), boundary);
    mark_channel(solver);
    auto u = solver.potential();
    for (std::size_t c = 0; c < u.size(); ++c) u[c] = factor * (0.5 + 0.01 * double(c % 13));
    std::vector<double> out;
    for (int n = 0; n < 3; ++n) {
      const StepBalance b = solver.step(5.0);
      out.push_back(b.left_bottom);
      out.push_back(b.removed_sink);
    }
    out.insert(out.end(), solver.potential().begin(), solver.potential().end());
    return out;
  };
  const auto unit = run(1.0);
  const auto small = run(tiny);
  ASSERT_EQ(unit.size(), small.size());
  for (std::size_t c = 0; c < unit.size(); ++c) {
    ASSERT_EQ(small[c], unit[c] * tiny) << "value " << c;
  }
  EXPECT_GT(unit.back(), 0.0);
}

TEST(Diffusion3dImplicit, SmallAggregatesCutTheIterationsOfLateralScales) {
  // Four lumens in a 40 x 40 patch of slow tissue, 60 s steps: the error left after the column
  // solves is smooth over tens of columns. Aggregates of 4 x 4 columns must take clearly fewer
  // iterations than the plane means (one aggregate per plane) and reach the same field.
  // (Measured: 224 with plane means, 161 with 4 x 4; 8 x 8 and 10 x 10 took 261 and 265: the
  // additive two-level form gains only when the aggregates are small against the lateral scale.)
  const Grid3d grid(40, 40, 10e-6, std::vector<double>(20, 5e-6));
  double amounts[2] = {};
  std::uint64_t iterations[2] = {};
  for (int run = 0; run < 2; ++run) {
    Diffusion3dImplicit solver(grid, channel_materials(), dirichlet_top());
    solver.set_coarse_block_side(run == 0 ? 40 : 4);
    auto ids = solver.material_ids();
    for (std::size_t k = 0; k < 14; ++k) {
      for (std::size_t c : {5u, 25u}) {
        for (std::size_t d : {7u, 27u}) ids[grid.index(c, d, k)] = 1;
      }
    }
    for (int i = 0; i < 4; ++i) solver.step(60.0);
    amounts[run] = solver.amount();
    iterations[run] = solver.total_iterations();
  }
  EXPECT_NEAR(amounts[1], amounts[0], 1e-8 * amounts[0]);
  EXPECT_LT(static_cast<double>(iterations[1]), 0.8 * static_cast<double>(iterations[0]))
      << "plane means " << iterations[0] << ", 4 x 4 aggregates " << iterations[1];
}

TEST(Diffusion3dImplicit, AggregatedCoarseLevelGivesTheSameBitsForOneAndTwoThreads) {
  // 48 x 48 x 20 cells: above the size at which the kernel goes parallel.
  const Grid3d grid(48, 48, 10e-6, std::vector<double>(20, 5e-6));
  std::vector<double> fields[2];
  for (int threads = 1; threads <= 2; ++threads) {
    const int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    Diffusion3dImplicit solver(grid, channel_materials(), dirichlet_top());
    solver.set_coarse_block_side(6);
    auto ids = solver.material_ids();
    for (std::size_t k = 0; k < 14; ++k) {
      for (std::size_t c : {5u, 29u}) ids[grid.index(c, 11, k)] = 1;
    }
    for (int i = 0; i < 3; ++i) solver.step(30.0);
    omp_set_num_threads(saved);
    fields[threads - 1].assign(solver.potential().begin(), solver.potential().end());
  }
  EXPECT_TRUE(fields[0] == fields[1]);
}

TEST(Diffusion3dImplicit, CoarseLevelKeepsTheKernelWithin24BytesPerVoxel) {
  // Patches of 0.5 to 4 mm at 10 um voxels, 97 to 130 planes.
  for (const auto& [n, nz] :
       {std::pair<std::size_t, std::size_t>{50, 97}, {100, 97}, {200, 130}, {400, 130}}) {
    const double voxels = static_cast<double>(n * n * nz);
    EXPECT_LE(static_cast<double>(diffusion3d_implicit_bytes(n, n, nz)) / voxels, 24.0) << n;
    EXPECT_LT(implicit_coarse_block_side(n, n, nz), n) << n;
  }
  // A grid too small for any coarse level within the budget gets the plane means.
  EXPECT_EQ(implicit_coarse_block_side(8, 8, 30), 8u);
}

}  // namespace
}  // namespace citsim::numerics
