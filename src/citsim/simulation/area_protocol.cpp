// SPDX-License-Identifier: MIT
#include "citsim/simulation/area_protocol.hpp"

#include "citsim/core/units.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/simulation/healing_stage.hpp"
#include "citsim/simulation/topical.hpp"

namespace citsim::simulation {

AreaResult simulate_area(const core::Scenario& scenario, const Catalogs& catalogs,
                         std::size_t area_index, std::span<const double> needle_length_m) {
  if (!scenario.device) throw core::InternalError("simulate_area: the scenario has no device");
  if (needle_length_m.size() != static_cast<std::size_t>(scenario.protocol.sessions)) {
    throw core::InternalError("simulate_area: one needle length per session is needed");
  }
  const device::DeviceSpec base = catalogs.devices.resolve(*scenario.device);
  std::optional<transport::Molecule> molecule;
  if (scenario.topical) molecule = catalogs.molecules.resolve(*scenario.topical);
  const bool occluded = scenario.topical && scenario.topical->occluded;

  AreaResult area;
  area.area = scenario.areas.at(area_index);
  area.skin = catalogs.regions.skin_for(area.area.region, scenario.patient);
  for (int s = 0; s < scenario.protocol.sessions; ++s) {
    device::DeviceSpec device = base;
    device.needle.length_m = needle_length_m[static_cast<std::size_t>(s)];
    SessionResult session;
    session.index = s;
    session.day = s * scenario.protocol.interval_s / units::day;
    core::Rng rng = core::Rng::stream(scenario.simulation.seed, area_index * 1000 + s);
    const auto punctures = device::generate_punctures(device, scenario.technique,
                                                      scenario.simulation.patch_side_m, rng);
    session.punctures = punctures.punctures.size();
    session.injury = catalogs.injury.simulate(punctures, device, area.skin,
                                              scenario.technique.pressure, occluded, rng);
    area.sessions.push_back(std::move(session));
  }
  if (molecule) area.absorption = simulate_absorption(scenario, *molecule, catalogs, area);
  simulate_healing(scenario, catalogs, molecule, area_index, area);
  return area;
}

}  // namespace citsim::simulation
