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
/// The plane's rows are cut into two parts, [0, split) and [split, ny), each swept along x and
/// eliminated along y by one thread, so that no thread reads another's rows until both have
/// eliminated theirs. The second part starts its elimination from zero and is corrected by the
/// first part's last value (tabulated products: MaterialCoefficients::UniformLines::carry); the
/// sums that back substitution would give at row 0 and at the split are accumulated on the way
/// down, so after one barrier each part back-substitutes its own rows, and eliminates each
/// finished row along z at once. Each strip of lines is split by split_lines: the lines it
/// tabulates take the tabulated factors; the odd lines, and strips it does not tabulate, are
/// copied aside and solved whole by each thread. The split depends only on ny, and one
/// thread runs both parts with the same arithmetic, so results do not depend on the number of
/// threads.
namespace citsim::numerics::detail {

/// What the two parts of a plane hand each other at the barrier, for planes of one parity.
template <class Real>
struct PlaneExchange {
  /// The lines solved apart (odd lines, strips solved whole) after the x sweep, [row][lane]
  /// in PlaneSweep's lane order; at most a plane.
  std::vector<Real> aside;
  std::vector<Real> sum_first;   ///< per column: Σ W_p f_p over the first part
  std::vector<Real> sum_second;  ///< Σ W_p f̃_p over the second part
  std::vector<Real> sum_split;   ///< Σ weight_split_p f̃_p over the second part
  std::vector<Real> end_first;   ///< f_{split−1}
  std::vector<Real> end_second;  ///< f̃_{ny−1}
  void resize(std::size_t nx, std::size_t ny);
  std::size_t bytes() const;
};

/// Pass 2 of the two-pass step on rows [j_begin, j_end) of plane k: substitute_z_row over each
/// row's strips of k_two_pass_strip columns, adding to `sums` (3·nx doubles, as that function's).
template <class Real>
void substitute_z_rows(std::size_t nx, std::size_t j_begin, std::size_t j_end, std::size_t k,
                       std::size_t nz, Real* plane_k, const ColumnClasses<Real>* classes,
                       const std::uint32_t* row_class, const std::uint32_t* class_of,
                       std::size_t plane_stride, Real u_out, double* sums);

template <class Real>
class PlaneSweep {
 public:
  /// Where the second part of a plane of ny rows starts: half way, rounded down to whole blocks
  /// of the x sweep (`block` rows); ny (one part) when the plane is too small to cut.
  static std::size_t split_row(std::size_t ny, std::size_t block);

  void setup(std::size_t nx, std::size_t ny, std::size_t split);

  /// Decides, from the plane's ids, how each strip's lines are solved.
  void begin_plane(const std::uint8_t* plane_ids);

  /// Eliminates the uniform lines down rows [j_begin, j_end) of part `part` (in order, after
  /// the x sweep of those rows), copying the odd lines aside first.
  void eliminate_rows(std::size_t part, std::size_t j_begin, std::size_t j_end, Real* plane,
                      const MaterialCoefficients<Real>& materials, PlaneExchange<Real>& exchange);

  /// After both parts are eliminated (a barrier): solves the lines copied aside (once per plane
  /// and thread), back-substitutes the rows of part `part` and eliminates each along z (row k of
  /// the column systems: `classes` per strip, `row_class` and `class_of` as ColumnClasses
  /// writes them, `plane_stride` cells between planes).
  void finish_part(std::size_t part, Real* plane, const std::uint8_t* plane_ids,
                   const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch,
                   const PlaneExchange<Real>& exchange, const ColumnClasses<Real>* classes,
                   const std::uint32_t* row_class, const std::uint32_t* class_of, std::size_t k,
                   std::size_t plane_stride, Real u_out);

  std::size_t bytes() const;

 private:
  struct Strip {
    LineSplit split;  // not tabulated: the whole strip is solved apart
    std::uint8_t odd[k_two_pass_strip] = {};
    std::size_t first_lane = 0;  // its lines in the solved-apart block
  };

  // The public loops' bodies, and their wide clones (diffusion3d_wide.hpp).
  void eliminate_rows_body(std::size_t part, std::size_t j_begin, std::size_t j_end, Real* plane,
                           const MaterialCoefficients<Real>& materials,
                           PlaneExchange<Real>& exchange);
  void eliminate_rows_wide(std::size_t part, std::size_t j_begin, std::size_t j_end, Real* plane,
                           const MaterialCoefficients<Real>& materials,
                           PlaneExchange<Real>& exchange);
  void back_substitute_body(std::size_t part, Real* plane,
                            const MaterialCoefficients<Real>& materials,
                            const PlaneExchange<Real>& exchange, const ColumnClasses<Real>* classes,
                            const std::uint32_t* row_class, const std::uint32_t* class_of,
                            std::size_t k, std::size_t plane_stride, Real u_out);
  void back_substitute_wide(std::size_t part, Real* plane,
                            const MaterialCoefficients<Real>& materials,
                            const PlaneExchange<Real>& exchange, const ColumnClasses<Real>* classes,
                            const std::uint32_t* row_class, const std::uint32_t* class_of,
                            std::size_t k, std::size_t plane_stride, Real u_out);

  void solve_aside(const std::uint8_t* plane_ids, const MaterialCoefficients<Real>& materials,
                   SweepScratch<Real>& scratch, const PlaneExchange<Real>& exchange);

  std::size_t m_nx = 0;
  std::size_t m_ny = 0;
  std::size_t m_split = 0;
  std::vector<Strip> m_strips;
  std::vector<std::uint8_t> m_first;
  std::vector<std::uint8_t> m_same;
  // Per column: the back substitution's running value, the Sherman–Morrison factor and the
  // first part's last value.
  std::vector<Real> m_y;
  std::vector<Real> m_fact;
  std::vector<Real> m_carry_in;
  // The lines solved apart, [row][lane], and their ids.
  std::size_t m_lanes = 0;
  bool m_solved = false;
  std::vector<Real> m_apart;
  std::vector<std::uint8_t> m_apart_ids;
};

}  // namespace citsim::numerics::detail
