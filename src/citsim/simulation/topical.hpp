// SPDX-License-Identifier: MIT
#pragma once

#include "citsim/simulation/simulation.hpp"

namespace citsim::simulation {

/// Hours after each session at which absorption and open channels are sampled: dense while most
/// channels close, then daily.
inline constexpr double k_hours_after_session[] = {0, 0.25, 0.5, 0.75, 1,  1.5, 2,  3, 4,
                                                   6, 8,    12,  18,   24, 36,  48, 72};

/// Runs the homogenized transport for one area over the whole protocol, with the area's channels
/// and on intact skin, and fills each session's absorbed amounts.
AbsorptionCurves simulate_absorption(const core::Scenario& scenario,
                                     const transport::Molecule& molecule, const Catalogs& catalogs,
                                     AreaResult& area);

}  // namespace citsim::simulation
