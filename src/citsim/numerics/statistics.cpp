// SPDX-License-Identifier: MIT
#include "citsim/numerics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "citsim/core/error.hpp"

namespace citsim::numerics {

Summary summarize(std::span<const double> values) {
  Summary out;
  if (values.empty()) return out;
  out.min = std::numeric_limits<double>::infinity();
  out.max = -std::numeric_limits<double>::infinity();
  double m2 = 0;
  for (double value : values) {
    ++out.count;
    const double delta = value - out.mean;
    out.mean += delta / static_cast<double>(out.count);
    m2 += delta * (value - out.mean);
    out.min = std::min(out.min, value);
    out.max = std::max(out.max, value);
  }
  out.sd = out.count > 1 ? std::sqrt(m2 / static_cast<double>(out.count - 1)) : 0.0;
  return out;
}

double quantile(std::span<const double> values, double q) {
  if (values.empty()) throw core::InternalError("quantile of an empty sample");
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace citsim::numerics
