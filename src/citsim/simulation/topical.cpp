// SPDX-License-Identifier: MIT
#include "citsim/simulation/topical.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <unistd.h>

#include "citsim/core/units.hpp"
#include "citsim/injury/resealing.hpp"

namespace citsim::simulation {

namespace {

namespace units = citsim::units;

/// A session's channel half-lives reduced to 64 equal-count groups (their means): the open
/// fraction is a mean of exponentials, evaluated every step, and thousands of terms cost more
/// than the transport solve itself.
std::vector<double> compressed_half_lives(const injury::SessionInjury& injury) {
  std::vector<double> all;
  for (const auto& channel : injury.channels) all.push_back(channel.half_life_s);
  std::sort(all.begin(), all.end());
  const std::size_t groups = std::min<std::size_t>(64, all.size());
  std::vector<double> out;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t first = g * all.size() / groups;
    const std::size_t last = (g + 1) * all.size() / groups;
    double sum = 0;
    for (std::size_t i = first; i < last; ++i) sum += all[i];
    out.push_back(sum / static_cast<double>(last - first));
  }
  return out;
}

std::vector<transport::ChannelSet> channel_sets(const core::Scenario& scenario,
                                                const Catalogs& catalogs,
                                                const std::optional<device::DeviceSpec>& device,
                                                const AreaResult& area) {
  std::vector<transport::ChannelSet> sets;
  if (!device) return sets;
  for (const auto& session : area.sessions) {
    const auto& injury = session.injury;
    if (injury.channels.empty()) continue;
    transport::ChannelSet set;
    set.start_s = session.index * scenario.protocol.interval_s;
    set.channels_per_m2 = injury.channels_per_m2;
    set.depth_m = injury.mean_depth_m;
    set.half_life_s = injury.channel_half_life_s;
    const auto penetration = catalogs.injury.penetration();
    const auto needle = device->needle;
    const double depth = injury.mean_depth_m;
    set.radius_m = [penetration, needle, depth](double z) {
      return injury::channel_radius_m(penetration, needle, depth, z);
    };
    set.open_fraction = [half_lives = compressed_half_lives(injury)](double t) {
      return injury::open_fraction(half_lives, t);
    };
    sets.push_back(std::move(set));
  }
  return sets;
}

std::vector<transport::Application> applications(const core::Scenario& scenario,
                                                 const transport::TransportParameters& p) {
  const auto& topical = *scenario.topical;
  const transport::Application one{0.0, topical.dose_kg_m2 * topical.concentration_fraction,
                                   topical.dose_kg_m2 / p.vehicle_density_kg_m3};
  std::vector<transport::Application> out;
  const int sessions = scenario.protocol.sessions;
  const auto days_between = static_cast<int>(std::floor(scenario.protocol.interval_s / units::day));
  for (int s = 0; s < sessions; ++s) {
    const double start = s * scenario.protocol.interval_s;
    out.push_back({start, one.active_kg_m2, one.film_m});
    if (s + 1 == sessions) break;
    // Home applications on the days between this session and the next.
    for (int day = 1; day < days_between; ++day) {
      for (int j = 0; j < topical.daily_applications; ++j) {
        const double t = start + day * units::day +
                         j * units::day / static_cast<double>(topical.daily_applications);
        out.push_back({t, one.active_kg_m2, one.film_m});
      }
    }
  }
  return out;
}

std::vector<double> sample_times(const core::Scenario& scenario) {
  std::vector<double> out;
  const double exposure = scenario.topical->exposure_s;
  for (int s = 0; s < scenario.protocol.sessions; ++s) {
    const double start = s * scenario.protocol.interval_s;
    const double next = start + scenario.protocol.interval_s;
    for (double hours : k_hours_after_session) out.push_back(start + hours * units::hour);
    out.push_back(start + exposure);
    if (s + 1 < scenario.protocol.sessions) {
      for (double t = start + 4 * units::day; t < next; t += units::day) out.push_back(t);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end(),
                        [](double a, double b) { return std::abs(a - b) < 1e-6; }),
            out.end());
  return out;
}

double absorbed_between(const std::vector<transport::AbsorptionSample>& samples, double from,
                        double to) {
  auto at = [&samples](double t) {
    for (const auto& s : samples) {
      if (std::abs(s.t_s - t) < 1e-6) return s.absorbed();
    }
    return 0.0;
  };
  return at(to) - at(from);
}

/// Half the machine's memory: the most a voxel3d grid may take.
std::size_t voxel_memory_budget_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 2;
}

