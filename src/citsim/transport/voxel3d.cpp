// SPDX-License-Identifier: MIT
#include "citsim/transport/voxel3d.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "citsim/core/error.hpp"
#include "citsim/core/rng.hpp"
#include "citsim/numerics/diffusion3d_kernel.hpp"

namespace citsim::transport {

namespace {

enum MaterialId : std::uint8_t {
  k_stratum_corneum,
  k_viable_epidermis,
  k_dermis_above_loops,
  k_dermis_below_loops,
  k_lumen,
  k_film
};

/// A film voxel that is gone (washed off, or dried: its deposit stays but no longer exchanges).
constexpr numerics::Material k_no_film{1.0, 0.0, 0.0, 1.0};
/// The storage of an infinite dose: the film's potential cannot move.
constexpr double k_infinite_storage = 1e6;

constexpr double k_first_step_s = 1.0;
constexpr double k_step_growth = 1.25;
constexpr double k_longest_step_s = 1800.0;
constexpr double k_longest_quiet_step_s = 6 * 3600.0;

/// Depth cells: the film on top (one cell), then the skin; layer boundaries and the
/// capillary-loop depth fall on faces.
std::vector<double> depth_spacing(const anatomy::SkinModel& skin, double film_m) {
  const double loops = skin.capillary_loop_depth_m;
  const double above = loops - skin.epidermis_m();
  const double below = skin.cutis_m() - loops;
  const std::vector<double> thickness = {skin.stratum_corneum_m, skin.viable_epidermis_m, above,
                                         below};
  const std::vector<std::size_t> cells = {8, 6, static_cast<std::size_t>(std::ceil(above / 5e-6)),
                                          static_cast<std::size_t>(std::ceil(below / 15e-6))};
  const std::vector<double> skin_dz = numerics::layered_spacing(thickness, cells);
  std::vector<double> dz(skin_dz.size() + 1, film_m);
  std::copy(skin_dz.begin(), skin_dz.end(), dz.begin() + 1);
  return dz;
}

/// The film cell's thickness: the thickest film applied (at least 1 um).
double film_thickness_m(const HomogenizedInput& base) {
  double film = 1e-6;
  for (const auto& a : base.applications) film = std::max(film, a.film_m);
  return film;
}

std::size_t lateral_cells(const Voxel3dInput& input) {
  return std::max<std::size_t>(
      1, static_cast<std::size_t>(std::lround(input.patch_side_m / input.voxel_m)));
}

/// The lumen voxels of one channel: voxel centres within the lumen radius of its axis (at least
/// the voxel the axis passes through), in every plane above its depth; x and y wrap around.
std::vector<std::size_t> channel_voxels(const PlacedChannel& c, const numerics::Grid3d& grid,
                                        const Voxel3dInput& input) {
  std::vector<std::size_t> out;
  const double dx = grid.dx_m();
  const auto n = static_cast<long>(grid.nx());
  const long ci = static_cast<long>(std::floor(c.x_m / dx));
  const long cj = static_cast<long>(std::floor(c.y_m / dx));
  const double skin_top = grid.z_face_m(1);  // below the film plane
  struct Candidate {
    double distance;
    long di;
    long dj;
  };
  std::vector<Candidate> candidates;
  for (std::size_t k = 1; k < grid.nz() && grid.z_centre_m(k) - skin_top < c.depth_m; ++k) {
    const double r = input.radius_m(c.depth_m, grid.z_centre_m(k) - skin_top);
    // The lumen is the voxels nearest the axis whose count keeps its cross-section, πr²/dx²
    // (at least one): the exchange with the tissue scales with that area, which a plain "centre
    // inside the circle" test gets wrong by up to 2x while r is a few voxels.
    const auto count =
        static_cast<std::size_t>(std::max(1.0, std::round(std::numbers::pi * r * r / (dx * dx))));
    const long reach = static_cast<long>(std::ceil(std::sqrt(static_cast<double>(count)))) + 1;
    candidates.clear();
    for (long dj = -reach; dj <= reach; ++dj) {
      for (long di = -reach; di <= reach; ++di) {
        const double x = (static_cast<double>(ci + di) + 0.5) * dx;
        const double y = (static_cast<double>(cj + dj) + 0.5) * dx;
        candidates.push_back({std::hypot(x - c.x_m, y - c.y_m), di, dj});
      }
    }
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
    for (std::size_t q = 0; q < std::min(count, candidates.size()); ++q) {
      const auto i = static_cast<std::size_t>(((ci + candidates[q].di) % n + n) % n);
      const auto j = static_cast<std::size_t>(((cj + candidates[q].dj) % n + n) % n);
      out.push_back(grid.index(i, j, k));
    }
  }
  // A patch narrower than the lumen wraps around: each voxel once.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct ChannelEvent {
  double t_s;
  std::size_t channel;
  bool opens;
};

}  // namespace

std::size_t voxel3d_bytes(const Voxel3dInput& input) {
  const std::size_t n = lateral_cells(input);
  const std::size_t nz = depth_spacing(input.base.skin, film_thickness_m(input.base)).size();
  // The kernel's own figure, plus one byte per voxel counting the channels open there.
  const std::size_t kernel = numerics::diffusion3d_kernel_bytes(input.kernel, n, n, nz);
  return kernel + n * n * nz;
}

namespace {

/// The voxel3d run on one kernel, built by numerics::with_diffusion3d_kernel on `grid` with
/// `materials` (in the order of MaterialId).
template <numerics::Diffusion3dKernel Kernel>
Voxel3dResult run_on(Kernel& solver, const Voxel3dInput& input,
                     const TransportParameters& parameters, const numerics::Grid3d& grid,
                     std::vector<numerics::Material> materials, double film_cell_m) {
  // A kernel that splits each step into steps of its own (the explicit reference at its
  // stability limit) takes voxel3d's steps undivided and counts its own.
  constexpr bool k_own_substeps = requires {
    solver.substeps();
  };
  const HomogenizedInput& base = input.base;
  const MoleculeInSkin& m = base.molecule;
  const std::size_t n = grid.nx();
  std::vector<std::uint8_t> layer_of_plane(grid.nz(), k_film);
  std::size_t sc_planes = 0;
  for (std::size_t k = 1; k < grid.nz(); ++k) {
    const double z = grid.z_centre_m(k) - film_cell_m;
    layer_of_plane[k] = z < base.skin.stratum_corneum_m        ? k_stratum_corneum
                        : z < base.skin.epidermis_m()          ? k_viable_epidermis
                        : z < base.skin.capillary_loop_depth_m ? k_dermis_above_loops
                                                               : k_dermis_below_loops;
    if (layer_of_plane[k] == k_stratum_corneum) sc_planes = k + 1;
  }
  auto ids = solver.material_ids();
  auto u = solver.potential();
  for (std::size_t k = 0; k < grid.nz(); ++k) {
    std::fill_n(ids.begin() + static_cast<long>(k * grid.plane_size()), grid.plane_size(),
                layer_of_plane[k]);
  }

  // Channels open at their session and close at a time drawn from their half-life, so that the
  // expected open fraction is the injury stage's exponential.
  std::vector<std::vector<std::size_t>> voxels_of(input.channels.size());
  std::vector<ChannelEvent> events;
  for (std::size_t c = 0; c < input.channels.size(); ++c) {
    const auto& channel = input.channels[c];
    voxels_of[c] = channel_voxels(channel, grid, input);
    core::Rng rng = core::Rng::stream(input.seed, c);
    const double draw = std::max(rng.uniform(), 1e-300);
    events.push_back({channel.start_s, c, true});
    events.push_back({channel.start_s + channel.half_life_s * std::log2(1.0 / draw), c, false});
  }
  double shortest_half_life = k_longest_quiet_step_s;
  for (const auto& channel : input.channels) {
    shortest_half_life = std::min(shortest_half_life, channel.half_life_s);
  }
  std::sort(events.begin(), events.end(),
            [](const ChannelEvent& a, const ChannelEvent& b) { return a.t_s < b.t_s; });
  std::vector<std::uint8_t> open_count(grid.size(), 0);
  std::size_t next_event = 0;
  std::size_t open_channels = 0;
  // Switching a voxel's material keeps its amount s u V: the potential scales by s_old / s_new.
  auto set_material = [&](std::size_t v, std::uint8_t id) {
    u[v] *= materials[ids[v]].storage / materials[id].storage;
    ids[v] = id;
    solver.materials_changed();
  };
  auto apply_events = [&](double t_s) {
    while (next_event < events.size() && events[next_event].t_s <= t_s + 1e-9) {
      const ChannelEvent& e = events[next_event++];
      for (std::size_t v : voxels_of[e.channel]) {
        if (e.opens) {
          if (open_count[v]++ == 0) set_material(v, k_lumen);
        } else if (--open_count[v] == 0) {
          set_material(v, layer_of_plane[v / grid.plane_size()]);
        }
      }
      open_channels = e.opens ? open_channels + 1 : open_channels - 1;
    }
  };

  const double area = grid.length_x_m() * grid.length_y_m();
  const double aqueous_d = m.aqueous_diffusivity_m2_s;
  AbsorptionSample totals;
  Voxel3dResult result;
  result.channels = input.channels.size();
  result.nx = n;
  result.nz = grid.nz();
  result.voxel_m = grid.dx_m();
  for (std::size_t k = 0; k <= grid.nz(); ++k) result.z_faces_m.push_back(grid.z_face_m(k));

  auto plane_amount = [&](std::size_t first, std::size_t last) {
    double total = 0;
    for (std::size_t k = first; k < last; ++k) {
      const double volume = grid.cell_volume_m3(k);
      for (std::size_t p = 0; p < grid.plane_size(); ++p) {
        const std::size_t v = k * grid.plane_size() + p;
        total += materials[ids[v]].storage * u[v] * volume;
      }
    }
    return total / area;
  };

  // The film plane: its liquid volume per area, and whether it touches the skin. Changing its
  // storage keeps each voxel's amount (the potential scales), so drying concentrates the film.
  double film_volume = 0;
  double film_applied = 0;
  bool film_wet = false;
  auto set_film = [&](double storage, double conductivity) {
    const double old_storage = materials[k_film].storage;
    for (std::size_t v = 0; v < grid.plane_size(); ++v) u[v] *= old_storage / storage;
    materials[k_film] = {storage, conductivity, 0, 1};
    solver.set_materials(materials);
  };
  auto wet_film = [&]() {
    if (base.infinite_dose) {
      set_film(k_infinite_storage, aqueous_d);
    } else {
      const double liquid = film_volume / film_cell_m;
      set_film(liquid, liquid * aqueous_d);
    }
  };

  double last_application = -1;
  bool washed = true;
  std::size_t next_application = 0;
  std::size_t next_snapshot = 0;
  auto record = [&](double t_s) {
    AbsorptionSample s = totals;
    s.t_s = t_s;
    s.on_surface = base.infinite_dose ? 0.0 : plane_amount(0, 1);
    s.in_stratum_corneum = plane_amount(1, sc_planes);
    s.in_viable_tissue = plane_amount(sc_planes, grid.nz());
    result.absorption.samples.push_back(s);
    if (!base.infinite_dose && s.applied > 0) {
      const double accounted =
          s.on_surface + s.in_stratum_corneum + s.in_viable_tissue + s.cleared + s.washed_off;
      result.absorption.mass_balance_error = worse_balance_error(
          result.absorption.mass_balance_error, std::abs(s.applied - accounted) / s.applied);
    }
  };

  double t = 0;
  double dt = k_first_step_s;
  std::uint64_t kernel_steps = 0;
  std::size_t next_sample = 0;
  const auto& samples = base.sample_times_s;
  while (next_sample < samples.size()) {
    apply_events(t);
    while (next_application < base.applications.size() &&
           base.applications[next_application].time_s <= t + 1e-9) {
      const Application& a = base.applications[next_application++];
      if (base.infinite_dose) {
        wet_film();
        for (std::size_t v = 0; v < grid.plane_size(); ++v) u[v] = base.active_concentration_kg_m3;
      } else {
        film_volume += a.film_m;
        film_applied = film_volume;
        wet_film();
        // The new film's active spreads evenly over the plane.
        for (std::size_t v = 0; v < grid.plane_size(); ++v) {
          u[v] += a.active_kg_m2 / (materials[k_film].storage * film_cell_m);
        }
        totals.applied += a.active_kg_m2;
      }
      film_wet = true;
      last_application = a.time_s;
      washed = false;
      dt = k_first_step_s;
    }
    if (!washed && t >= last_application + base.exposure_s - 1e-9) {
      if (!base.infinite_dose) totals.washed_off += plane_amount(0, 1);
      for (std::size_t v = 0; v < grid.plane_size(); ++v) u[v] = 0;
      set_film(1.0, 0.0);
      film_volume = 0;
      film_wet = false;
      washed = true;
      dt = k_first_step_s;
    }
    if (next_snapshot < input.snapshot_times_s.size() &&
        input.snapshot_times_s[next_snapshot] <= t + 1e-9) {
      FieldSnapshot snapshot{t, std::vector<float>(grid.size())};
      for (std::size_t v = 0; v < grid.size(); ++v) {
        snapshot.concentration[v] = static_cast<float>(
            ids[v] == k_film && base.infinite_dose ? u[v] : materials[ids[v]].storage * u[v]);
      }
      result.snapshots.push_back(std::move(snapshot));
      ++next_snapshot;
      continue;
    }
    if (samples[next_sample] <= t + 1e-9) {
      record(t);
      ++next_sample;
      continue;
    }

    double stop = samples[next_sample];
    if (next_application < base.applications.size()) {
      stop = std::min(stop, base.applications[next_application].time_s);
    }
    if (!washed) stop = std::min(stop, last_application + base.exposure_s);
    if (next_snapshot < input.snapshot_times_s.size()) {
      stop = std::min(stop, input.snapshot_times_s[next_snapshot]);
    }
    if (next_event < events.size() && events[next_event].opens) {
      stop = std::min(stop, events[next_event].t_s);
    }
    const bool active = film_wet || open_channels > 0;
    double step_limit = active ? k_longest_step_s : k_longest_quiet_step_s;
    // Closures are many and spread out: they are taken at step boundaries, in steps short
    // against the channels' half-lives.
    if (open_channels > 0) {
      step_limit = std::min(step_limit, std::max(k_first_step_s, 0.2 * shortest_half_life));
      if (input.channel_step_s > 0) step_limit = std::min(step_limit, input.channel_step_s);
    }
    const bool drying =
        film_wet && !base.occluded && !base.infinite_dose && parameters.evaporation_kg_m2_s > 0;
    if (drying) {
      const double drying_s =
          film_volume * parameters.vehicle_density_kg_m3 / parameters.evaporation_kg_m2_s;
      step_limit = std::min(step_limit, std::max(k_first_step_s, 0.1 * drying_s));
    }
    const double h = std::min({dt, step_limit, stop - t});

    const std::size_t pieces = k_own_substeps ? 1 : input.step_division;
    numerics::StepBalance balance;
    for (std::size_t piece = 0; piece < pieces; ++piece) {
      balance += solver.step(h / static_cast<double>(pieces));
    }
    kernel_steps += pieces;
    t += h;
    totals.cleared += (balance.removed_sink + balance.left_bottom) / area;
    totals.out_bottom += balance.left_bottom / area;
    if (base.infinite_dose && film_wet) {
      // The reservoir gives what left it and is topped up to its fixed concentration; the
      // difference is taken per voxel first, so the huge storage does not cancel digits away.
      double drawn = 0;
      for (std::size_t v = 0; v < grid.plane_size(); ++v) {
        drawn += base.active_concentration_kg_m3 - u[v];
        u[v] = base.active_concentration_kg_m3;
      }
      totals.applied += drawn * materials[k_film].storage * grid.cell_volume_m3(0) / area;
    }
    if (drying) {
      film_volume -= parameters.evaporation_kg_m2_s * h / parameters.vehicle_density_kg_m3;
      if (film_volume <= parameters.dry_fraction * film_applied) {
        // Dry: the deposit stays on the skin but no longer exchanges.
        set_film(materials[k_film].storage, 0.0);
        film_wet = false;
      } else {
        wet_film();
      }
    }
    ++result.absorption.steps;
    dt = h * k_step_growth;
  }
  if constexpr (k_own_substeps) {
    result.kernel_steps = solver.substeps();
  } else {
    result.kernel_steps = kernel_steps;
  }
  if constexpr (requires { solver.total_iterations(); }) {
    result.kernel_iterations = solver.total_iterations();
  }
  return result;
}

}  // namespace

Voxel3dResult simulate_voxel3d(const Voxel3dInput& input, const TransportParameters& parameters) {
  if (input.step_division == 0) {
    throw core::InputError("voxel3d: the step division must be at least 1, got 0");
  }
  const std::size_t needed = voxel3d_bytes(input);
  if (input.memory_budget_bytes > 0 && needed > input.memory_budget_bytes) {
    throw core::InputError(fmt::format(
        "the voxel3d grid would need {:.2f} GB, more than the {:.2f} GB allowed; use a smaller "
        "simulation.voxel_patch_mm or a larger simulation.voxel_um",
        static_cast<double>(needed) / 1e9, static_cast<double>(input.memory_budget_bytes) / 1e9));
  }
  const HomogenizedInput& base = input.base;
  const std::size_t n = lateral_cells(input);
  const double film_cell_m = film_thickness_m(base);
  numerics::Grid3d grid(n, n, input.patch_side_m / static_cast<double>(n),
                        depth_spacing(base.skin, film_cell_m));
  const MoleculeInSkin& m = base.molecule;
  std::vector<numerics::Material> materials = {
      {m.stratum_corneum.partition, m.stratum_corneum.conductivity_m2_s(), 0, 1},
      {1, m.viable_epidermis.conductivity_m2_s(), 0, 1},
      {1, m.dermis.conductivity_m2_s(), 0, 1},
      {1, m.dermis.conductivity_m2_s(), m.clearance_rate_per_s, 1},
      {1, m.aqueous_diffusivity_m2_s, 0, 1},
      k_no_film};
  // The film is the top plane of the grid, so its exchange with the skin is implicit like any
  // other face; its storage is its liquid volume over the cell's (it concentrates as it dries).
  numerics::Diffusion3dBoundary boundary;
  boundary.top = numerics::TopBoundary::no_flux;
  boundary.bottom = numerics::BottomBoundary::zero_potential;
  return numerics::with_diffusion3d_kernel(
      input.kernel, grid, materials, boundary, [&](auto& solver) {
        return run_on(solver, input, parameters, grid, materials, film_cell_m);
      });
}

}  // namespace citsim::transport
