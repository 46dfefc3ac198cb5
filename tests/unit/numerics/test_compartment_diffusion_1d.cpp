// SPDX-License-Identifier: MIT
// The implicit 1D compartment solver against Crank's membrane solution, the semi-infinite erfc
// profile, its convergence orders (2 in space, 1 in time for backward Euler) and mass balance.
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "citsim/numerics/compartment_diffusion_1d.hpp"

namespace citsim::numerics {
namespace {

CompartmentDiffusion1D slab(std::size_t cells, double length_m, double d_m2_s, double partition) {
  CompartmentDiffusion1D solver(std::vector<double>(cells, length_m / static_cast<double>(cells)),
                                1);
  solver.set_storage(0, std::vector<double>(cells, partition));
  solver.set_conductivity(0, std::vector<double>(cells, partition * d_m2_s));
  // The reservoir touches the first cell through its half-width.
  solver.set_top_conductance(0, 2 * partition * d_m2_s / (length_m / static_cast<double>(cells)));
  return solver;
}

TEST(CompartmentDiffusion1D, MembraneSteadyFluxAndLagTimeMatchCrank) {
  // Crank (1975), eq. 4.24a: Q(t) -> K D C0 / h (t - h^2 / (6 D)).
  const double h = 20e-6;
  const double d = 1e-13;
  const double k = 2.0;
  const double c0 = 3.0;
  auto solver = slab(200, h, d, k);
  solver.set_reservoir(0.0, c0);
  solver.set_bottom_absorbing(true);
  const double lag = h * h / (6 * d);
  const double dt = lag / 500;
  double q = 0;
  double t = 0;
  double q_at_8 = 0;
  while (t < 10 * lag - 0.5 * dt) {
    q += solver.step(dt).out_bottom;
    t += dt;
    if (std::abs(t - 8 * lag) < 0.5 * dt) q_at_8 = q;
  }
  const double flux = (q - q_at_8) / (t - 8 * lag);
  const double intercept = t - q / flux;
  EXPECT_NEAR(flux, k * d * c0 / h, 0.02 * k * d * c0 / h);
  EXPECT_NEAR(intercept, lag, 0.02 * lag);
}

std::vector<double> erfc_error_and_profile(std::size_t cells, double dt, double* error) {
  const double length = 2e-3;
  const double d = 1e-9;
  const double t_end = 50.0;  // sqrt(D t) = 224 um: the closed bottom at 2 mm sees erfc(4.5) ~ 1e-9
  auto solver = slab(cells, length, d, 1.0);
  solver.set_reservoir(0.0, 1.0);
  const auto steps = static_cast<int>(std::lround(t_end / dt));
  for (int i = 0; i < steps; ++i) solver.step(dt);
  const double dz = length / static_cast<double>(cells);
  double sum = 0;
  for (std::size_t i = 0; i < cells; ++i) {
    const double z = (static_cast<double>(i) + 0.5) * dz;
    const double exact = std::erfc(z / (2 * std::sqrt(d * t_end)));
    sum += (solver.potential(0)[i] - exact) * (solver.potential(0)[i] - exact) * dz;
  }
  *error = std::sqrt(sum / length);
  return solver.potential(0);
}

TEST(CompartmentDiffusion1D, SemiInfiniteProfileConvergesAtSecondOrderInSpace) {
  // dt shrinks with dz^2 so that the time error (first order) falls at the same rate.
  double e1 = 0;
  double e2 = 0;
  double e3 = 0;
  erfc_error_and_profile(100, 0.2, &e1);
  erfc_error_and_profile(200, 0.05, &e2);
  erfc_error_and_profile(400, 0.0125, &e3);
  EXPECT_LT(e3, 2e-4);
  const double order_coarse = std::log2(e1 / e2);
  const double order_fine = std::log2(e2 / e3);
  EXPECT_GT(order_coarse, 1.8);
  EXPECT_LT(order_coarse, 2.3);
  EXPECT_GT(order_fine, 1.8);
  EXPECT_LT(order_fine, 2.3);
}

TEST(CompartmentDiffusion1D, BackwardEulerIsFirstOrderInTime) {
  // Against a reference with a 16x smaller step on the same grid, the error halves with dt.
  double unused = 0;
  const auto reference = erfc_error_and_profile(200, 0.0625 / 16, &unused);
  auto error_vs_reference = [&](double dt) {
    const auto u = erfc_error_and_profile(200, dt, &unused);
    double sum = 0;
    for (std::size_t i = 0; i < u.size(); ++i) sum += (u[i] - reference[i]) * (u[i] - reference[i]);
    return std::sqrt(sum);
  };
  const double order = std::log2(error_vs_reference(1.0) / error_vs_reference(0.5));
  EXPECT_GT(order, 0.85);
  EXPECT_LT(order, 1.2);
}

TEST(CompartmentDiffusion1D, MassBalanceToRoundOffWithExchangeSinksAndShrinkingStorage) {
  // Two compartments (tissue and a channel lumen), a finite reservoir, a sink at depth, an
  // absorbing bottom, and the lumen shrinking between steps as channels close.
  const std::size_t n = 60;
  std::vector<double> dz(n);
  for (std::size_t i = 0; i < n; ++i) dz[i] = 1e-6 * (1.0 + 0.1 * static_cast<double>(i));
  CompartmentDiffusion1D solver(dz, 2);
  std::vector<double> tissue_s(n, 1.0);
  std::vector<double> tissue_k(n, 1e-10);
  std::vector<double> lumen_s(n, 0.0);
  std::vector<double> lumen_k(n, 0.0);
  std::vector<double> exchange(n, 0.0);
  std::vector<double> sink(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < 5) tissue_k[i] = 1e-15, tissue_s[i] = 4.0;  // a stratum-corneum-like top
    if (i < 30) lumen_s[i] = 0.02, lumen_k[i] = 0.02 * 7e-10, exchange[i] = 0.5;
    if (i > 40) sink[i] = 1e-3;
  }
  solver.set_storage(0, tissue_s);
  solver.set_conductivity(0, tissue_k);
  solver.set_sink(0, sink);
  solver.set_storage(1, lumen_s);
  solver.set_conductivity(1, lumen_k);
  solver.set_exchange(0, exchange);
  solver.set_top_conductance(0, 2 * 4e-15 / dz[0]);
  solver.set_top_conductance(1, 2 * 0.02 * 7e-10 / dz[0]);
  solver.set_reservoir(20e-6, 5.0);
  solver.set_bottom_absorbing(true);

