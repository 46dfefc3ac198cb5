// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <random>

namespace citsim::core {

/// A seeded random stream. std::mt19937_64 is fully specified by the standard, but the standard
/// distributions are not (libstdc++ and libc++ differ), so the few draws citsim needs are written
/// here: the same seed gives the same numbers with any standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_engine(seed) {}

  /// An independent stream for a numbered sub-task (an area, a session, a pass), so that adding
  /// draws in one place does not shift every later random number.
  [[nodiscard]] static Rng stream(std::uint64_t seed, std::uint64_t index);

  /// Uniform on [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  /// Standard normal (Box-Muller; the second value is discarded for simplicity).
  double normal();
  double normal(double mean, double sd) { return mean + sd * normal(); }
  /// Log-normal with the given median and coefficient of variation.
  double lognormal_median_cv(double median, double cv);

 private:
  std::mt19937_64 m_engine;
};

}  // namespace citsim::core
