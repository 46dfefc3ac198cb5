// SPDX-License-Identifier: MIT
#include "citsim/injury/resealing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "citsim/core/error.hpp"
#include "citsim/core/units.hpp"

namespace citsim::injury {

ResealingParameters ResealingParameters::read(const core::DataFile& file) {
  auto entry = file.entry("resealing");
  ResealingParameters p;
  p.reference_depth_m = entry.number("reference_depth_um", {1, 5000, "um"}) * units::um;
  p.half_life_open_s = entry.number("half_life_open_h", {0.001, 1000, "h"}) * units::hour;
  p.depth_exponent = entry.number("depth_exponent", {0, 3, ""});
  p.occlusion_factor = entry.number("occlusion_factor", {1, 1000, ""});
  entry.finish();
  return p;
}

double channel_half_life_s(const ResealingParameters& p, double depth_m, bool occluded) {
  if (depth_m <= 0) return 0.0;
  const double half_life =
      p.half_life_open_s * std::pow(depth_m / p.reference_depth_m, p.depth_exponent);
  return occluded ? half_life * p.occlusion_factor : half_life;
}

double open_fraction(std::span<const double> half_lives_s, double t_s) {
  if (half_lives_s.empty()) return 0.0;
  double open = 0;
  for (double half_life : half_lives_s) {
    if (half_life > 0) open += std::exp(-std::numbers::ln2 * t_s / half_life);
  }
  return open / static_cast<double>(half_lives_s.size());
}

double population_half_life_s(std::span<const double> half_lives_s) {
  if (half_lives_s.empty()) return 0.0;
  // The open fraction falls monotonically from 1 to 0, so bisection on [0, 64 max] converges.
  double low = 0;
  double high = 64 * *std::max_element(half_lives_s.begin(), half_lives_s.end());
  if (open_fraction(half_lives_s, 0.0) < 0.5) return 0.0;
  for (int i = 0; i < 100 && high - low > 1e-12 * high; ++i) {
    const double mid = 0.5 * (low + high);
    (open_fraction(half_lives_s, mid) > 0.5 ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

}  // namespace citsim::injury
