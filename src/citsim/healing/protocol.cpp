// SPDX-License-Identifier: MIT
#include "citsim/healing/protocol.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "citsim/core/error.hpp"

namespace citsim::healing {

const HealingSample& HealingTrajectory::at(double t_s) const {
  if (samples.empty()) throw core::InternalError("HealingTrajectory::at: no samples");
  auto it = std::lower_bound(samples.begin(), samples.end(), t_s,
                             [](const HealingSample& s, double t) { return s.t_s < t; });
  if (it == samples.end()) return samples.back();
  if (it != samples.begin() && t_s - std::prev(it)->t_s < it->t_s - t_s) return *std::prev(it);
  return *it;
}

HealingTrajectory simulate_protocol(const HealingModel& model,
                                    std::span<const ScheduledInjury> sessions, double end_s,
                                    const SamplingPlan& sampling,
                                    const numerics::OdeTolerances& tolerances) {
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const double t = sessions[i].t_s;
    if (t < 0 || t > end_s || (i > 0 && t < sessions[i - 1].t_s)) {
      throw core::InternalError(
          fmt::format("simulate_protocol: session {} at {:g} s is out of order or outside [0, "
                      "{:g}] s",
                      i + 1, t, end_s));
    }
  }
  // Segment boundaries: 0, every session, the end.
  std::vector<double> bounds{0.0};
  for (const auto& s : sessions) bounds.push_back(s.t_s);
  bounds.push_back(end_s);
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());

  numerics::OdeBdf ode(
      k_state_size,
      [&model](double, std::span<const double> y, std::span<double> dydt) {
        model.rhs(y, dydt);
        return 0;
      },
      tolerances);

  HealingTrajectory out;
  State y = baseline_state();
  out.samples.push_back({0.0, y});
  std::size_t next_session = 0;
  for (std::size_t b = 0; b + 1 < bounds.size(); ++b) {
    const double start = bounds[b];
    const double stop = bounds[b + 1];
    // Sessions at this boundary (several at one time simply add their injuries).
    bool injured = false;
    while (next_session < sessions.size() && sessions[next_session].t_s == start) {
      model.apply_injury(sessions[next_session].dose, y);
      SessionResponse response;
      response.start_s = start;
      response.first_sample = out.samples.size();
      out.sessions.push_back(response);
      ++next_session;
      injured = true;
    }
    if (injured) out.samples.push_back({start, y});
    if (stop <= start) continue;

    // Output times in (start, stop]: fine after a session, coarse on the day grid otherwise.
    std::vector<double> times;
    for (double t = std::floor(start / sampling.coarse_s + 1) * sampling.coarse_s; t < stop;
         t += sampling.coarse_s)
      times.push_back(t);
    if (injured) {
      const double fine_end = std::min(stop, start + sampling.fine_window_s);
      for (double t = start + sampling.fine_s; t < fine_end; t += sampling.fine_s)
        times.push_back(t);
    }
    times.push_back(stop);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end(),
                            [](double a, double c) { return std::abs(a - c) < 1e-6; }),
                times.end());

    ode.reset(start, y);
    for (double t : times) {
      ode.advance(t, y, stop);
      out.samples.push_back({t, y});
    }
    out.solver_steps += ode.steps();
  }
  // Close each session's window at the next session (or the end).
  for (std::size_t i = 0; i < out.sessions.size(); ++i) {
    auto& s = out.sessions[i];
    s.end_s = i + 1 < out.sessions.size() ? out.sessions[i + 1].start_s : end_s;
    s.end_sample =
        i + 1 < out.sessions.size() ? out.sessions[i + 1].first_sample : out.samples.size();
    const auto& first = out.samples[s.first_sample].y;
    const auto& last = out.samples[s.end_sample - 1].y;
    s.inflammation_dose = last[k_inflammation_dose] - first[k_inflammation_dose];
    s.growth_factor_dose = last[k_growth_factor_dose] - first[k_growth_factor_dose];
  }
  return out;
}

}  // namespace citsim::healing
