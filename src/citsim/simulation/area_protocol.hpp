// SPDX-License-Identifier: MIT
#pragma once

#include <span>

#include "citsim/simulation/simulation.hpp"

namespace citsim::simulation {

/// One area of a scenario through the whole pipeline, as `simulate` runs it (same random
/// streams for the same `area_index`), except that session s uses the needle length
/// `needle_length_m[s]` (one per session of the protocol). The planner's entry point for a plan
/// whose depth changes between sessions. Needs the scenario's device.
AreaResult simulate_area(const core::Scenario& scenario, const Catalogs& catalogs,
                         std::size_t area_index, std::span<const double> needle_length_m);

}  // namespace citsim::simulation
