// SPDX-License-Identifier: MIT
#include "citsim/planner/planner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "citsim/core/text.hpp"
#include "citsim/core/units.hpp"
#include "citsim/simulation/area_protocol.hpp"

namespace citsim::planner {

namespace {

namespace units = citsim::units;

void add_sources(const core::DataFile& file, std::vector<simulation::Citation>& out) {
  const std::string name = std::filesystem::path(file.file()).filename().string();
  for (const auto& [id, text] : file.sources()) out.push_back({name, id, text});
}

std::vector<simulation::Citation> plan_sources(const PlanResult& result,
                                               const simulation::Catalogs& catalogs,
                                               const PlannerCatalog& planner) {
  // The sources of what the chosen plans used, as `run` cites them, then the planner's own.
  core::Scenario used = result.scenario;
  for (const auto& area : result.areas) {
    if (!area.plan) continue;
    const auto scenario = plan_scenario(result.scenario, area.plan->spec, planner);
    if (!used.device) used.device = scenario.device;
    if (!used.topical) used.topical = scenario.topical;
  }
  auto out = simulation::cited_sources(used, catalogs);
  add_sources(planner.contraindications_file(), out);
  add_sources(planner.care_file(), out);
  add_sources(planner.planner_file(), out);
  return out;
}

std::string roman(int type) {
  static const char* const numerals[] = {"I", "II", "III", "IV", "V", "VI"};
  return type >= 1 && type <= 6 ? numerals[type - 1] : std::to_string(type);
}

std::string weeks(double seconds) {
  return fmt::format("{:g} weeks", seconds / units::day / 7);
}

/// Each chosen plan through the full pipeline. Several areas run side by side (each one's cohort
/// then on its own thread, as nested OpenMP regions run serially); one area keeps all threads
/// for its cohort. Results do not depend on the order (random streams per area).
void simulate_chosen_plans(const core::Scenario& scenario, const simulation::Catalogs& catalogs,
                           const PlannerCatalog& planner, std::vector<AreaPlan>& areas) {
  std::vector<std::size_t> chosen;
  for (std::size_t a = 0; a < areas.size(); ++a) {
    if (areas[a].plan) chosen.push_back(a);
  }
  const auto started = std::chrono::steady_clock::now();
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) if (chosen.size() > 1)
  for (long i = 0; i < static_cast<long>(chosen.size()); ++i) {
    try {
      const std::size_t a = chosen[static_cast<std::size_t>(i)];
      const auto& spec = areas[a].plan->spec;
      areas[a].simulated = simulation::simulate_area(plan_scenario(scenario, spec, planner),
                                                     catalogs, a, spec.needle_length_m);
    } catch (...) {
#pragma omp critical(citsim_plan_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  spdlog::debug(
      "{} chosen plans simulated in {:.0f} ms", chosen.size(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
          .count());
}

/// Whether two plans are the same protocol on the same kind of device (they may differ in the
/// cartridge or model only).
bool same_settings(const PlanSpec& a, const PlanSpec& b) {
  return a.device_kind == b.device_kind && a.needle_length_m == b.needle_length_m &&
         a.passes == b.passes && a.sessions == b.sessions && a.interval_s == b.interval_s &&
         a.serum == b.serum;
}

}  // namespace

void check_patient_file(const core::Scenario& scenario, const simulation::Catalogs& catalogs,
                        const PlannerCatalog& planner) {
  for (const auto& [name, where] : scenario.treatment_tables) {
    throw core::InputError(where, name, "(given)",
                           "a patient file for citsim plan names [patient], [[area]] and "
                           "[constraints] only: the planner chooses the device, technique, "
                           "serum and protocol; remove [" +
                               name + "], or simulate a chosen treatment with citsim run");
  }
  if (scenario.simulation.transport != core::TransportFidelity::homogenized) {
    throw core::InputError({scenario.file.string(), 0}, "simulation.transport", "\"voxel3d\"",
                           "the planner simulates its candidates with the homogenized transport; "
                           "simulate a chosen plan with voxel3d through citsim run");
  }
  if (scenario.simulation.tissue != core::TissueState::living) {
    throw core::InputError({scenario.file.string(), 0}, "simulation.tissue", "\"excised\"",
                           "the planner treats living skin; excised skin (in vitro) is for "
                           "citsim run and validation");
  }
  simulation::check_scenario(scenario, catalogs);
  for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
    const auto& area = scenario.areas[a];
    (void)planner.region_cap_m(area.region);
    for (std::size_t c = 0; c < area.concerns.size(); ++c) {
      const auto& concern = area.concerns[c];
      const auto& rule = planner.concern(concern.kind);
      if (std::find(rule.regions.begin(), rule.regions.end(), area.region) == rule.regions.end()) {
        throw core::InputError(
            concern.where, fmt::format("area[{}].concerns[{}].kind", a + 1, c + 1),
            "\"" + concern.kind + "\"",
            fmt::format("{} is not treated on the {} ({}); it applies to: {}", concern.kind,
                        area.region, rule.regions_note, core::join(rule.regions)));
      }
    }
  }
  (void)screen(scenario, planner);  // unknown or misplaced history flags
}

core::Scenario plan_scenario(const core::Scenario& patient, const PlanSpec& spec,
                             const PlannerCatalog& planner) {
  core::Scenario s = patient;
  s.treatment_tables.clear();
  s.constraints.reset();
  core::DeviceSettings device;
  device.kind = spec.device_kind;
  device.model = spec.device_id;
  device.needle_length_m = spec.planned_needle_m();
  s.device = device;
  s.technique = {spec.passes, spec.pattern, spec.pressure};
  s.topical = serum_topical(spec, planner);
  s.protocol.sessions = spec.sessions;
  s.protocol.interval_s = spec.interval_s;
  s.protocol.follow_up_s = planner.search().follow_up_s;
  return s;
}

PlanResult make_plan(const core::Scenario& scenario, const simulation::Catalogs& catalogs,
                     const PlannerCatalog& planner) {
  check_patient_file(scenario, catalogs, planner);
  PlanResult result;
  result.constraints = scenario.constraints.value_or(core::Constraints{});
  if (!scenario.constraints) result.constraints.where = {scenario.file.string(), 0};
  result.scenario = scenario;
  result.scenario.constraints = result.constraints;
  result.screening = screen(scenario, planner);
  const auto& colour = planner.skin_of_colour();
  const int fitzpatrick = scenario.patient.fitzpatrick;
  const bool darker_skin = fitzpatrick >= colour.from_type;

  for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
    const auto& screened = result.screening.areas[a];
    AreaPlan plan;
    plan.area = scenario.areas[a];
    plan.skin = catalogs.regions.skin_for(plan.area.region, scenario.patient);
    plan.max_safe_needle_m =
        max_safe_needle_m(plan.skin, fitzpatrick, screened.depth_factor, planner);
    plan.precautions = screened.precautions;
    if (!result.screening.patient_candidate) {
      plan.candidate = false;
      plan.reasons = result.screening.patient_reasons;
    } else if (!screened.candidate) {
      plan.candidate = false;
      plan.reasons = screened.reasons;
    } else if (plan.area.concerns.empty()) {
      plan.candidate = false;
      plan.reasons.push_back("no concern is given for this area: nothing to plan for");
    } else if (plan.max_safe_needle_m <= 0) {
      plan.candidate = false;
      plan.reasons.push_back(fmt::format(
          "no needle length of the planner's grid is safe on this skin (dermis ends at {:.0f} um)",
          plan.skin.cutis_m() / units::um));
    }
    if (!plan.candidate) {
      result.areas.push_back(std::move(plan));
      continue;
    }

    SearchLimits limits;
    limits.max_needle_m = plan.max_safe_needle_m;
    limits.max_passes = screened.max_passes;
    limits.min_interval_s = screened.min_interval_s;
    if (darker_skin) {
      limits.max_passes = std::min(limits.max_passes, colour.max_passes);
      limits.min_interval_s = std::max(limits.min_interval_s, colour.min_interval_s);
      plan.precautions.push_back(
          {fmt::format("Fitzpatrick type {}: conservative settings (needles at most {:.2f} mm, at "
                       "most {} passes, at least {} apart) and strict sun protection",
                       roman(fitzpatrick), plan.max_safe_needle_m / units::mm, limits.max_passes,
                       weeks(limits.min_interval_s)),
           "darker skin has a higher risk of post-inflammatory hyperpigmentation",
           short_citation(planner.planner_file().citation("cohen2016"))});
    }
    limits.max_sessions = result.constraints.max_sessions;
    limits.max_downtime_days = result.constraints.max_downtime_days;

    const auto started = std::chrono::steady_clock::now();
    const AreaSearch search = search_area(scenario, a, limits, catalogs, planner);
    const auto searched = std::chrono::steady_clock::now();
    plan.evaluated = search.evaluated;
    if (search.evaluated == 0) {
      // The cap is on the grid, but no device of the planner's list takes that short a needle:
      // no plan exists, whatever the constraints.
      plan.candidate = false;
      plan.reasons.push_back(fmt::format(
          "no device of the planner's list takes a needle length within the safe {:.2f} mm",
          plan.max_safe_needle_m / units::mm));
      result.areas.push_back(std::move(plan));
      continue;
    }
    if (search.ranked.empty()) {
      throw core::InputError(
          result.constraints.where, "constraints.max_downtime_days",
          fmt::format("{:g}", result.constraints.max_downtime_days),
          fmt::format("no plan for area[{}] ({}) stays within it: the gentlest of {} plans gives "
                      "{:.1f} days of downtime after a session",
                      a + 1, plan.area.region, search.evaluated, search.least_downtime_days));
    }
    plan.reasons.push_back(fmt::format(
        "no absolute contraindication; {} plans within the safety limits compared, the best "
        "by score chosen",
        search.ranked.size()));
    plan.plan = search.ranked.front();
    for (std::size_t i = 1; i < search.ranked.size() && plan.alternatives.size() < 2; ++i) {
      // An alternative a clinician can choose instead: another protocol, not the same settings
      // on another cartridge of the same kind of device.
      const auto same_protocol = [&](const RankedPlan& other) {
        return same_settings(search.ranked[i].spec, other.spec);
      };
      if (same_protocol(*plan.plan) ||
          std::any_of(plan.alternatives.begin(), plan.alternatives.end(), same_protocol)) {
        continue;
      }
      RankedPlan alternative = search.ranked[i];
      alternative.why_not = why_not(alternative, *plan.plan, planner.score());
      plan.alternatives.push_back(std::move(alternative));
    }
    const auto& spec = plan.plan->spec;
    plan.care = care_plan(planner, spec.device_kind, spec.planned_needle_m(),
                          plan.plan->figures.downtime_days_max);
    spdlog::debug("{}: {} plans ranked in {:.0f} ms", plan.area.region, search.evaluated,
                  std::chrono::duration<double, std::milli>(searched - started).count());
    result.areas.push_back(std::move(plan));
  }
  simulate_chosen_plans(scenario, catalogs, planner, result.areas);

  const auto treated = std::count_if(result.areas.begin(), result.areas.end(),
                                     [](const AreaPlan& p) { return p.candidate; });
  result.candidate = result.screening.patient_candidate && treated > 0;
  if (!result.screening.patient_candidate) {
    result.reasons = result.screening.patient_reasons;
  } else if (treated == 0) {
    result.reasons.push_back("no area is a candidate (see each area's reasons)");
  } else {
    result.reasons.push_back(
        fmt::format("{} of {} areas can be treated", treated, result.areas.size()));
  }
  result.sources = plan_sources(result, catalogs, planner);
  return result;
}

}  // namespace citsim::planner
