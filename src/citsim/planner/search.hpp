// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "citsim/core/scenario.hpp"
#include "citsim/planner/planner_data.hpp"
#include "citsim/planner/screening.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::planner {

/// One candidate treatment of one area.
struct PlanSpec {
  std::string device_id;
  core::DeviceKind device_kind = core::DeviceKind::pen;
  std::vector<double> needle_length_m;  ///< one per session
  int passes = 4;
  core::Pattern pattern = core::Pattern::crosshatch;
  core::Pressure pressure = core::Pressure::moderate;
  int sessions = 1;
  double interval_s = 0;
  std::string serum;  ///< molecule id; empty for none
  double serum_concentration_fraction = 0;
  int serum_daily_applications = 0;
  /// The deepest length of the plan.
  [[nodiscard]] double planned_needle_m() const;
};

/// What the deterministic patient (no virtual cohort) gets from a plan, and its score.
struct PlanFigures {
  double improvement_pct = 0;  ///< mean over the area's concerns
  double downtime_days_total = 0;
  double downtime_days_max = 0;
  double pih_risk_max = 0;         ///< per session
  double pih_risk_cumulative = 0;  ///< of at least one episode over the plan
  double score = 0;
};

struct RankedPlan {
  PlanSpec spec;
  PlanFigures figures;
  std::string label;
  std::string why_not;  ///< for alternatives: why it ranked below the chosen plan
};

/// The limits of one area's search.
struct SearchLimits {
  double max_needle_m = 0;  ///< from max_safe_needle_m
  int max_passes = 20;
  double min_interval_s = 0;
  int max_sessions = 24;
  double max_downtime_days = 1e9;
};

struct AreaSearch {
  std::vector<RankedPlan> ranked;  ///< the feasible plans, best first
  std::size_t evaluated = 0;
  /// The smallest downtime per session among all plans evaluated (for the error when
  /// max_downtime_days rules every plan out).
  double least_downtime_days = 0;
};

/// The plans the search tries for an area: every device of the planner's list, needle length
/// of the grid up to the cap (and inside the concerns' typical range when the cap allows),
/// passes, sessions and intervals of the grid inside the limits.
std::vector<PlanSpec> candidate_plans(const core::Scenario& scenario, std::size_t area_index,
                                      const SearchLimits& limits,
                                      const simulation::Catalogs& catalogs,
                                      const PlannerCatalog& planner);

/// Evaluates every candidate on the deterministic patient (homogenized transport only where the
/// serum acts in the outcome model; the healing model; endpoints, downtime, PIH risk), with the
/// injuries cached per device, needle length and passes, and ranks the feasible ones by score.
AreaSearch search_area(const core::Scenario& scenario, std::size_t area_index,
                       const SearchLimits& limits, const simulation::Catalogs& catalogs,
                       const PlannerCatalog& planner);

/// The plan's serum as the scenario's topical (dose, strength, exposure and home use from the
/// planner's rules); empty when the plan has no serum.
std::optional<core::Topical> serum_topical(const PlanSpec& spec, const PlannerCatalog& planner);

/// The ranking score of docs/model.md §9 from a plan's figures.
double plan_score(const PlanFigures& figures, int sessions, const ScoreWeights& weights);

/// "pen-12, 0.75 then 1.0 mm, 4 passes, 4 sessions every 6 weeks, tranexamic acid".
std::string plan_label(const PlanSpec& spec);

/// Why `alternative` ranked below `chosen`, in words with the figures.
std::string why_not(const RankedPlan& alternative, const RankedPlan& chosen,
                    const ScoreWeights& weights);

}  // namespace citsim::planner
