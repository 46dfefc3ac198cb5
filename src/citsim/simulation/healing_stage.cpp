// SPDX-License-Identifier: MIT
#include "citsim/simulation/healing_stage.hpp"

#include "citsim/core/units.hpp"

namespace citsim::simulation {

healing::InjuryDose injury_dose(const injury::SessionInjury& injury,
                                const anatomy::SkinModel& skin) {
  healing::InjuryDose dose;
  double damaged_m = 0;  // channel volume in the dermis per unit area
  for (const auto& layer : injury.layers) {
    if (layer.layer == anatomy::Layer::papillary_dermis)
      damaged_m += layer.damaged_volume_fraction * skin.papillary_dermis_m;
    if (layer.layer == anatomy::Layer::reticular_dermis)
      damaged_m += layer.damaged_volume_fraction * skin.reticular_dermis_m;
  }
  dose.dermal_damage_fraction = skin.dermis_m() > 0 ? damaged_m / skin.dermis_m() : 0.0;
  dose.bleeding_fraction = injury.bleeding_fraction;
  dose.mean_channel_depth_m = injury.mean_depth_m;
  dose.channels_per_m2 = injury.channels_per_m2;
  return dose;
}

void simulate_healing(const core::Scenario& scenario, const Catalogs& catalogs,
                      const std::optional<transport::Molecule>& molecule, std::size_t area_index,
                      AreaResult& area) {
  const bool needled = scenario.device.has_value();
  std::vector<healing::ScheduledInjury> sessions;
  for (const auto& session : area.sessions) {
    sessions.push_back({session.day * units::day,
                        needled ? injury_dose(session.injury, area.skin) : healing::InjuryDose{}});
  }
  const double last_session_s = sessions.empty() ? 0.0 : sessions.back().t_s;
  const double end_s = last_session_s + scenario.protocol.follow_up_s;

  // The patient as given: the timeline, downtime and PIH risk.
  const healing::HealingModel model(catalogs.healing,
                                    catalogs.healing.age_response(scenario.patient.age_years));
  area.healing = healing::simulate_protocol(model, sessions, end_s);
  for (std::size_t s = 0; s < area.sessions.size(); ++s) {
    auto& session = area.sessions[s];
    session.dermal_damage_fraction = sessions[s].dose.dermal_damage_fraction;
    if (!needled) continue;
    session.downtime_days = outcome::downtime_days(catalogs.outcomes, sessions[s].dose);
    session.pih_risk = outcome::pih_risk(catalogs.outcomes, scenario.patient.fitzpatrick,
                                         area.healing.sessions[s].inflammation_dose);
  }

  // The virtual cohort behind each concern's mean and interval.
  outcome::CohortInput cohort;
  cohort.patient = scenario.patient;
  cohort.concerns = area.area.concerns;
  cohort.sessions = sessions;
  cohort.end_s = end_s;
  cohort.assessment_s = end_s;
  cohort.size = scenario.simulation.cohort_size;
  cohort.seed = scenario.simulation.seed;
  // Streams apart from the sessions' (area * 1000 + session): one block per area.
  cohort.stream = (area_index + 1) * 1'000'000'000ULL;
  if (molecule && area.absorption && !area.absorption->with_channels.empty()) {
    cohort.topical.molecule = molecule->id;
    cohort.topical.delivered_kg_m2 = area.absorption->with_channels.back().absorbed();
    double per_session = 0;
    for (const auto& session : area.sessions) per_session += session.absorbed_kg_m2;
    cohort.topical.per_session_kg_m2 =
        area.sessions.empty() ? 0.0 : per_session / static_cast<double>(area.sessions.size());
    cohort.topical.duration_s = std::max(area.absorption->with_channels.back().t_s, 1.0);
    cohort.topical.daily = scenario.topical && scenario.topical->daily_applications > 0;
  }
  if (!cohort.concerns.empty()) {
    area.outcomes =
        outcome::simulate_cohort(cohort, catalogs.healing, catalogs.outcomes, catalogs.concerns);
  }
}

}  // namespace citsim::simulation
