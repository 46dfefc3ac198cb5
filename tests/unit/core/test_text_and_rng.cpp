// SPDX-License-Identifier: MIT
#include <cmath>

#include <gtest/gtest.h>

#include "citsim/core/rng.hpp"
#include "citsim/core/text.hpp"
#include "citsim/numerics/statistics.hpp"

namespace citsim::core {
namespace {

TEST(Text, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("cheek", "cheek"), 0u);
  EXPECT_EQ(edit_distance("cheeck", "cheek"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Text, NearestWordOnlyForLikelyTypos) {
  const std::vector<std::string> regions = {"cheek", "chin", "forehead", "neck"};
  EXPECT_EQ(nearest_word("cheeck", regions), "cheek");
  EXPECT_EQ(nearest_word("forhead", regions), "forehead");
  EXPECT_EQ(nearest_word("abdomen", regions), "");
}

TEST(Rng, SameSeedSameStream) {
  Rng a(42);
  Rng b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.uniform(), b.uniform());
}

TEST(Rng, StreamsDifferByIndex) {
  Rng a = Rng::stream(1, 0);
  Rng b = Rng::stream(1, 1);
  EXPECT_NE(a.uniform(), b.uniform());
}

TEST(Rng, UniformAndNormalMoments) {
  Rng rng(7);
  std::vector<double> uniform(200000);
  std::vector<double> normal(200000);
  for (auto& x : uniform) x = rng.uniform();
  for (auto& x : normal) x = rng.normal(3.0, 2.0);
  const auto u = numerics::summarize(uniform);
  const auto n = numerics::summarize(normal);
  // Standard errors: 0.29/sqrt(2e5) = 6.5e-4 and 2/sqrt(2e5) = 4.5e-3; five of them as tolerance.
  EXPECT_NEAR(u.mean, 0.5, 3.3e-3);
  EXPECT_GE(u.min, 0.0);
  EXPECT_LT(u.max, 1.0);
  EXPECT_NEAR(n.mean, 3.0, 0.023);
  EXPECT_NEAR(n.sd, 2.0, 0.02);
}

TEST(Rng, LognormalHasTheRequestedMedianAndCv) {
  Rng rng(9);
  std::vector<double> x(200000);
  for (auto& v : x) v = rng.lognormal_median_cv(5.0, 0.25);
  EXPECT_NEAR(numerics::quantile(x, 0.5), 5.0, 0.03);
  const auto s = numerics::summarize(x);
  EXPECT_NEAR(s.sd / s.mean, 0.25, 0.005);
}

}  // namespace
}  // namespace citsim::core
