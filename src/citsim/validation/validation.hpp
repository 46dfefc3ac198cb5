// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "citsim/simulation/simulation.hpp"

namespace citsim::validation {

/// What a case's reference figure was used for (style.md: name which figures calibrated the
/// model and which were held back to check it).
enum class Role {
  analytic,     ///< a closed form the code must reproduce
  calibration,  ///< a figure the model's parameters were fitted to
  check,        ///< a figure held out of the calibration
  known_gap,    ///< a figure the model does not reproduce; reported, not asserted
};

std::string to_string(Role role);

/// One validation case: what was measured in the simulation against what, with the tolerance
/// fixed before the comparison.
struct CaseResult {
  std::string name;
  Role role = Role::check;
  std::string quantity;
  double measured = 0;
  double reference = 0;
  std::string unit;
  std::string tolerance;  ///< in words: "±5%", "in [a, b]"
  bool passed = false;
  std::string source;
  std::string note;
};

/// Every validation case (device, injury, transport, healing, outcome), in a fixed order.
std::vector<CaseResult> run_cases(const simulation::Catalogs& catalogs);

/// The membrane pre-strain that makes the Donnelly 2011 case reach its measured 460 um, found by
/// bisection with every other parameter as in data/injury.toml.
double calibrate_membrane_prestrain(const simulation::Catalogs& catalogs);

/// The side-effect coefficients of data/outcomes.toml re-fitted to their figures, everything else
/// as in data/: downtime from the injury stage's mean channel depths at 1.5 and 2.5 mm (roller),
/// PIH by maximum likelihood on Dogra 2014 and Fabbrocini 2014 (docs/model.md, "Outcome").
struct SideEffectFit {
  double downtime_epidermal_days = 0;
  double downtime_dermal_fill_mm_per_day = 0;
  double pih_intercept = 0;
  double pih_per_fitzpatrick_type = 0;
};
SideEffectFit fit_side_effects(const simulation::Catalogs& catalogs);

}  // namespace citsim::validation
