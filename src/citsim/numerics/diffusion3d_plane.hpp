// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "citsim/numerics/diffusion3d_columns.hpp"
#include "citsim/numerics/diffusion3d_sweeps.hpp"

/// The y lines and the z elimination row of one horizontal plane, for pass 1 of Diffusion3d's
/// two-pass step, walking the plane row by row.
///
/// sweep_y_strip solves a strip of y lines position by position, that is, a few cache lines per
/// plane row, a plane row apart: a pattern the prefetchers do not follow once the plane is out
/// of the core's cache. Here the y lines of a thread's strips advance together, row by row,
/// across all of its strips: the elimination goes down the rows (right behind the x sweep, while
/// the rows are in cache, when one thread owns the whole plane), and the back substitution comes
/// back up, each row finished and then eliminated along z at once. Lines of the strip's
/// majority material take the tabulated factors (MaterialCoefficients::UniformLines); the few
/// others are copied aside and solved in full; a strip where most lines cross other materials
/// is solved in full as a block. Each line's arithmetic is sweep_y_strip's, with the same
/// strips, so the results do not depend on the number of threads.
namespace citsim::numerics::detail {

template <class Real>
class PlaneSweep {
 public:
  /// For the strips [s_begin, s_end) of an nx × ny plane (strips of k_two_pass_strip columns).
  void setup(std::size_t nx, std::size_t ny, std::size_t s_begin, std::size_t s_end);

  /// Decides, from the plane's ids, how each strip's lines are solved.
  void begin_plane(const std::uint8_t* plane_ids);

  /// Eliminates the uniform lines down rows [j_begin, j_end) (in order, after the x sweep of
  /// those rows), setting their odd lines aside first.
  void eliminate_rows(std::size_t j_begin, std::size_t j_end, Real* plane,
                      const MaterialCoefficients<Real>& materials);

  /// After every row is eliminated: solves the odd lines and the strips solved in full, then
  /// back-substitutes up the rows, and eliminates each finished row along z (row k of the
  /// column systems: `classes` per strip, `row_class` and `class_of` as ColumnClasses::finish
  /// writes them, `plane_stride` cells between planes).
  void finish_plane(Real* plane, const std::uint8_t* plane_ids,
                    const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch,
                    const ColumnClasses<Real>* classes, const std::uint32_t* row_class,
                    const std::uint32_t* class_of, std::size_t k, std::size_t plane_stride,
                    Real u_out);

  std::size_t bytes() const;

 private:
  struct Strip {
    bool uniform = false;  // false: solved in full as a block
    std::uint8_t material = 0;
    std::size_t odd_count = 0;
    std::uint8_t odd[k_two_pass_strip] = {};
  };

  std::size_t m_nx = 0;
  std::size_t m_ny = 0;
  std::size_t m_s_begin = 0;
  std::size_t m_s_end = 0;
  std::vector<Strip> m_strips;
  // Per column of the thread's range (offset by its first column).
  std::vector<Real> m_sum;   // Σ W_p f_p so far
  std::vector<Real> m_y;     // the back substitution's running value
  std::vector<Real> m_fact;  // the Sherman–Morrison factor
  std::vector<std::uint8_t> m_first;
  std::vector<std::uint8_t> m_same;
  // Odd lines, per strip [row][line], at most a quarter of the strip.
  std::vector<Real> m_aside;
  std::vector<std::uint8_t> m_aside_ids;
};

/// Odd lines a strip may set aside before it is solved in full instead.
inline constexpr std::size_t k_max_odd_lines = k_two_pass_strip / 4;

}  // namespace citsim::numerics::detail
