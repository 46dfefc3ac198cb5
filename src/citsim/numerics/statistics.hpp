// SPDX-License-Identifier: MIT
#pragma once

#include <span>

namespace citsim::numerics {

/// Summary of a sample: count, mean, standard deviation (n-1), min, max.
struct Summary {
  std::size_t count = 0;
  double mean = 0;
  double sd = 0;
  double min = 0;
  double max = 0;
};

/// Mean and spread in one pass (Welford's update, stable for large samples).
Summary summarize(std::span<const double> values);

/// The q-quantile (0..1) by linear interpolation between order statistics; the span is copied.
double quantile(std::span<const double> values, double q);

}  // namespace citsim::numerics
