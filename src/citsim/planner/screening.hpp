// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/core/scenario.hpp"
#include "citsim/planner/planner_data.hpp"

namespace citsim::planner {

/// A precaution the plan carries, with why and from where.
struct Precaution {
  std::string text;
  std::string reason;
  std::string source;  ///< short citation
};

/// One contraindication checked against the patient file.
struct FlagCheck {
  const Contraindication* contraindication = nullptr;
  bool present = false;
  std::vector<std::string> areas;  ///< area-scope flags: the regions where present
  std::string source;              ///< short citation of the rule
};

/// What screening leaves for one area: whether it can be treated and within which limits.
struct AreaScreening {
  bool candidate = true;
  std::vector<std::string> reasons;
  double depth_factor = 1;    ///< product of the relative flags' factors
  int max_passes = 20;        ///< the smallest of theirs
  double min_interval_s = 0;  ///< the largest of theirs
  std::vector<Precaution> precautions;
};

struct Screening {
  std::vector<FlagCheck> checks;  ///< every contraindication of the catalogue, in its order
  bool patient_candidate = true;
  std::vector<std::string> patient_reasons;  ///< the absolute patient flags present
  std::vector<AreaScreening> areas;          ///< one per scenario area
};

/// Checks the patient's and each area's history flags against data/contraindications.toml.
/// An unknown flag, or a patient-only flag in an area's history, is an InputError naming the
/// file, line and the allowed flags. An area-scope flag in [patient] history applies to every
/// area.
Screening screen(const core::Scenario& scenario, const PlannerCatalog& catalog);

/// The deepest needle length the planner may use on this skin (docs/model.md §9): the smallest
/// of the dermis rule (dermis_fraction of the depth of the dermis' lower boundary) and the
/// region's practice cap, times the skin-of-colour factor for the patient's Fitzpatrick type and
/// the relative flags' `depth_factor`, rounded down to a length of the search grid. 0 when not even
/// the shortest length of the grid fits.
double max_safe_needle_m(const anatomy::SkinModel& skin, int fitzpatrick, double depth_factor,
                         const PlannerCatalog& catalog);

}  // namespace citsim::planner
