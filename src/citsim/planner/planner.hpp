// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "citsim/core/scenario.hpp"
#include "citsim/planner/care.hpp"
#include "citsim/planner/planner_data.hpp"
#include "citsim/planner/screening.hpp"
#include "citsim/planner/search.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::planner {

/// The plan of one area.
struct AreaPlan {
  core::Area area;
  anatomy::SkinModel skin;
  bool candidate = true;
  std::vector<std::string> reasons;
  double max_safe_needle_m = 0;
  std::optional<RankedPlan> plan;
  std::vector<RankedPlan> alternatives;  ///< the best two runners-up (fewer when fewer exist)
  std::vector<Precaution> precautions;
  std::optional<CarePlan> care;
  /// The chosen plan through the full pipeline (virtual cohort included), as `run` does it.
  std::optional<simulation::AreaResult> simulated;
  std::size_t evaluated = 0;  ///< candidate plans simulated on the deterministic patient
};

struct PlanResult {
  core::Scenario scenario;  ///< the patient file, with the applied constraints filled in
  core::Constraints constraints;
  Screening screening;
  bool candidate = true;
  std::vector<std::string> reasons;
  std::vector<AreaPlan> areas;
  std::vector<simulation::Citation> sources;
};

/// Everything in a patient file that needs the catalogues: no treatment tables ([device],
/// [technique], [topical], [protocol] are the planner's to choose), known regions and concern
/// severities, each concern allowed on its region (data/planner.toml), known history flags.
/// Throws InputError naming the file, line and key.
void check_patient_file(const core::Scenario& scenario, const simulation::Catalogs& catalogs,
                        const PlannerCatalog& planner);

/// Screens the patient, searches each candidate area's plans, and runs the chosen plan of each
/// through the full pipeline. InputError when a constraint rules every plan of an area out.
PlanResult make_plan(const core::Scenario& scenario, const simulation::Catalogs& catalogs,
                     const PlannerCatalog& planner);

/// The scenario `citsim run` would take for a plan (the patient file with the plan's device,
/// technique, serum and protocol; the needle length of the [device] is the planned one).
core::Scenario plan_scenario(const core::Scenario& patient, const PlanSpec& spec,
                             const PlannerCatalog& planner);

}  // namespace citsim::planner
