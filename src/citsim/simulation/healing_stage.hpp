// SPDX-License-Identifier: MIT
#pragma once

#include "citsim/simulation/simulation.hpp"

namespace citsim::simulation {

/// The healing model's dose for one session: channel volume in the dermis per dermis volume
/// and the fraction of channels that bleed.
healing::InjuryDose injury_dose(const injury::SessionInjury& injury,
                                const anatomy::SkinModel& skin);

/// Healing and outcome for one area whose sessions (and absorption) are done: the collagen and
/// elastin trajectory of the patient, each session's downtime and PIH risk, and each concern's
/// endpoint from the virtual cohort (`area_index` picks its random streams).
void simulate_healing(const core::Scenario& scenario, const Catalogs& catalogs,
                      const std::optional<transport::Molecule>& molecule, std::size_t area_index,
                      AreaResult& area);

}  // namespace citsim::simulation
