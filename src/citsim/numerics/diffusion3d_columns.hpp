// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "citsim/numerics/diffusion3d_sweeps.hpp"

/// Column classes for the z sweep of Diffusion3d's two-pass step.
///
/// The elimination factors of a column's tridiagonal system depend only on the column's
/// materials, top to bottom, and on the step; in skin, nearly every column is one of a few
/// kinds (intact, or a lumen down to one of a few depths). Numbering the distinct material
/// sequences lets the z sweep read its factors from small per-class tables. That is what makes
/// the two-pass step possible: back substitution needs each row's factor again, and without
/// classes it would have to be stored per voxel (a real more per voxel to write and read back).
namespace citsim::numerics::detail {

/// Marks a (row, strip) whose columns do not all share one class.
inline constexpr std::uint32_t k_mixed_class = 0xFFFFFFFFu;

/// The classes of the columns of one strip (i in [i_begin, i_end), every j) and, per layer
/// and class, the z sweep's factors for one step.
template <class Real>
class ColumnClasses {
 public:
  /// Numbers the distinct material sequences of the columns i in [i_begin, i_end) of an nx × ny
  /// × nz id field with a trie over the layers, in three stages so that a caller can classify
  /// several strips plane by plane (the ids read once, in memory order): start; add_plane for
  /// k = 0 … nz−1 (false once the prefixes outgrow `max_classes` sequences); finish, which
  /// writes each column's class to class_of[i + nx·j] and, for each row j, the class all the
  /// range's columns in that row share (or k_mixed_class) to row_class[j·row_class_stride]. A
  /// false return (from either) leaves both unusable.
  void start(std::size_t nz);
  bool add_plane(std::size_t nx, std::size_t ny, std::size_t k, const std::uint8_t* plane_ids,
                 std::size_t i_begin, std::size_t i_end, std::size_t max_classes,
                 std::uint32_t* class_of);
  bool finish(std::size_t nx, std::size_t ny, std::size_t i_begin, std::size_t i_end,
              std::size_t max_classes, std::uint32_t* class_of, std::uint32_t* row_class,
              std::size_t row_class_stride);

  /// Tabulates each class's factors for a step of `dt` (s) from the step's face tables
  /// (MaterialCoefficients::set_step) and the layer thicknesses `dz` (m). Row k of a column
  /// eliminates as y_k = a_k·u_k + b_k·y_{k−1} (y_{−1} = u_outside), back-substitutes as
  /// u_k = y_k + e_k·u_{k+1}, and removes sink_k·u_k per unit column area through the sink.
  void tabulate(const MaterialCoefficients<Real>& materials, std::span<const Real> dz, Real dt);

  /// Per-class factors of layer k, indexed by class.
  const Real* a(std::size_t k) const { return m_a.data() + k * m_count; }
  const Real* b(std::size_t k) const { return m_b.data() + k * m_count; }
  const Real* e(std::size_t k) const { return m_e.data() + k * m_count; }
  const Real* sink(std::size_t k) const { return m_sink.data() + k * m_count; }
  /// Per class: the conductance of the top face (film and top half-cell) and of the bottom face.
  const Real* top() const { return m_top.data(); }
  const Real* bottom() const { return m_bottom.data(); }

  std::size_t bytes() const;

 private:
  struct Node {
    std::uint32_t first_child;
    std::uint32_t next_sibling;
    std::uint32_t parent;
    std::uint8_t material;
  };

  std::vector<Node> m_nodes;
  std::vector<std::uint32_t> m_leaf_class;  // per node: its class if a leaf
  std::vector<std::uint32_t> m_row_node;    // per row: the prefix all its columns share, or none
  std::vector<std::uint8_t> m_sequences;    // [class·nz + k]
  std::size_t m_nz = 0;
  std::size_t m_count = 0;
  std::vector<Real> m_a, m_b, m_e, m_sink, m_top, m_bottom;
};

/// Row k of the z elimination for w columns whose classes are `classes_of` (all `shared`
/// unless that is k_mixed_class): y_k = a·u_k + b·y_{k−1}, y_{−1} = u_outside; y_{k−1} lies one
/// plane (`plane` cells) above.
template <class Real>
inline void eliminate_z_row(const ColumnClasses<Real>& classes, std::size_t k, std::size_t w,
                            std::uint32_t shared, const std::uint32_t* __restrict classes_of,
                            Real* __restrict y, std::size_t plane, Real u_out) {
  const Real* a = classes.a(k);
  const Real* b = classes.b(k);
  const Real* __restrict above = k > 0 ? y - plane : nullptr;
  if (shared != k_mixed_class) {
    const Real ak = a[shared];
    const Real bk = b[shared];
    if (k == 0) {
      for (std::size_t l = 0; l < w; ++l) y[l] = ak * y[l] + bk * u_out;
    } else {
      for (std::size_t l = 0; l < w; ++l) y[l] = ak * y[l] + bk * above[l];
    }
    return;
  }
  for (std::size_t l = 0; l < w; ++l) {
    const std::uint32_t c = classes_of[l];
    y[l] = a[c] * y[l] + b[c] * (k > 0 ? above[l] : u_out);
  }
}

/// Row k of the z back substitution, u_k = y_k + e·u_{k+1}, for the same w columns; adds each
/// column's sink removal (and, in the first and last rows, its top and bottom exchange) to
/// `sums` (sink, then top `stride` further on, then bottom).
template <class Real>
inline void substitute_z_row(const ColumnClasses<Real>& classes, std::size_t k, std::size_t nz,
                             std::size_t w, std::uint32_t shared,
                             const std::uint32_t* __restrict classes_of, Real* __restrict x,
                             std::size_t plane, Real u_out, double* __restrict sums,
                             std::size_t stride) {
  const Real* e = classes.e(k);
  const Real* sink = classes.sink(k);
  const Real* __restrict below = x + plane;
  if (shared != k_mixed_class) {
    const Real ek = e[shared];
    const Real sk = sink[shared];
    if (k + 1 < nz) {
      for (std::size_t l = 0; l < w; ++l) x[l] += ek * below[l];
    }
    if (sk != Real(0)) {
      for (std::size_t l = 0; l < w; ++l) sums[l] += static_cast<double>(sk * x[l]);
    }
  } else {
    if (k + 1 < nz) {
      for (std::size_t l = 0; l < w; ++l) x[l] += e[classes_of[l]] * below[l];
    }
    for (std::size_t l = 0; l < w; ++l) {
      sums[l] += static_cast<double>(sink[classes_of[l]] * x[l]);
    }
  }
  if (k == 0) {
    double* __restrict top = sums + stride;
    for (std::size_t l = 0; l < w; ++l) {
      top[l] += static_cast<double>(classes.top()[classes_of[l]] * (u_out - x[l]));
    }
  }
  if (k + 1 == nz) {
    double* __restrict bottom = sums + 2 * stride;
    for (std::size_t l = 0; l < w; ++l) {
      bottom[l] += static_cast<double>(classes.bottom()[classes_of[l]] * x[l]);
    }
  }
}

/// The most classes a strip of `columns` columns may have: enough for any realistic pattern of
/// channels, few enough that the tables (4 reals per class and layer) stay near two bytes per
/// voxel.
inline std::size_t max_column_classes(std::size_t columns) {
  return columns / 16 > 64 ? columns / 16 : 64;  // diffusion3d_bytes counts on this rule
}

}  // namespace citsim::numerics::detail
