// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <vector>

#include "citsim/healing/healing_model.hpp"
#include "citsim/numerics/ode_bdf.hpp"

namespace citsim::healing {

/// One session of a protocol: when, and the injury it leaves.
struct ScheduledInjury {
  double t_s = 0;
  InjuryDose dose;
};

/// The state at one time.
struct HealingSample {
  double t_s = 0;
  State y{};
};

/// What one session's cascade did, from the session to the next one (or the end).
struct SessionResponse {
  double start_s = 0;
  double end_s = 0;
  std::size_t first_sample = 0;   ///< the sample at the session, after its injury
  std::size_t end_sample = 0;     ///< one past the last sample of the window
  double inflammation_dose = 0;   ///< integral of neutrophils + macrophages, unit-days
  double growth_factor_dose = 0;  ///< integral of PDGF + TGF-beta, unit-days
};

struct HealingTrajectory {
  std::vector<HealingSample> samples;  ///< sorted by time, from 0 to the end
  std::vector<SessionResponse> sessions;
  long solver_steps = 0;
  /// The sample nearest to t (for reading a state at a day).
  [[nodiscard]] const HealingSample& at(double t_s) const;
};

/// Sampling of a trajectory: coarse over months, fine while a session's inflammation resolves.
struct SamplingPlan {
  double coarse_s = 86400;          ///< one day
  double fine_s = 8640;             ///< a tenth of a day
  double fine_window_s = 1.2096e6;  ///< 14 days after each session
};

/// Integrates the healing model over a protocol (CVODE BDF): the state carries from session to
/// session, each session's injury is applied as a jump and the integrator restarts there.
/// Sessions must be sorted and within [0, end_s]. Throws core::InternalError if CVODE fails.
HealingTrajectory simulate_protocol(const HealingModel& model,
                                    std::span<const ScheduledInjury> sessions, double end_s,
                                    const SamplingPlan& sampling = {},
                                    const numerics::OdeTolerances& tolerances = {});

}  // namespace citsim::healing