/// The channels of every session that fall in the voxel domain (a corner of the patch).
std::vector<transport::PlacedChannel> placed_channels(const core::Scenario& scenario,
                                                      const AreaResult& area) {
  std::vector<transport::PlacedChannel> out;
  const double side = scenario.simulation.voxel_patch_side_m;
  for (const auto& session : area.sessions) {
    for (const auto& c : session.injury.channels) {
      if (c.x_m >= side || c.y_m >= side) continue;
      out.push_back(
          {c.x_m, c.y_m, session.index * scenario.protocol.interval_s, c.depth_m, c.half_life_s});
    }
  }
  return out;
}

transport::Voxel3dResult run_voxel3d(const core::Scenario& scenario, const Catalogs& catalogs,
                                     const std::optional<device::DeviceSpec>& device,
                                     const transport::HomogenizedInput& base,
                                     const AreaResult& area, bool with_channels) {
  transport::Voxel3dInput input;
  input.base = base;
  if (with_channels) input.channels = placed_channels(scenario, area);
  const auto penetration = catalogs.injury.penetration();
  const auto needle = device ? device->needle : device::NeedleGeometry{};
  input.radius_m = [penetration, needle](double depth, double z) {
    return injury::channel_radius_m(penetration, needle, depth, z);
  };
  input.patch_side_m = scenario.simulation.voxel_patch_side_m;
  input.voxel_m = scenario.simulation.voxel_m;
  input.seed = scenario.simulation.seed;
  input.memory_budget_bytes = voxel_memory_budget_bytes();
  for (double hours : {0.25, 1.0, 4.0, 24.0}) {
    if (hours * units::hour <= base.sample_times_s.back()) {
      input.snapshot_times_s.push_back(hours * units::hour);
    }
  }
  return transport::simulate_voxel3d(input, catalogs.transport);
}

}  // namespace

AbsorptionCurves simulate_absorption(const core::Scenario& scenario,
                                     const transport::Molecule& molecule, const Catalogs& catalogs,
                                     AreaResult& area) {
  const auto& topical = *scenario.topical;
  const auto& p = catalogs.transport;
  std::optional<device::DeviceSpec> device;
  if (scenario.device) device = catalogs.devices.resolve(*scenario.device);

  transport::HomogenizedInput input;
  input.skin = area.skin;
  input.molecule = transport::molecule_in_skin(p, molecule, area.skin);
  // Excised skin in a diffusion cell has no blood flow: nothing is cleared in the dermis, and
  // only the receptor below it (the absorbing bottom of both solvers) takes the active away.
  if (scenario.simulation.tissue == core::TissueState::excised) {
    input.molecule.clearance_rate_per_s = 0;
  }
  input.applications = applications(scenario, p);
  input.exposure_s = topical.exposure_s;
  input.occluded = topical.occluded;
  input.infinite_dose = topical.infinite_dose;
  input.active_concentration_kg_m3 = topical.concentration_fraction * p.vehicle_density_kg_m3;
  input.sample_times_s = sample_times(scenario);

  AbsorptionCurves curves;
  if (scenario.simulation.transport == core::TransportFidelity::voxel3d) {
    auto intact = run_voxel3d(scenario, catalogs, device, input, area, false);
    auto channelled = run_voxel3d(scenario, catalogs, device, input, area, true);
    curves.intact = intact.absorption.samples;
    curves.with_channels = channelled.absorption.samples;
    curves.mass_balance_error = transport::worse_balance_error(
        intact.absorption.mass_balance_error, channelled.absorption.mass_balance_error);
    area.voxel_fields = std::move(channelled);
  } else {
    const auto intact = transport::simulate_homogenized(input, p);
    input.channels = channel_sets(scenario, catalogs, device, area);
    const auto channelled = transport::simulate_homogenized(input, p);
    curves.intact = intact.samples;
    curves.with_channels = channelled.samples;
    curves.mass_balance_error =
        transport::worse_balance_error(intact.mass_balance_error, channelled.mass_balance_error);
  }

  for (auto& session : area.sessions) {
    const double start = session.index * scenario.protocol.interval_s;
    session.absorbed_kg_m2 =
        absorbed_between(curves.with_channels, start, start + topical.exposure_s);
    session.intact_absorbed_kg_m2 =
        absorbed_between(curves.intact, start, start + topical.exposure_s);
  }
  return curves;
}

}  // namespace citsim::simulation
