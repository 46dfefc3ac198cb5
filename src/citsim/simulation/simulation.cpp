// SPDX-License-Identifier: MIT
#include "citsim/simulation/simulation.hpp"

#include <algorithm>
#include <exception>
#include <vector>

#include <fmt/format.h>

#include "citsim/core/units.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/simulation/healing_stage.hpp"
#include "citsim/simulation/topical.hpp"

namespace citsim::simulation {

Catalogs::Catalogs(const std::filesystem::path& dir)
    : data_dir(dir),
      regions(dir),
      devices(dir),
      molecules(dir),
      concerns(dir),
      injury(dir),
      transport(
          transport::TransportParameters::read(core::DataFile(dir / "transport.toml", "model"))),
      healing(healing::HealingParameters::read(dir)),
      outcomes(outcome::OutcomeParameters::read(dir, concerns)) {}

void check_scenario(const core::Scenario& scenario, const Catalogs& catalogs) {
  for (std::size_t i = 0; i < scenario.areas.size(); ++i) {
    const auto& area = scenario.areas[i];
    const std::string prefix = fmt::format("area[{}]", i + 1);
    (void)catalogs.regions.reference(area.region, area.region_where, prefix + ".region");
    for (std::size_t j = 0; j < area.concerns.size(); ++j) {
      catalogs.concerns.check(area.concerns[j],
                              fmt::format("{}.concerns[{}].severity", prefix, j + 1));
    }
  }
  if (scenario.device) (void)catalogs.devices.resolve(*scenario.device);
  if (scenario.topical) (void)catalogs.molecules.resolve(*scenario.topical);
}

namespace {

void add_sources(const core::DataFile& file, std::vector<Citation>& out) {
  const std::string name = std::filesystem::path(file.file()).filename().string();
  for (const auto& [id, text] : file.sources()) out.push_back({name, id, text});
}

}  // namespace

std::vector<Citation> cited_sources(const core::Scenario& scenario, const Catalogs& catalogs) {
  std::vector<Citation> out;
  // Regions cite many papers, each for a few regions: only those behind the treated ones.
  const auto& regions = catalogs.regions.file();
  const std::string regions_name = std::filesystem::path(regions.file()).filename().string();
  std::vector<std::string> ids;
  for (const auto& area : scenario.areas) {
    for (auto& id : catalogs.regions.cited_sources(area.region)) ids.push_back(std::move(id));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const auto& id : ids) out.push_back({regions_name, id, regions.citation(id)});
  if (scenario.device) {
    add_sources(catalogs.devices.file(), out);
    add_sources(core::DataFile(catalogs.data_dir / "injury.toml", "model"), out);
  }
  if (scenario.topical) {
    add_sources(catalogs.molecules.file(), out);
    add_sources(core::DataFile(catalogs.data_dir / "transport.toml", "model"), out);
  }
  bool concerns = false;
  for (const auto& area : scenario.areas) concerns = concerns || !area.concerns.empty();
  if (concerns) add_sources(catalogs.concerns.file(), out);
  return out;
}

SimulationResult simulate(const core::Scenario& scenario, const Catalogs& catalogs,
                          const std::function<void()>& on_session) {
  check_scenario(scenario, catalogs);
  SimulationResult result;
  result.scenario = scenario;
  if (scenario.device) result.device = catalogs.devices.resolve(*scenario.device);
  if (scenario.topical) result.molecule = catalogs.molecules.resolve(*scenario.topical);
  const bool occluded = scenario.topical && scenario.topical->occluded;

  const auto simulate_area = [&](std::size_t a) {
    AreaResult area;
    area.area = scenario.areas[a];
    area.skin = catalogs.regions.skin_for(area.area.region, scenario.patient);
    for (int s = 0; s < scenario.protocol.sessions; ++s) {
      SessionResult session;
      session.index = s;
      session.day = s * scenario.protocol.interval_s / units::day;
      if (result.device) {
        // One random stream per area and session: results do not depend on the order of work.
        core::Rng rng = core::Rng::stream(scenario.simulation.seed, a * 1000 + s);
        const auto punctures = device::generate_punctures(*result.device, scenario.technique,
                                                          scenario.simulation.patch_side_m, rng);
        session.punctures = punctures.punctures.size();
        session.injury = catalogs.injury.simulate(punctures, *result.device, area.skin,
                                                  scenario.technique.pressure, occluded, rng);
      }
      area.sessions.push_back(std::move(session));
      if (on_session) {
#pragma omp critical(citsim_simulate_progress)
        on_session();
      }
    }
    if (scenario.topical) {
      area.absorption = simulate_absorption(scenario, *result.molecule, catalogs, area);
    }
    simulate_healing(scenario, catalogs, result.molecule, a, area);
    return area;
  };

  // Areas are independent (their own random streams), so they run side by side: each area's
  // stages are mostly serial (the injury, the homogenized transport, the patient's timeline),
  // and the virtual cohort inside runs on the area's thread. voxel3d keeps the threads for its
  // kernel instead. The results are the same for any number of threads.
  const std::size_t count = scenario.areas.size();
  const bool side_by_side =
      count > 1 && scenario.simulation.transport == core::TransportFidelity::homogenized;
  std::vector<AreaResult> areas(count);
  if (!side_by_side) {
    // Not inside a parallel region, even an inactive one (`if (false)`): libgomp would treat
    // the kernel's regions as nested and start fresh threads for each (133,405 thread
    // creations in a voxel3d run of the default example; docs/performance.md).
    for (std::size_t a = 0; a < count; ++a) areas[a] = simulate_area(a);
  } else {
    // An exception must not leave an OpenMP region: keep the first and rethrow after it.
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t a = 0; a < count; ++a) {
      try {
        areas[a] = simulate_area(a);
      } catch (...) {
#pragma omp critical(citsim_simulate_failure)
        if (!failure) failure = std::current_exception();
      }
    }
    if (failure) std::rethrow_exception(failure);
  }
  result.areas = std::move(areas);
  result.sources = cited_sources(scenario, catalogs);
  return result;
}

}  // namespace citsim::simulation
