// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "citsim/planner/planner_data.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::planner::test {

inline const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

inline const PlannerCatalog& planner_catalog() {
  static const PlannerCatalog instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

/// A patient file with a cheek (acne scars) and a forehead (fine lines) area; `patient_extra`
/// goes into [patient], `cheek_extra` into the cheek's [[area]], `tail` at the end. A small
/// cohort keeps the tests fast.
inline std::string patient_file(const std::string& patient_extra = "",
                                const std::string& cheek_extra = "", const std::string& tail = "",
                                int fitzpatrick = 3) {
  return "[patient]\nage_years = 34\nfitzpatrick = " + std::to_string(fitzpatrick) +
         "\nsex = \"female\"\n" + patient_extra +
         "\n[[area]]\nregion = \"cheek\"\narea_cm2 = 40\n"
         "concerns = [{ kind = \"atrophic_acne_scar\", severity = 3 }]\n" +
         cheek_extra +
         "\n[[area]]\nregion = \"forehead\"\narea_cm2 = 50\n"
         "concerns = [{ kind = \"fine_lines\", severity = 2 }]\n"
         "\n[simulation]\ncohort_size = 16\n" +
         tail;
}

}  // namespace citsim::planner::test