  const double initial = solver.total_amount();
  double removed = 0;
  for (int step = 0; step < 400; ++step) {
    if (step % 50 == 49) {
      for (auto& s : lumen_s) s *= 0.7;
      solver.resize_storage_conserving(1, lumen_s, 0);
      for (std::size_t i = 0; i < n; ++i) tissue_s[i] += 0.3 * lumen_s[i] / 0.7;
      solver.set_storage_keeping_amount(0, tissue_s);
    }
    const auto& fluxes = solver.step(step < 100 ? 0.5 : 20.0);
    removed += fluxes.out_bottom + std::accumulate(fluxes.sunk.begin(), fluxes.sunk.end(), 0.0);
  }
  EXPECT_GT(removed, 0.01 * initial);  // the test exercises the sinks
  EXPECT_NEAR(solver.total_amount() + removed, initial, 1e-12 * initial);
  for (std::size_t i = 0; i < n; ++i) EXPECT_GE(solver.potential(0)[i], -1e-12);
}

TEST(CompartmentDiffusion1D, CompartmentsEquilibrateAtTheExchangeRate) {
  // One cell, two compartments, no diffusion: du/dt = -beta (1/s1 + 1/s2) (u1 - u2).
  CompartmentDiffusion1D solver({1e-6}, 2);
  solver.set_storage(0, {1.0});
  solver.set_storage(1, {1.0});
  solver.set_exchange(0, {0.01});
  solver.potential(0)[0] = 1.0;
  const double dt = 0.01;
  for (int i = 0; i < 10000; ++i) solver.step(dt);
  const double difference = solver.potential(0)[0] - solver.potential(1)[0];
  EXPECT_NEAR(difference, std::exp(-0.02 * 100.0), 2e-3);
  EXPECT_NEAR(solver.potential(0)[0] + solver.potential(1)[0], 1.0, 1e-12);
}

}  // namespace
}  // namespace citsim::numerics
