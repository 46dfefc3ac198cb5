// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "citsim/core/scenario.hpp"
#include "citsim/planner/planner_data.hpp"

namespace citsim::planner {

struct CareItem {
  std::string step;
  std::string timing;  ///< pre
  std::string reason;
  std::string source;   ///< short citation
  double day_from = 0;  ///< post
  double day_to = 0;
};

struct CarePlan {
  std::vector<CareItem> pre;
  std::vector<CareItem> sterilization;
  std::vector<CareItem> post;  ///< ordered by first day
};

/// The care of data/care.toml that applies to a plan: steps for its device kind and from its
/// needle length on; post-care days lengthened for deeper needling (day_to_per_mm) and, where a
/// step says so, to the plan's predicted downtime.
CarePlan care_plan(const PlannerCatalog& catalog, core::DeviceKind device, double needle_m,
                   double downtime_days_max);

}  // namespace citsim::planner
