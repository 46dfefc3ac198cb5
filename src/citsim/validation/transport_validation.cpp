// SPDX-License-Identifier: MIT
// Validation cases of the transport stage against closed forms: Crank's membrane, the
// semi-infinite erfc profile and its convergence orders (the 1D compartment solver of the
// homogenized model and the voxel3d kernel), mass balance, and the unit-cell limits.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <fmt/format.h>

#include "citsim/core/units.hpp"
#include "citsim/numerics/compartment_diffusion_1d.hpp"
#include "citsim/numerics/diffusion3d_implicit.hpp"
#include "citsim/numerics/diffusion3d_reference.hpp"
#include "citsim/transport/homogenized.hpp"
#include "citsim/validation/case_builders.hpp"

namespace citsim::validation::detail {

namespace {

namespace units = citsim::units;
const std::string k_crank = "Crank J. The Mathematics of Diffusion, 2nd ed. 1975, eq. 4.24a";
const std::string k_erfc = "Crank 1975, eq. 2.45 (semi-infinite medium, constant surface value)";

/// A slab of one material on a uniform grid whose top cell touches a reservoir at potential 1.
numerics::CompartmentDiffusion1D slab(std::size_t cells, double length_m, double d_m2_s,
                                      double partition) {
  const double dz = length_m / static_cast<double>(cells);
  numerics::CompartmentDiffusion1D solver(std::vector<double>(cells, dz), 1);
  solver.set_storage(0, std::vector<double>(cells, partition));
  solver.set_conductivity(0, std::vector<double>(cells, partition * d_m2_s));
  solver.set_top_conductance(0, 2 * partition * d_m2_s / dz);
  solver.set_reservoir(0.0, 1.0);
  return solver;
}

void crank_membrane_cases(std::vector<CaseResult>& out) {
  // Q(t) -> K D C0 / h (t - h^2 / (6 D)) once several lag times have passed.
  const double h = 20e-6;
  const double d = 1e-13;
  const double k = 2.0;
  auto solver = slab(100, h, d, k);
  solver.set_bottom_absorbing(true);
  const double lag = h * h / (6 * d);
  const double dt = lag / 200;
  double q = 0;
  double q8 = 0;
  for (int n = 1; n <= 2000; ++n) {
    q += solver.step(dt).out_bottom;
    if (n == 1600) q8 = q;
  }
  const double t = 2000 * dt;
  const double flux = (q - q8) / (t - 1600 * dt);
  const double steady = k * d / h;
  out.push_back(within_fraction("transport_crank_steady_flux", Role::analytic,
                                "1D solver: steady flux through a membrane, K D C0 / h", flux,
                                steady, 0.01, "kg/m2/s", k_crank));
  out.push_back(within_fraction("transport_crank_lag_time", Role::analytic,
                                "1D solver: lag time of a membrane, h^2 / (6 D)",
                                (t - q / flux) / 3600, lag / 3600, 0.02, "h", k_crank));
}

/// RMS error of the 1D solver against erfc(z / 2 sqrt(D t)) at t = 50 s; `profile` gets u.
double erfc_error_1d(std::size_t cells, double dt, std::vector<double>* profile = nullptr) {
  const double length = 2e-3;
  const double d = 1e-9;
  const double t_end = 50.0;
  auto solver = slab(cells, length, d, 1.0);
  const auto steps = static_cast<int>(std::lround(t_end / dt));
  for (int i = 0; i < steps; ++i) solver.step(dt);
  const double dz = length / static_cast<double>(cells);
  double sum = 0;
  for (std::size_t i = 0; i < cells; ++i) {
    const double z = (static_cast<double>(i) + 0.5) * dz;
    const double e = solver.potential(0)[i] - std::erfc(z / (2 * std::sqrt(d * t_end)));
    sum += e * e * dz;
  }
  if (profile) *profile = solver.potential(0);
  return std::sqrt(sum / length);
}

double rms_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum / static_cast<double>(a.size()));
}

