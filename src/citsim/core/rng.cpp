// SPDX-License-Identifier: MIT
#include "citsim/core/rng.hpp"

#include <cmath>
#include <numbers>

namespace citsim::core {

namespace {

// SplitMix64 (Steele, Lea, Flood 2014): decorrelates nearby seeds before they seed the engine.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Rng Rng::stream(std::uint64_t seed, std::uint64_t index) {
  return Rng(splitmix64(splitmix64(seed) ^ splitmix64(index + 0x632be59bd9b4e019ULL)));
}

double Rng::normal() {
  double u1 = uniform();
  while (u1 <= 0.0) u1 = uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double Rng::lognormal_median_cv(double median, double cv) {
  const double sigma = std::sqrt(std::log1p(cv * cv));
  return median * std::exp(sigma * normal());
}

}  // namespace citsim::core
