// SPDX-License-Identifier: MIT
#pragma once

#include <span>

#include "citsim/core/data_table.hpp"

namespace citsim::injury {

/// Parameters of channel resealing, from data/injury.toml [model.resealing], SI units.
struct ResealingParameters {
  double reference_depth_m = 0;
  double half_life_open_s = 0;  ///< at the reference depth, not occluded
  double depth_exponent = 0;
  double occlusion_factor = 1;

  static ResealingParameters read(const core::DataFile& file);
};

/// Half-life of one channel: t_ref (d / d_ref)^beta, times the occlusion factor when occluded.
double channel_half_life_s(const ResealingParameters& p, double depth_m, bool occluded);

/// Fraction of a population of channels, with these half-lives, still open at time t.
double open_fraction(std::span<const double> half_lives_s, double t_s);

/// Time at which half of the population has closed (equals the half-life of identical channels).
double population_half_life_s(std::span<const double> half_lives_s);

}  // namespace citsim::injury
