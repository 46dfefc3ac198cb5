// SPDX-License-Identifier: MIT
// The voxel3d kernel against analytic solutions: the semi-infinite erfc profile with the
// observed orders of convergence in space and time, and Crank's membrane (steady flux and lag).
#include <cmath>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/numerics/diffusion3d.hpp"
#include "diffusion3d_cases.hpp"

namespace citsim::numerics {
namespace {

/// Surface transfer coefficient (m/s) so large that the top face sits at u_outside.
constexpr double k_dirichlet_h_m_s = 1e3;

/// A laterally uniform column (3 × 3 cells, so the periodic x and y sweeps run and must leave a
/// uniform field alone) of one material with D = 1e-9 m²/s, u = C0 = 1 on the top face from
/// t0 = 20 s, started from the exact profile and run to t1 = 60 s in `steps` steps.
/// Returns the dz-weighted RMS error against C0 erfc(z / (2 sqrt(D t1))).
double erfc_error(std::size_t nz, std::size_t steps) {
  constexpr double d = 1e-9;
  constexpr double t0 = 20;
  constexpr double t1 = 60;
  constexpr double depth = 1.5e-3;
  const Grid3d grid(3, 3, 1e-4, std::vector<double>(nz, depth / static_cast<double>(nz)));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = k_dirichlet_h_m_s;
  boundary.outside_potential = 1.0;
  Diffusion3d<double> solver(grid, {{1.0, d, 0.0, 1.0}}, boundary);
  const auto exact = [&](double z, double t) { return std::erfc(z / (2 * std::sqrt(d * t))); };
  for (std::size_t k = 0; k < nz; ++k) {
    for (std::size_t c = 0; c < grid.plane_size(); ++c) {
      solver.potential()[k * grid.plane_size() + c] = exact(grid.z_centre_m(k), t0);
    }
  }
  const double dt = (t1 - t0) / static_cast<double>(steps);
  for (std::size_t n = 0; n < steps; ++n) solver.step(dt);
  double sum = 0;
  for (std::size_t k = 0; k < nz; ++k) {
    for (std::size_t c = 0; c < grid.plane_size(); ++c) {
      const double e =
          solver.potential()[k * grid.plane_size() + c] - exact(grid.z_centre_m(k), t1);
      sum += e * e * grid.dz_m(k);
    }
  }
  return std::sqrt(sum / (depth * static_cast<double>(grid.plane_size())));
}

TEST(Diffusion3dConvergence, ReproducesTheErfcProfileAtSecondOrderInSpace) {
  // dt scales as dz² (D dt/dz² = 1/4), so backward Euler's O(dt) error shrinks as fast as the
  // O(dz²) error of the space discretization and the observed order is the spatial one.
  const double coarse = erfc_error(60, 256);
  const double medium = erfc_error(120, 1024);
  const double fine = erfc_error(240, 4096);
  const double order_1 = std::log2(coarse / medium);
  const double order_2 = std::log2(medium / fine);
  std::printf("erfc RMS error %.3e %.3e %.3e, observed orders %.3f %.3f\n", coarse, medium, fine,
              order_1, order_2);
  // Stated tolerance: RMS error below 1e-3 C0 on the finest grid.
  EXPECT_LT(fine, 1e-3);
  EXPECT_GE(order_2, 1.8);
  EXPECT_LE(order_2, 2.2);
  EXPECT_GE(order_1, 1.8);
  EXPECT_LE(order_1, 2.2);
}

/// The mild heterogeneous problem run to t = 40 s in `steps` steps.
std::vector<double> heterogeneous_run(std::size_t steps, Splitting splitting) {
  const Grid3d grid(10, 8, 20e-6, testing::graded_dz(2, 8, 5e-6, 1.4));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 2e-6;
  boundary.outside_potential = 1.0;
  boundary.bottom = BottomBoundary::zero_potential;
  Diffusion3d<double> solver(grid, testing::mild_materials(), boundary, splitting);
  testing::paint_layers(grid, solver.material_ids(), 2, 6, 7);
  testing::fill_bump(grid, solver.potential(), 0.5);
  for (std::size_t n = 0; n < steps; ++n) solver.step(40.0 / static_cast<double>(steps));
  return {solver.potential().begin(), solver.potential().end()};
}

double rms_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (std::size_t c = 0; c < a.size(); ++c) sum += (a[c] - b[c]) * (a[c] - b[c]);
  return std::sqrt(sum / static_cast<double>(a.size()));
}

TEST(Diffusion3dConvergence, SplittingIsFirstOrderInTime) {
  // Same grid, halving steps: the differences between successive solutions shrink as dt^p.
  for (const Splitting splitting : {Splitting::lod, Splitting::strang}) {
    const auto u1 = heterogeneous_run(10, splitting);
    const auto u2 = heterogeneous_run(20, splitting);
    const auto u4 = heterogeneous_run(40, splitting);
    const auto u8 = heterogeneous_run(80, splitting);
    const double order_1 = std::log2(rms_difference(u1, u2) / rms_difference(u2, u4));
    const double order_2 = std::log2(rms_difference(u2, u4) / rms_difference(u4, u8));
    std::printf("%s: observed orders in time %.3f %.3f\n",
                splitting == Splitting::lod ? "lod" : "strang", order_1, order_2);
    EXPECT_NEAR(order_2, 1.0, 0.15);
  }
}

TEST(Diffusion3dConvergence, MembraneSteadyFluxAndLagTimeMatchCrank) {
  // A slab of thickness h between a vehicle at C0 (u = C0 on the top face) and a perfect sink:
  // Q(t) → (K D C0 / h)(t − h²/(6D)) (Crank, The Mathematics of Diffusion, eq. 4.24a).
  constexpr double h = 20e-6;
  constexpr double d = 1e-12;
  constexpr double k_partition = 2.0;
  constexpr double c0 = 1.0;
  constexpr std::size_t nz = 50;
  const Grid3d grid(1, 1, 1e-5, std::vector<double>(nz, h / nz));
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = k_dirichlet_h_m_s;
  boundary.outside_potential = c0;
  boundary.bottom = BottomBoundary::zero_potential;
  Diffusion3d<double> solver(grid, {{k_partition, k_partition * d, 0.0, 1.0}}, boundary);

  const double scale = h * h / d;  // 400 s
  const double dt = scale / 4000;
  const auto steps_to = [&](double t) { return static_cast<int>(std::lround(t / dt)); };
  double passed = 0;  // per unit area
  double t = 0;
  double t1 = 0;
  double q1 = 0;
  for (int n = 1; n <= steps_to(2 * scale); ++n) {
    passed += solver.step(dt).left_bottom / grid.column_area_m2();
    t = n * dt;
    if (n == steps_to(1.5 * scale)) {
      t1 = t;
      q1 = passed;
    }
  }
  const double flux = (passed - q1) / (t - t1);
  const double lag = t - passed / flux;
  const double flux_crank = k_partition * d * c0 / h;
  const double lag_crank = h * h / (6 * d);
  std::printf("membrane: J/J_ss = %.5f, lag/lag_crank = %.5f\n", flux / flux_crank,
              lag / lag_crank);
  EXPECT_NEAR(flux / flux_crank, 1.0, 0.02);
  EXPECT_NEAR(lag / lag_crank, 1.0, 0.02);
}

}  // namespace
}  // namespace citsim::numerics
