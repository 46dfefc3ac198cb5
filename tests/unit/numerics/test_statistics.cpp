// SPDX-License-Identifier: MIT
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/numerics/statistics.hpp"

namespace citsim::numerics {
namespace {

TEST(Statistics, QuantileInterpolates) {
  const std::vector<double> x = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(quantile(x, 0.0), 1);
  EXPECT_DOUBLE_EQ(quantile(x, 1.0), 4);
  EXPECT_DOUBLE_EQ(quantile(x, 0.5), 2.5);
  const auto s = summarize(x);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_NEAR(s.sd, std::sqrt(5.0 / 3.0), 1e-12);
}

TEST(Statistics, WelfordMatchesTwoPassOnLargeOffsets) {
  // A large common offset breaks the naive sum-of-squares formula; Welford's update must not.
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(1e9 + (i % 7));
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const auto s = summarize(x);
  EXPECT_NEAR(s.mean, mean, 1e-6);
  // Round-off at a 1e9 offset is about 1e9 * 2.2e-16 per value; the naive formula errs by ~1e2.
  EXPECT_NEAR(s.sd, std::sqrt(ss / 999.0), 1e-6);
  EXPECT_EQ(summarize({}).count, 0u);
}

}  // namespace
}  // namespace citsim::numerics
