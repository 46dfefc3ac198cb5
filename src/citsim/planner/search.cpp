// SPDX-License-Identifier: MIT
#include "citsim/planner/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "citsim/core/units.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/healing/protocol.hpp"
#include "citsim/simulation/healing_stage.hpp"
#include "citsim/simulation/topical.hpp"

namespace citsim::planner {

namespace {

namespace units = citsim::units;

/// Ranking needs downtime to a tenth of a day and the state at the assessment: fine sampling
/// only over the days of visible redness after each session, coarse after.
constexpr healing::SamplingPlan k_ranking_sampling{10 * 86400.0, 8640.0, 10 * 86400.0};
/// The virtual cohort's tolerance (outcome/virtual_cohort.cpp), 15 % faster than the patient
/// timeline's; on the example patient every printed figure of the ranked plans is unchanged.
constexpr numerics::OdeTolerances k_ranking_tolerances{1e-5, 1e-8, 20000};

/// The serum an area gets: the first concern whose rule names a molecule that acts on it in the
/// outcome model (tranexamic acid on pigment, minoxidil on hair), else the first concern's.
const ConcernRule* serum_rule(const core::Area& area, const PlannerCatalog& planner) {
  const ConcernRule* first = nullptr;
  for (const auto& concern : area.concerns) {
    const auto& rule = planner.concern(concern.kind);
    if (first == nullptr) first = &rule;
    if (outcome::topical_acts_on(rule.serum, concern.kind)) return &rule;
  }
  return first;
}

bool serum_acts(const core::Area& area, const std::string& serum) {
  return std::any_of(area.concerns.begin(), area.concerns.end(), [&](const core::Concern& c) {
    return outcome::topical_acts_on(serum, c.kind);
  });
}

/// The needle lengths of the grid the search tries: up to the cap, and inside the concerns'
/// typical range when the cap allows; only the cap itself when it is below that range.
std::vector<double> needle_lengths(const core::Area& area, double cap_m,
                                   const simulation::Catalogs& catalogs,
                                   const PlannerCatalog& planner) {
  double low = 0;
  double high = cap_m;
  if (!area.concerns.empty()) {
    low = 1e9;
    double typical_high = 0;
    for (const auto& concern : area.concerns) {
      const auto& range = catalogs.concerns.scale(concern.kind).typical_depth_mm;
      if (range.size() < 2) {
        low = 0;
        typical_high = 1e9;
        break;
      }
      low = std::min(low, range[0] * units::mm);
      typical_high = std::max(typical_high, range[1] * units::mm);
    }
    high = std::min(cap_m, typical_high);
  }
  std::vector<double> out;
  for (double length : planner.search().needle_lengths_m) {
    if (length <= high * (1 + 1e-9) && length >= low * (1 - 1e-9)) out.push_back(length);
  }
  if (out.empty() && cap_m > 0) out.push_back(cap_m);
  return out;
}

/// Whether the catalogue accepts the device with this needle length (a roller's tip cone must
/// fit on a short needle, a pen's depth must be inside its range).
bool device_accepts(const device::DeviceSpec& device, double length,
                    const simulation::Catalogs& catalogs) {
  core::DeviceSettings settings;
  settings.kind = device.kind;
  settings.model = device.id;
  settings.needle_length_m = length;
  try {
    (void)catalogs.devices.resolve(settings);
  } catch (const core::InputError&) {
    return false;
  }
  return true;
}

/// The grid length below `length`, or `length` when it is the shortest.
double one_step_shallower(double length, const PlannerCatalog& planner) {
  double below = length;
  for (double l : planner.search().needle_lengths_m) {
    if (l < length * (1 - 1e-9)) below = l;
  }
  return below;
}

/// What one session of a device at a needle length and passes does on the area (the injury
/// with the session-1 random stream, as `simulate` would draw it) and, with a serum that acts
/// on a concern, what it delivers through the channels and through intact skin.
struct SessionEffect {
  injury::SessionInjury injury;
  healing::InjuryDose dose;
  double absorbed_kg_m2 = 0;
  double intact_absorbed_kg_m2 = 0;
};

using EffectKey = std::tuple<std::string, double, int, std::string>;

EffectKey key_of(const PlanSpec& spec, double length) {
  return {spec.device_id, length, spec.passes, spec.serum};
}

core::Scenario session_scenario(const core::Scenario& patient, const PlanSpec& spec, double length,
                                const PlannerCatalog& planner) {
  core::Scenario s = patient;
  core::DeviceSettings device;
  device.kind = spec.device_kind;
  device.model = spec.device_id;
  device.needle_length_m = length;
  s.device = device;
  s.technique = {spec.passes, spec.pattern, spec.pressure};
  s.protocol.sessions = 1;
  s.protocol.interval_s = units::day;
  s.topical = serum_topical(spec, planner);
  // One session's channel delivery; `evaluate` adds the home applications at the intact rate.
  if (s.topical) s.topical->daily_applications = 0;
  return s;
}

SessionEffect session_effect(const core::Scenario& patient, std::size_t area_index,
                             const anatomy::SkinModel& skin, const PlanSpec& spec, double length,
                             bool with_transport, const simulation::Catalogs& catalogs,
                             const PlannerCatalog& planner) {
  const core::Scenario scenario = session_scenario(patient, spec, length, planner);
  device::DeviceSpec device = catalogs.devices.spec(spec.device_id);
  device.needle.length_m = length;
  core::Rng rng = core::Rng::stream(scenario.simulation.seed, area_index * 1000);
  const auto punctures =
      device::generate_punctures(device, scenario.technique, scenario.simulation.patch_side_m, rng);
  SessionEffect effect;
  effect.injury = catalogs.injury.simulate(punctures, device, skin, spec.pressure, false, rng);
  effect.dose = simulation::injury_dose(effect.injury, skin);
  if (with_transport) {
    simulation::AreaResult area;
    area.area = scenario.areas[area_index];
    area.skin = skin;
    simulation::SessionResult session;
    session.injury = effect.injury;
    area.sessions.push_back(std::move(session));
    const auto molecule = catalogs.molecules.resolve(*scenario.topical);
    (void)simulation::simulate_absorption(scenario, molecule, catalogs, area);
    effect.absorbed_kg_m2 = area.sessions.front().absorbed_kg_m2;
    effect.intact_absorbed_kg_m2 = area.sessions.front().intact_absorbed_kg_m2;
  }
  return effect;
}

/// The transport's last sample after a session (hours): the end of the absorption curve.
double last_sample_hours() {
  return *std::max_element(std::begin(simulation::k_hours_after_session),
                           std::end(simulation::k_hours_after_session));
}

/// Runs `body(i)` for i in [0, n) in parallel; the first exception is rethrown after the loop.
template <typename Body>
void parallel_for(std::size_t n, const Body& body) {
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1)
  for (long i = 0; i < static_cast<long>(n); ++i) {
    try {
      body(static_cast<std::size_t>(i));
    } catch (...) {
#pragma omp critical(citsim_planner_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

PlanFigures evaluate(const core::Scenario& patient, const core::Area& area, const PlanSpec& spec,
                     const std::map<EffectKey, SessionEffect>& effects, bool serum_acts_here,
                     const simulation::Catalogs& catalogs, const PlannerCatalog& planner) {
  std::vector<healing::ScheduledInjury> sessions;
  double absorbed = 0;
  double intact_per_application = 0;
  for (int s = 0; s < spec.sessions; ++s) {
    const auto& effect =
        effects.at(key_of(spec, spec.needle_length_m[static_cast<std::size_t>(s)]));
    sessions.push_back({s * spec.interval_s, effect.dose});
    absorbed += effect.absorbed_kg_m2;
    intact_per_application = effect.intact_absorbed_kg_m2;
  }
  const double last_s = sessions.back().t_s;
  const double end_s = last_s + planner.search().follow_up_s;
  const healing::HealingModel model(catalogs.healing,
                                    catalogs.healing.age_response(patient.patient.age_years));
  const auto trajectory =
      healing::simulate_protocol(model, sessions, end_s, k_ranking_sampling, k_ranking_tolerances);

  PlanFigures f;
  double no_pih = 1;
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const double downtime = outcome::downtime_days(catalogs.outcomes, sessions[s].dose);
    const double pih = outcome::pih_risk(catalogs.outcomes, patient.patient.fitzpatrick,
                                         trajectory.sessions[s].inflammation_dose);
    f.downtime_days_total += downtime;
    f.downtime_days_max = std::max(f.downtime_days_max, downtime);
    f.pih_risk_max = std::max(f.pih_risk_max, pih);
    no_pih *= 1 - pih;
  }
  f.pih_risk_cumulative = 1 - no_pih;

  outcome::TopicalExposure topical;
  if (serum_acts_here) {
    // As the full run would see it: every session's channel delivery, plus the home
    // applications on the days between sessions (intact skin by then).
    const int days_between = static_cast<int>(std::floor(spec.interval_s / units::day));
    const int home =
        (spec.sessions - 1) * std::max(0, days_between - 1) * spec.serum_daily_applications;
    topical.molecule = spec.serum;
    topical.per_session_kg_m2 = absorbed / spec.sessions;
    topical.delivered_kg_m2 = absorbed + home * intact_per_application;
    topical.duration_s =
        last_s + std::max(planner.search().serum_exposure_s, last_sample_hours() * units::hour);
    topical.daily = spec.serum_daily_applications > 0;
  }
  double improvement = 0;
  for (const auto& concern : area.concerns) {
    const auto& scale = catalogs.concerns.scale(concern.kind);
    const double predicted = outcome::predict_endpoint(catalogs.outcomes, scale, concern.severity,
                                                       model, trajectory, end_s, topical);
    const double change =
        scale.lower_is_better ? concern.severity - predicted : predicted - concern.severity;
    improvement += concern.severity > 0 ? change / concern.severity : 0.0;
  }
  if (!area.concerns.empty()) improvement /= static_cast<double>(area.concerns.size());
  f.improvement_pct = 100 * improvement;
  f.score = plan_score(f, spec.sessions, planner.score());
  return f;
}

}  // namespace

double PlanSpec::planned_needle_m() const {
  return needle_length_m.empty()
             ? 0.0
             : *std::max_element(needle_length_m.begin(), needle_length_m.end());
}

std::optional<core::Topical> serum_topical(const PlanSpec& spec, const PlannerCatalog& planner) {
  if (spec.serum.empty()) return std::nullopt;
  core::Topical topical;
  topical.product = spec.serum;
  topical.dose_kg_m2 = planner.search().serum_dose_kg_m2;
  topical.concentration_fraction = spec.serum_concentration_fraction;
  topical.exposure_s = planner.search().serum_exposure_s;
  topical.daily_applications = spec.serum_daily_applications;
  return topical;
}

double plan_score(const PlanFigures& f, int sessions, const ScoreWeights& w) {
  return f.improvement_pct / 100 - w.downtime_per_day * f.downtime_days_total -
         w.pih * f.pih_risk_cumulative - w.per_session * sessions;
}

std::vector<PlanSpec> candidate_plans(const core::Scenario& scenario, std::size_t area_index,
                                      const SearchLimits& limits,
                                      const simulation::Catalogs& catalogs,
                                      const PlannerCatalog& planner) {
  const auto& area = scenario.areas.at(area_index);
  const auto& grid = planner.search();
  // With a serum that acts on a concern (tranexamic acid, minoxidil) the plan without it is a
  // candidate too, so the search shows what the serum adds; a glide serum without a modelled
  // effect is simply applied.
  std::vector<const ConcernRule*> serums{serum_rule(area, planner)};
  if (serums.front() != nullptr && serum_acts(area, serums.front()->serum)) {
    serums.push_back(nullptr);
  }
  std::vector<int> session_counts;
  for (int n : grid.sessions) {
    if (n <= limits.max_sessions) session_counts.push_back(n);
  }
  // A limit below the grid still gets plans: as many sessions as allowed.
  if (session_counts.empty()) session_counts.push_back(limits.max_sessions);
  std::vector<int> passes;
  for (int p : grid.passes) {
    if (p <= limits.max_passes) passes.push_back(p);
  }
  if (passes.empty()) passes.push_back(limits.max_passes);
  std::vector<double> intervals;
  for (double t : grid.intervals_s) {
    if (t >= limits.min_interval_s * (1 - 1e-9)) intervals.push_back(t);
  }
  if (intervals.empty()) intervals.push_back(limits.min_interval_s);

  std::vector<PlanSpec> out;
  for (const auto& device_id : planner.devices()) {
    const auto& device = catalogs.devices.spec(device_id);
    for (double length : needle_lengths(area, limits.max_needle_m, catalogs, planner)) {
      if (!device_accepts(device, length, catalogs)) continue;
      double first = length;
      if (length >= grid.ramp_from_m * (1 - 1e-9)) first = one_step_shallower(length, planner);
      if (!device_accepts(device, first, catalogs)) first = length;
      for (int p : passes) {
        for (int n : session_counts) {
          for (double interval : intervals) {
            for (const ConcernRule* serum : serums) {
              PlanSpec spec;
              spec.device_id = device_id;
              spec.device_kind = device.kind;
              spec.needle_length_m.assign(static_cast<std::size_t>(n), length);
              if (n > 1) spec.needle_length_m.front() = first;
              spec.passes = p;
              spec.sessions = n;
              spec.interval_s = interval;
              if (serum != nullptr) {
                spec.serum = serum->serum;
                spec.serum_concentration_fraction = serum->serum_concentration_fraction;
                spec.serum_daily_applications = serum->serum_daily_applications;
              }
              out.push_back(std::move(spec));
            }
          }
        }
      }
    }
  }
  return out;
}

AreaSearch search_area(const core::Scenario& scenario, std::size_t area_index,
                       const SearchLimits& limits, const simulation::Catalogs& catalogs,
                       const PlannerCatalog& planner) {
  const auto started = std::chrono::steady_clock::now();
  const auto& area = scenario.areas.at(area_index);
  const auto skin = catalogs.regions.skin_for(area.region, scenario.patient);
  const auto candidates = candidate_plans(scenario, area_index, limits, catalogs, planner);
  AreaSearch out;
  if (candidates.empty()) return out;

  // Every (device, length, passes) once: the candidates share them.
  std::map<EffectKey, SessionEffect> effects;
  std::vector<std::pair<EffectKey, const PlanSpec*>> keys;
  for (const auto& spec : candidates) {
    for (double length : spec.needle_length_m) {
      if (effects.emplace(key_of(spec, length), SessionEffect{}).second) {
        keys.emplace_back(key_of(spec, length), &spec);
      }
    }
  }
  parallel_for(keys.size(), [&](std::size_t i) {
    const auto& [key, spec] = keys[i];
    effects.at(key) = session_effect(scenario, area_index, skin, *spec, std::get<1>(key),
                                     serum_acts(area, spec->serum), catalogs, planner);
  });

  const auto injured = std::chrono::steady_clock::now();
  spdlog::debug("{}: {} session effects in {:.0f} ms", area.region, keys.size(),
                std::chrono::duration<double, std::milli>(injured - started).count());
  std::vector<PlanFigures> figures(candidates.size());
  parallel_for(candidates.size(), [&](std::size_t i) {
    figures[i] = evaluate(scenario, area, candidates[i], effects,
                          serum_acts(area, candidates[i].serum), catalogs, planner);
  });

  out.evaluated = candidates.size();
  out.least_downtime_days = 1e9;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& spec = candidates[i];
    out.least_downtime_days = std::min(out.least_downtime_days, figures[i].downtime_days_max);
    if (figures[i].downtime_days_max > limits.max_downtime_days) continue;
    // The modelled needles must end inside the dermis (the cap makes this so; checked here on
    // the simulated injury too).
    bool inside = true;
    for (double length : spec.needle_length_m) {
      inside = inside && effects.at(key_of(spec, length)).injury.max_depth_m <= skin.cutis_m();
    }
    if (!inside) continue;
    out.ranked.push_back({spec, figures[i], plan_label(spec), ""});
  }
  // Best score first; ties go to the gentler plan (shallower, fewer passes, longer interval,
  // fewer sessions), then the label, so the order is stable.
  std::stable_sort(out.ranked.begin(), out.ranked.end(),
                   [](const RankedPlan& a, const RankedPlan& b) {
                     const auto gentleness = [](const RankedPlan& p) {
                       return std::make_tuple(-p.figures.score, p.spec.planned_needle_m(),
                                              p.spec.passes, -p.spec.interval_s, p.spec.sessions);
                     };
                     if (gentleness(a) != gentleness(b)) return gentleness(a) < gentleness(b);
                     return a.label < b.label;
                   });
  return out;
}

}  // namespace citsim::planner
