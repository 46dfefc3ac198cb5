// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/scenario.hpp"
#include "citsim/device/device_catalog.hpp"
#include "citsim/healing/protocol.hpp"
#include "citsim/injury/injury_model.hpp"
#include "citsim/outcome/concern_catalog.hpp"
#include "citsim/outcome/outcome_model.hpp"
#include "citsim/outcome/virtual_cohort.hpp"
#include "citsim/transport/homogenized.hpp"
#include "citsim/transport/molecule_catalog.hpp"
#include "citsim/transport/voxel3d.hpp"

namespace citsim::simulation {

/// One session on one area.
struct SessionResult {
  int index = 0;
  double day = 0;
  std::size_t punctures = 0;  ///< in the simulated patch
  injury::SessionInjury injury;
  /// Delivered past the stratum corneum during this session's exposure, with the channels and
  /// through intact skin (same dose and time); only with a topical.
  double absorbed_kg_m2 = 0;
  double intact_absorbed_kg_m2 = 0;
  /// Channel volume in the dermis per dermis volume: the healing model's dose.
  double dermal_damage_fraction = 0;
  /// Days of visible redness and swelling, and the risk of post-inflammatory
  /// hyperpigmentation, from this session (outcome stage; 0 without needling).
  double downtime_days = 0;
  double pih_risk = 0;
};

/// The active's whereabouts over the protocol, with the channels and on intact skin.
struct AbsorptionCurves {
  std::vector<transport::AbsorptionSample> with_channels;
  std::vector<transport::AbsorptionSample> intact;
  double mass_balance_error = 0;
};

struct AreaResult {
  core::Area area;
  anatomy::SkinModel skin;
  std::vector<SessionResult> sessions;
  std::optional<AbsorptionCurves> absorption;
  /// With voxel3d transport: the grid and the field snapshots of the first session.
  std::optional<transport::Voxel3dResult> voxel_fields;
  /// The patient's healing cascade over the protocol and follow-up.
  healing::HealingTrajectory healing;
  /// One per concern of the area, from the virtual cohort.
  std::vector<outcome::ConcernOutcome> outcomes;
};

/// A citation behind the data a run used: its id in the `[sources]` of a data/ file.
struct Citation {
  std::string file;  ///< the data file's name, e.g. "regions.toml"
  std::string id;
  std::string text;  ///< the full reference
};

struct SimulationResult {
  core::Scenario scenario;
  std::optional<device::DeviceSpec> device;
  std::optional<transport::Molecule> molecule;
  std::vector<AreaResult> areas;
  /// The citations behind the catalogue entries and models this run used, file by file.
  std::vector<Citation> sources;
};

/// Every catalogue of data/, loaded once: the simulation's fixed inputs.
struct Catalogs {
  explicit Catalogs(const std::filesystem::path& data_dir);
  std::filesystem::path data_dir;
  anatomy::RegionCatalog regions;
  device::DeviceCatalog devices;
  transport::MoleculeCatalog molecules;
  outcome::ConcernCatalog concerns;
  injury::InjuryModel injury;
  transport::TransportParameters transport;
  healing::HealingParameters healing;
  outcome::OutcomeParameters outcomes;
};

/// Checks everything in a scenario that needs the catalogues (regions, device, molecule,
/// concern severities) so that bad input fails before any work or output.
void check_scenario(const core::Scenario& scenario, const Catalogs& catalogs);

/// The citations behind what `simulate` used for this scenario: the cited sources of the
/// treated regions, and every source of the injury and transport models, the device, molecule
/// and concern catalogues that the scenario touches.
std::vector<Citation> cited_sources(const core::Scenario& scenario, const Catalogs& catalogs);

/// Runs the pipeline stages available so far for every area and session. `on_session` is
/// called after each session (for progress).
SimulationResult simulate(const core::Scenario& scenario, const Catalogs& catalogs,
                          const std::function<void()>& on_session = {});

}  // namespace citsim::simulation
