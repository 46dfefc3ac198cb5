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

}  // namespace citsim::validation
