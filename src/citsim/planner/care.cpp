// SPDX-License-Identifier: MIT
#include "citsim/planner/care.hpp"

#include <algorithm>
#include <cmath>

#include "citsim/core/units.hpp"

namespace citsim::planner {

namespace {
/// The needle length from which day_to_per_mm adds days.
constexpr double k_scaling_from_m = 0.5 * units::mm;
}  // namespace

CarePlan care_plan(const PlannerCatalog& catalog, core::DeviceKind device, double needle_m,
                   double downtime_days_max) {
  CarePlan plan;
  for (const auto& step : catalog.care()) {
    if (!step.devices.empty() &&
        std::find(step.devices.begin(), step.devices.end(), device) == step.devices.end())
      continue;
    if (needle_m < step.min_needle_m * (1 - 1e-9)) continue;
    CareItem item;
    item.step = step.text;
    item.timing = step.timing;
    item.reason = step.reason;
    item.source = short_citation(catalog.care_file().citation(step.cite));
    item.day_from = step.day_from;
    item.day_to = step.day_to;
    if (step.phase == CarePhase::post) {
      const double extra_mm = std::max(0.0, (needle_m - k_scaling_from_m) / units::mm);
      item.day_to = std::max(step.day_to, std::ceil(step.day_to + step.day_to_per_mm * extra_mm));
      if (step.until_downtime) item.day_to = std::max(item.day_to, std::ceil(downtime_days_max));
    }
    switch (step.phase) {
      case CarePhase::pre:
        plan.pre.push_back(item);
        break;
      case CarePhase::sterilization:
        plan.sterilization.push_back(item);
        break;
      case CarePhase::post:
        plan.post.push_back(item);
        break;
    }
  }
  std::stable_sort(plan.post.begin(), plan.post.end(), [](const CareItem& a, const CareItem& b) {
    return a.day_from != b.day_from ? a.day_from < b.day_from : a.day_to < b.day_to;
  });
  return plan;
}

}  // namespace citsim::planner