void erfc_1d_cases(std::vector<CaseResult>& out) {
  // dt shrinks with dz^2 so that the first-order time error falls as fast as the space error.
  const double coarse = erfc_error_1d(100, 0.2);
  const double medium = erfc_error_1d(200, 0.05);
  const double fine = erfc_error_1d(400, 0.0125);
  out.push_back(within_range("transport_erfc_profile_1d", Role::analytic,
                             "1D solver: RMS error against the erfc profile, 400 cells over 2 mm",
                             fine, 0, 2e-4, "C0", k_erfc));
  auto space = within_range("transport_order_space_1d", Role::analytic,
                            "1D solver: observed order in space (dz halved twice, dt ~ dz^2)",
                            std::log2(medium / fine), 1.8, 2.2, "", k_erfc);
  space.note = fmt::format("coarser pair: {:.3f}", std::log2(coarse / medium));
  space.passed = space.passed && std::abs(std::log2(coarse / medium) - 2) <= 0.2;
  out.push_back(space);
  // Time: against a 16x finer step on the same grid, the error halves with dt.
  std::vector<double> reference;
  std::vector<double> u1;
  std::vector<double> u2;
  erfc_error_1d(200, 0.0625 / 16, &reference);
  erfc_error_1d(200, 1.0, &u1);
  erfc_error_1d(200, 0.5, &u2);
  out.push_back(
      within_range("transport_order_time_1d", Role::analytic,
                   "1D solver: observed order in time (backward Euler, dt 1 -> 0.5 s)",
                   std::log2(rms_difference(u1, reference) / rms_difference(u2, reference)), 0.85,
                   1.15, "", "backward Euler is first order"));
}

void mass_balance_1d_case(std::vector<CaseResult>& out) {
  // Tissue and channel lumen exchanging, a finite reservoir, a sink at depth, an absorbing
  // bottom and the lumen shrinking every 50 steps: the books must close at every step.
  const std::size_t n = 60;
  std::vector<double> dz(n);
  for (std::size_t i = 0; i < n; ++i) dz[i] = 1e-6 * (1.0 + 0.1 * static_cast<double>(i));
  numerics::CompartmentDiffusion1D solver(dz, 2);
  std::vector<double> tissue_s(n, 1.0);
  std::vector<double> tissue_k(n, 1e-10);
  std::vector<double> lumen_s(n, 0.0);
  std::vector<double> lumen_k(n, 0.0);
  std::vector<double> exchange(n, 0.0);
  std::vector<double> sink(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < 5) tissue_k[i] = 1e-15, tissue_s[i] = 4.0;
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
  double worst = 0;
  for (int step = 0; step < 400; ++step) {
    if (step % 50 == 49) {
      for (auto& s : lumen_s) s *= 0.7;
      solver.resize_storage_conserving(1, lumen_s, 0);
    }
    const double before = solver.total_amount();
    const auto& fluxes = solver.step(step < 100 ? 0.5 : 20.0);
    const double removed =
        fluxes.out_bottom + std::accumulate(fluxes.sunk.begin(), fluxes.sunk.end(), 0.0);
    worst = std::max(worst, std::abs(solver.total_amount() + removed - before) / initial);
  }
  out.push_back(within_range("transport_mass_balance_1d", Role::analytic,
                             "1D solver: largest imbalance of one step over the initial amount "
                             "(400 steps, exchange, sink, closing lumen)",
                             worst, 0, 1e-13, "", "conservation (round-off)"));
}

