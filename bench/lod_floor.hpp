// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <vector>

#include "citsim/numerics/cache_aligned.hpp"

namespace citsim::bench {

/// The plainest code of a two-pass LOD step: a floor for BM_LodStep, to tell how much of its
/// distance from the roofline is the scheme's own arithmetic (plain code, not a proven bound).
///
/// The same passes as Diffusion3d<double> (pass 1 down the planes: the x lines of a plane, its
/// y lines, its row of the z elimination; pass 2 back up: the z back substitution), on the
/// simplest grid: one material per plane (so each line's factors are tabulated once, by
/// position), lines with no-flux ends (no periodic wrap), no ids, no channels, one thread (no
/// carries between the parts of a plane). Everything Diffusion3d does beyond this only adds to
/// its cost. x lines go 8 at a time through 8 × 8 register transposes and y lines a strip of
/// columns at a time, in AVX-512; where the CPU lacks it, `supported()` is false.
/// It moves 32 bytes a voxel a step: u read and written in each pass.
class LodFloor {
 public:
  /// An n × n × nz grid (n a multiple of 8), every voxel 0.1 to 0.106.
  LodFloor(std::size_t n, std::size_t nz);

  static bool supported();
  /// One LOD step; std::logic_error unless supported().
  void step();
  /// The same step in plain scalar code, the oracle for step().
  void step_reference();

  [[nodiscard]] std::size_t cells() const { return m_field.size(); }
  [[nodiscard]] const numerics::CacheAlignedVector<double>& field() const { return m_field; }

  /// The factors of one line's tridiagonal system, by position: d_i = (f_i − a_i·d_(i−1))·m_i
  /// eliminates, x_i = d_i − c_i·x_(i+1) substitutes back.
  struct LineFactors {
    std::vector<double> a, m, c;
  };

 private:
  std::size_t m_n;
  std::size_t m_nz;
  numerics::CacheAlignedVector<double> m_field;
  std::vector<LineFactors> m_x_factors;  // per plane
  std::vector<LineFactors> m_y_factors;  // per plane
  LineFactors m_z_factors;
  numerics::CacheAlignedVector<double> m_plane;    // the plane after its x lines
  numerics::CacheAlignedVector<double> m_forward;  // the x elimination, [position][row]
};

}  // namespace citsim::bench
