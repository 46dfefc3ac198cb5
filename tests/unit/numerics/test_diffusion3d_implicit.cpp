// SPDX-License-Identifier: MIT
// The unsplit implicit solver against the explicit reference on a channel-in-tissue problem,
// where the LOD splitting errs most: at the same step it must be far closer than LOD.
#include <cmath>

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

}  // namespace
}  // namespace citsim::numerics
