// SPDX-License-Identifier: MIT
// The wide (AVX-512) line solves against the portable ones: the same bits, in float and double,
// alone and inside every step of the solver. Skipped where the CPU has no AVX-512.
#include <cstring>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/numerics/diffusion3d.hpp"
#include "citsim/numerics/diffusion3d_sweeps.hpp"
#include "citsim/numerics/diffusion3d_wide.hpp"
#include "diffusion3d_cases.hpp"

namespace citsim::numerics {
namespace {

using testing::fill_bump;
using testing::graded_dz;
using testing::paint_layers;

/// Restores the wide paths' setting a test changed.
class WideLines {
 public:
  explicit WideLines(bool enabled) : m_saved(detail::set_wide_lines_enabled(enabled)) {}
  ~WideLines() { detail::set_wide_lines_enabled(m_saved); }
  WideLines(const WideLines&) = delete;
  WideLines& operator=(const WideLines&) = delete;

 private:
  bool m_saved;
};

template <class Real>
bool same_bits(std::span<const Real> a, std::span<const Real> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Real)) == 0;
}

/// One block of rows of one material: the wide solve against sweep_x_rows' portable path.
template <class Real>
void expect_wide_block_matches_portable() {
  const WideLines on(true);
  if (!detail::wide_lines_active()) GTEST_SKIP() << "no AVX-512 on this CPU";
  constexpr std::size_t block = detail::x_block(sizeof(Real));
  const std::size_t nx = 96;
  const Grid3d grid(nx, block, 10e-6, graded_dz(1, 0, 2e-6, 1.4));  // one plane
  const std::vector<Material> materials = testing::stiff_materials();
  detail::MaterialCoefficients<Real> coefficients;
  coefficients.assign(materials, Diffusion3dBoundary{});
  const std::vector<Real> half_dz(grid.nz(), Real(1e-6));
  const Real dt = 40;
  const Real dt_over_dx2 = dt / Real(1e-10);
  coefficients.set_step(dt, dt_over_dx2, half_dz, Real(0));
  coefficients.set_uniform_lines(nx, block, block);
  std::vector<Real> plane(nx * block);
  fill_bump(grid, std::span<Real>(plane), 0.7);
  // Material 2 conducts best: the widest spread of factors along the line.
  const std::vector<std::uint8_t> ids(plane.size(), testing::k_channel);
  std::vector<Real> portable = plane;
  {
    const WideLines off(false);
    detail::SweepScratch<Real> scratch(detail::scratch_sizes(nx, block, 1, sizeof(Real)));
    detail::sweep_x_rows(nx, block, 0, block, portable.data(), ids.data(), coefficients,
                         dt_over_dx2, scratch);
  }
  std::vector<Real> wide = plane;
  std::vector<Real> forward(block * nx);
  detail::solve_uniform_rows(coefficients.lines_x, testing::k_channel, nx, wide.data(),
                             forward.data());
  EXPECT_TRUE(same_bits<Real>(wide, portable));
  EXPECT_FALSE(same_bits<Real>(wide, plane));  // it did solve
}

TEST(Diffusion3dWide, BlockOfOneMaterialGivesThePortableBitsInDouble) {
  expect_wide_block_matches_portable<double>();
}

TEST(Diffusion3dWide, BlockOfOneMaterialGivesThePortableBitsInFloat) {
  expect_wide_block_matches_portable<float>();
}

/// Blocks of x rows with rows of another id sequence (a channel's chord): one such row, two
/// alike (both take their factors in their lanes of the wide solve) and two unlike (set apart
/// and solved alone): sweep_x_rows gives the portable bits, in every row.
template <class Real>
void expect_odd_lanes_match_portable() {
  {
    const WideLines on(true);
    if (!detail::wide_lines_active()) GTEST_SKIP() << "no AVX-512 on this CPU";
  }
  constexpr std::size_t block = detail::x_block(sizeof(Real));
  const std::size_t nx = 3 * block;
  const std::size_t ny = 3 * block;
  detail::MaterialCoefficients<Real> coefficients;
  coefficients.assign(testing::stiff_materials(), Diffusion3dBoundary{});
  const std::vector<Real> half_dz(1, Real(1e-6));
  const Real dt = 40;
  const Real dt_over_dx2 = dt / Real(1e-10);
  coefficients.set_step(dt, dt_over_dx2, half_dz, Real(0));
  coefficients.set_uniform_lines(nx, ny, ny);
  std::vector<std::uint8_t> ids(nx * ny, testing::k_bulk);
  const auto cross = [&](std::size_t j, std::size_t i) {
    ids[j * nx + i] = testing::k_channel;
    ids[j * nx + i + 1] = testing::k_channel;
  };
  cross(3, 5);          // block 0: one odd row
  cross(block + 1, 7);  // block 1: two alike
  cross(block + 6, 7);
  cross(2 * block + 2, 4);  // block 2: two unlike
  cross(2 * block + 5, 9);
  std::vector<Real> plane(nx * ny);
  for (std::size_t c = 0; c < plane.size(); ++c) {
    plane[c] = Real(0.3) + Real(0.02) * static_cast<Real>((c * 5) % 11);
  }
  const auto sweep = [&](bool wide) {
    const WideLines setting(wide);
    detail::SweepScratch<Real> scratch(detail::scratch_sizes(nx, ny, 1, sizeof(Real)));
    std::vector<Real> u = plane;
    detail::sweep_x_rows(nx, ny, 0, ny, u.data(), ids.data(), coefficients, dt_over_dx2, scratch);
    return u;
  };
  const std::vector<Real> wide = sweep(true);
  EXPECT_TRUE(same_bits<Real>(wide, sweep(false)));
  EXPECT_FALSE(same_bits<Real>(wide, plane));
}

TEST(Diffusion3dWide, OddRowsInTheirLanesGiveThePortableBitsInDouble) {
  expect_odd_lanes_match_portable<double>();
}

TEST(Diffusion3dWide, OddRowsInTheirLanesGiveThePortableBitsInFloat) {
  expect_odd_lanes_match_portable<float>();
}

/// Whole steps with channels (odd rows solved apart) on both LOD paths, wide on and off.
template <class Real>
void expect_steps_match_portable() {
  {
    const WideLines on(true);
    if (!detail::wide_lines_active()) GTEST_SKIP() << "no AVX-512 on this CPU";
  }
  const Grid3d grid(80, 48, 10e-6, graded_dz(3, 20, 1e-6, 1.3));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e-6;
  boundary.outside_potential = 1.0;
  const auto run = [&](bool wide, bool two_pass) {
    const WideLines setting(wide);
    Diffusion3d<Real> solver(grid, testing::stiff_materials(), boundary);
    solver.set_two_pass(two_pass);
    paint_layers(grid, solver.material_ids(), 3, 10, 16);
    fill_bump(grid, solver.potential(), 0.3);
    for (int n = 0; n < 4; ++n) {
      solver.step(0.8);
      EXPECT_EQ(solver.last_step_two_pass(), two_pass);
    }
    return std::vector<Real>(solver.potential().begin(), solver.potential().end());
  };
  for (const bool two_pass : {true, false}) {
    EXPECT_TRUE(same_bits<Real>(run(true, two_pass), run(false, two_pass)));
  }
}

TEST(Diffusion3dWide, StepsGiveThePortableBitsInDouble) {
  expect_steps_match_portable<double>();
}

TEST(Diffusion3dWide, StepsGiveThePortableBitsInFloat) {
  expect_steps_match_portable<float>();
}

}  // namespace
}  // namespace citsim::numerics