/// The voxel3d kernel on a laterally uniform column against erfc at t1 = 60 s, started from the
/// exact profile at t0 = 20 s (tests/unit/numerics/test_diffusion3d_convergence.cpp, implicit).
double erfc_error_3d(std::size_t nz, std::size_t steps) {
  constexpr double d = 1e-9;
  constexpr double t0 = 20;
  constexpr double t1 = 60;
  constexpr double depth = 1.5e-3;
  const numerics::Grid3d grid(3, 3, 1e-4, std::vector<double>(nz, depth / static_cast<double>(nz)));
  numerics::Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 1e3;  // so large that the surface sits at u_outside
  boundary.outside_potential = 1.0;
  numerics::Diffusion3dImplicit solver(grid, {{1.0, d, 0.0, 1.0}}, boundary);
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

/// A small heterogeneous skin-like box: a barrier layer, a few conducting channel columns, a
/// clearing deep layer, a vehicle on top at potential 1, an absorbing bottom.
numerics::Grid3d box_grid() {
  std::vector<double> dz(2, 5e-6);
  double next = 5e-6;
  for (int k = 0; k < 8; ++k) dz.push_back(next *= 1.4);
  return {10, 8, 20e-6, dz};
}

template <class Solver>
void paint_box(const numerics::Grid3d& grid, Solver& solver) {
  for (std::size_t k = 0; k < grid.nz(); ++k) {
    for (std::size_t j = 0; j < grid.ny(); ++j) {
      for (std::size_t i = 0; i < grid.nx(); ++i) {
        const bool channel = i % 5 == 1 && j % 4 == 2;
        std::uint8_t id = 0;
        if (k < 2) id = 1;
        if (k >= 7) id = 3;
        if (channel && k < 6) id = 2;
        solver.material_ids()[grid.index(i, j, k)] = id;
      }
    }
  }
}

std::vector<numerics::Material> box_materials() {
  return {{1.0, 1e-11, 0.0, 0.2},
          {2.0, 3e-12, 0.0, 1.0},
          {1.0, 4e-11, 0.0, 1.0},
          {0.8, 2e-11, 5e-3, 0.0}};
}

numerics::Diffusion3dBoundary box_boundary() {
  numerics::Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 2e-6;
  boundary.outside_potential = 1.0;
  boundary.bottom = numerics::BottomBoundary::zero_potential;
  return boundary;
}

constexpr double k_box_end_s = 40.0;

std::vector<double> implicit_box(std::size_t steps, double* worst_imbalance = nullptr) {
  const auto grid = box_grid();
  numerics::Diffusion3dImplicit solver(grid, box_materials(), box_boundary());
  paint_box(grid, solver);
  double entered = 0;
  double worst = 0;
  for (std::size_t n = 0; n < steps; ++n) {
    const double before = solver.amount();
    const auto balance = solver.step(k_box_end_s / static_cast<double>(steps));
    entered += balance.entered_top;
    worst = std::max(worst, std::abs(solver.amount() - before - balance.net()));
  }
  if (worst_imbalance) *worst_imbalance = worst / entered;
  return {solver.potential().begin(), solver.potential().end()};
}

std::vector<double> reference_box() {
  const auto grid = box_grid();
  numerics::Diffusion3dReference solver(grid, box_materials(), box_boundary());
  paint_box(grid, solver);
  const auto steps =
      static_cast<std::size_t>(std::ceil(k_box_end_s / (0.5 * solver.stable_time_step_s())));
  for (std::size_t n = 0; n < steps; ++n) solver.step(k_box_end_s / static_cast<double>(steps));
  return {solver.potential().begin(), solver.potential().end()};
}

void voxel3d_cases(std::vector<CaseResult>& out) {
  const double medium = erfc_error_3d(120, 1024);
  const double fine = erfc_error_3d(240, 4096);
  auto space = within_range("transport_order_space_voxel3d", Role::analytic,
                            "voxel3d implicit kernel: observed order in space against erfc "
                            "(120 -> 240 cells, dt ~ dz^2)",
                            std::log2(medium / fine), 1.8, 2.2, "", k_erfc);
  space.note = fmt::format("RMS error {:.2e} C0 at 240 cells", fine);
  space.passed = space.passed && fine < 1e-3;
  out.push_back(space);

  // Time: the heterogeneous box against the explicit 7-point reference (its step below the
  // stability limit: its own time error is far below the implicit kernel's at 10-20 steps).
  const auto reference = reference_box();
  const double coarse_error = rms_difference(implicit_box(10), reference);
  double imbalance = 0;
  const double fine_error = rms_difference(implicit_box(20, &imbalance), reference);
  out.push_back(within_range("transport_order_time_voxel3d", Role::analytic,
                             "voxel3d implicit kernel against the explicit reference: observed "
                             "order in time (10 -> 20 steps over 40 s)",
                             std::log2(coarse_error / fine_error), 0.85, 1.15, "",
                             "backward Euler is first order"));
  out.push_back(within_range("transport_mass_balance_voxel3d", Role::analytic,
                             "voxel3d implicit kernel: largest imbalance of one step over what "
                             "entered (CG stops at a 1e-10 relative residual)",
                             imbalance, 0, 1e-8, "", "conservation (to the CG tolerance)"));
}

/// The homogenized model on cheek skin: 2 mg/cm2 of a 1 % film, occluded, hourly for a day.
transport::HomogenizedInput homogenized_input(const simulation::Catalogs& catalogs,
                                              const std::string& id) {
  transport::HomogenizedInput in;
  in.skin = catalogs.regions.reference("cheek");
  core::Topical topical;
  topical.product = id;
  in.molecule =
      transport::molecule_in_skin(catalogs.transport, catalogs.molecules.resolve(topical), in.skin);
  const double dose = 2 * units::mg / units::cm2;
  in.applications = {{0.0, 0.01 * dose, dose / catalogs.transport.vehicle_density_kg_m3}};
  in.exposure_s = 24 * units::hour;
  in.occluded = true;
  in.active_concentration_kg_m3 = 0.01 * catalogs.transport.vehicle_density_kg_m3;
  for (int h = 0; h <= 24; ++h) in.sample_times_s.push_back(h * units::hour);
  return in;
}

/// 100 channels per cm2, 600 um deep, 30 um radius, closing with the given half-life.
transport::ChannelSet channels(double half_life_s) {
  transport::ChannelSet set;
  set.channels_per_m2 = 100 / units::cm2;
  set.depth_m = 600e-6;
  set.half_life_s = half_life_s;
  set.radius_m = [](double) { return 30e-6; };
  set.open_fraction = [half_life_s](double t) { return std::exp2(-t / half_life_s); };
  return set;
}

void unit_cell_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  const auto& parameters = catalogs.transport;
  {
    auto intact = homogenized_input(catalogs, "niacinamide");
    auto empty = intact;
    auto none = channels(3600);
    none.channels_per_m2 = 0;
    empty.channels = {none};
    const double a = simulate_homogenized(intact, parameters).samples.back().absorbed();
    const double b = simulate_homogenized(empty, parameters).samples.back().absorbed();
    out.push_back(within_fraction("transport_limit_no_channels", Role::analytic,
                                  "homogenized: niacinamide absorbed in 24 h with an empty "
                                  "channel set over intact skin",
                                  b / a, 1.0, 1e-12, "", "limit: no channels = intact skin"));
  }
  {
    // Channels that never close under an infinite dose: the flux settles to a constant.
    auto in = homogenized_input(catalogs, "niacinamide");
    in.infinite_dose = true;
    auto never = channels(1.0);
    never.open_fraction = [](double) { return 1.0; };
    never.half_life_s = 1e9;
    in.channels = {never};
    in.exposure_s = 30 * units::hour;
    in.sample_times_s = {0, 20 * units::hour, 25 * units::hour, 30 * units::hour};
    const auto s = simulate_homogenized(in, parameters).samples;
    const double early = s[2].applied - s[1].applied;
    const double late = s[3].applied - s[2].applied;
    auto c = within_fraction("transport_limit_open_channels_steady", Role::analytic,
                             "homogenized: uptake 25-30 h over 20-25 h, channels never closing, "
                             "infinite dose",
                             late / early, 1.0, 0.01, "", "limit: a steady channel flux");
    c.note = fmt::format(
        "{:.3g}x intact skin's steady flux kp C",
        late / (5 * units::hour) / (in.molecule.permeability_m_s * in.active_concentration_kg_m3));
    out.push_back(c);
  }
  {
    // Intact skin under an infinite dose reaches the stratum corneum's steady flux kp C.
    auto in = homogenized_input(catalogs, "caffeine");
    in.infinite_dose = true;
    in.exposure_s = 48 * units::hour;
    in.sample_times_s = {0, 40 * units::hour, 48 * units::hour};
    const auto s = simulate_homogenized(in, parameters).samples;
    out.push_back(within_fraction(
        "transport_limit_intact_steady_flux", Role::analytic,
        "homogenized: caffeine flux 40-48 h through intact skin, infinite dose, over kp C",
        (s[2].applied - s[1].applied) / (8 * units::hour),
        in.molecule.permeability_m_s * in.active_concentration_kg_m3, 0.02, "kg/m2/s",
        "Crank 1975 steady state; kp from Mitragotri 2002"));
  }
  for (const char* id : {"egf", "hyaluronic_acid"}) {
    // Too large for the stratum corneum: what intact skin lets through is negligible next to
    // what one session's channels (1 h half-life) deliver.
    auto in = homogenized_input(catalogs, id);
    const double intact = simulate_homogenized(in, parameters).samples.back().absorbed();
    in.channels = {channels(3600)};
    const auto with = simulate_homogenized(in, parameters);
    const double through = with.samples.back().absorbed();
    auto c = within_range(fmt::format("transport_limit_only_channels_{}", id), Role::analytic,
                          "homogenized: intact over channel delivery in 24 h (too large for the "
                          "stratum corneum)",
                          through > 0 ? intact / through : 1.0, 0, 0.01, "",
                          "limit: enters only through channels");
    c.passed = c.passed && through > 0;
    c.note = fmt::format("through channels {:.3g} ug/cm2; mass balance {:.1e}",
                         through / (units::ug / units::cm2), with.mass_balance_error);
    out.push_back(c);
  }
  {
    // The homogenized model's own books, every sample of a two-application, drying run.
    auto in = homogenized_input(catalogs, "minoxidil");
    in.occluded = false;
    in.channels = {channels(1800)};
    in.applications.push_back(
        {6 * units::hour, in.applications[0].active_kg_m2, in.applications[0].film_m});
    in.exposure_s = 8 * units::hour;
    out.push_back(within_range("transport_mass_balance_homogenized", Role::analytic,
                               "homogenized: largest relative imbalance of applied against "
                               "surface + SC + viable + cleared + washed off",
                               simulate_homogenized(in, parameters).mass_balance_error, 0, 1e-11,
                               "", "conservation (round-off)"));
  }
}

}  // namespace

void transport_analytic_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  crank_membrane_cases(out);
  erfc_1d_cases(out);
  mass_balance_1d_case(out);
  voxel3d_cases(out);
  unit_cell_cases(catalogs, out);
}

}  // namespace citsim::validation::detail
