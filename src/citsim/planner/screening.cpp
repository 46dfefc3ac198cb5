// SPDX-License-Identifier: MIT
#include "citsim/planner/screening.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "citsim/core/text.hpp"

namespace citsim::planner {

namespace {

std::vector<std::string> flag_ids(const PlannerCatalog& catalog, bool area_only) {
  std::vector<std::string> out;
  for (const auto& c : catalog.contraindications()) {
    if (!area_only || c.scope == Scope::area) out.push_back(c.id);
  }
  return out;
}

const Contraindication& known_flag(const std::string& flag, const core::SourceLocation& where,
                                   const std::string& key, bool in_area,
                                   const PlannerCatalog& catalog) {
  const Contraindication* c = catalog.find(flag);
  const auto allowed = flag_ids(catalog, in_area);
  if (c == nullptr) {
    throw core::InputError(
        where, key, "\"" + flag + "\"",
        fmt::format("a flag of {}{}: {}", catalog.contraindications_file().file(),
                    core::did_you_mean(flag, allowed), core::join(allowed)));
  }
  if (in_area && c->scope == Scope::patient) {
    throw core::InputError(where, key, "\"" + flag + "\"",
                           "a patient-wide flag: put it in [patient] history; an area's history "
                           "takes the area flags: " +
                               core::join(allowed));
  }
  return *c;
}

void apply_relative(const Contraindication& c, AreaScreening& area, const PlannerCatalog& catalog) {
  if (c.depth_factor) area.depth_factor *= *c.depth_factor;
  if (c.max_passes) area.max_passes = std::min(area.max_passes, *c.max_passes);
  if (c.min_interval_s) area.min_interval_s = std::max(area.min_interval_s, *c.min_interval_s);
  area.precautions.push_back(
      {c.effect, c.name, short_citation(catalog.contraindications_file().citation(c.cite))});
}

}  // namespace

Screening screen(const core::Scenario& scenario, const PlannerCatalog& catalog) {
  Screening out;
  out.areas.resize(scenario.areas.size());
  // Which flags are present where (validated first, so bad input fails before any result).
  std::vector<const Contraindication*> patient_flags;
  for (const auto& flag : scenario.patient.history) {
    patient_flags.push_back(
        &known_flag(flag, scenario.history_where, "patient.history", false, catalog));
  }
  std::vector<std::vector<const Contraindication*>> area_flags(scenario.areas.size());
  for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
    const auto& area = scenario.areas[a];
    for (const auto& flag : area.history) {
      area_flags[a].push_back(&known_flag(flag, area.history_where,
                                          fmt::format("area[{}].history", a + 1), true, catalog));
    }
  }

  for (const auto& c : catalog.contraindications()) {
    FlagCheck check;
    check.contraindication = &c;
    check.source = short_citation(catalog.contraindications_file().citation(c.cite));
    const bool patient_wide =
        std::find(patient_flags.begin(), patient_flags.end(), &c) != patient_flags.end();
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
      const bool here = patient_wide || std::find(area_flags[a].begin(), area_flags[a].end(), &c) !=
                                            area_flags[a].end();
      if (!here) continue;
      check.present = true;
      if (c.scope == Scope::area) check.areas.push_back(scenario.areas[a].region);
      auto& area = out.areas[a];
      if (c.kind == Severity::absolute) {
        area.candidate = false;
        area.reasons.push_back(fmt::format("{}: {}", c.name, c.effect));
      } else {
        apply_relative(c, area, catalog);
      }
    }
    if (patient_wide && c.scope == Scope::patient && c.kind == Severity::absolute) {
      out.patient_candidate = false;
      out.patient_reasons.push_back(fmt::format("{}: {}", c.name, c.effect));
    }
    out.checks.push_back(std::move(check));
  }
  return out;
}

double max_safe_needle_m(const anatomy::SkinModel& skin, int fitzpatrick, double depth_factor,
                         const PlannerCatalog& catalog) {
  const auto& colour = catalog.skin_of_colour();
  double cap =
      std::min(catalog.dermis_fraction() * skin.cutis_m(), catalog.region_cap_m(skin.region));
  if (fitzpatrick >= colour.from_type) cap *= colour.depth_factor;
  cap *= depth_factor;
  double best = 0;
  // A length equal to the cap (up to rounding in the unit conversions) is allowed.
  for (double length : catalog.search().needle_lengths_m) {
    if (length <= cap * (1 + 1e-9)) best = length;
  }
  return best;
}

}  // namespace citsim::planner
