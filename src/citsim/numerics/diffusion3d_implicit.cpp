// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_implicit.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include "citsim/numerics/diffusion3d_sweeps.hpp"

namespace citsim::numerics {

namespace {

constexpr std::size_t k_lanes = 64;  // columns solved side by side
constexpr int k_max_iterations = 20000;
/// The memory budget of the kernel per voxel, coarse level, sums and scratch included.
constexpr double k_bytes_per_voxel = 24.0;

/// One thread's arrays for the column solves of k_lanes columns.
struct ColumnScratch {
  std::vector<double> upper;     // [k][lane]
  std::vector<double> solution;  // [k][lane]
  std::array<double, k_lanes> diagonal{};
  std::array<double, k_lanes> below{};
  std::array<double, k_lanes> above{};
  struct Run {
    std::size_t begin;
    std::size_t end;
    bool plain;
  };
  std::array<Run, k_lanes> runs{};
  explicit ColumnScratch(std::size_t nz) : upper(nz * k_lanes), solution(nz * k_lanes) {}
};

/// The system's coefficients per unit column area (m/s), from the material ids, for one step.
/// Row (i, j, k): (m + Σ g) x_c − Σ g x_nb, m = s·dz/dt + k_sink·s·dz, lateral g =
/// dz/dx²·2/(1/kappa_a + 1/kappa_b), vertical g = 1/(half_a/kappa_a + half_b/kappa_b), the top
/// and bottom faces as in Diffusion3d.
class Stencil {
 public:
  Stencil(const Grid3d& grid, std::span<const Material> materials,
          const Diffusion3dBoundary& boundary, const std::uint8_t* ids, double dt_s,
          bool plain_columns)
      : nx(grid.nx()), ny(grid.ny()), nz(grid.nz()), plane(grid.plane_size()), m_ids(ids) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    m_inv_kappa.fill(inf);
    m_storage_per_dt.fill(std::numeric_limits<double>::quiet_NaN());
    m_sink.fill(0);
    m_inv_top.fill(inf);
    for (std::size_t m = 0; m < materials.size(); ++m) {
      const Material& material = materials[m];
      m_inv_kappa[m] = material.conductivity_m2_s > 0 ? 1.0 / material.conductivity_m2_s : inf;
      m_storage_per_dt[m] = material.storage / dt_s;
      m_sink[m] = material.sink_rate_1_s * material.storage;
      const double h = material.top_exchange * boundary.top_transfer_m_s;
      if (boundary.top == TopBoundary::exchange && h > 0) m_inv_top[m] = 1.0 / h;
    }
    m_inv_bottom = boundary.bottom == BottomBoundary::zero_potential ? 0.0 : inf;
    m_outside = boundary.outside_potential;
    // Face conductances depend only on the two materials and the layer(s): tabulated once per
    // step, so the iterations divide only for the pivots.
    m_count = materials.size();
    const double inv_dx2 = 1.0 / grid.column_area_m2();
    m_lateral.resize(nz * m_count * m_count);
    m_vertical.resize((nz > 0 ? nz - 1 : 0) * m_count * m_count);
    for (std::size_t k = 0; k < nz; ++k) {
      m_dz.push_back(grid.dz_m(k));
      const double half = 0.5 * grid.dz_m(k);
      const double half_next = k + 1 < nz ? 0.5 * grid.dz_m(k + 1) : 0.0;
      for (std::size_t a = 0; a < m_count; ++a) {
        for (std::size_t b = 0; b < m_count; ++b) {
          const std::size_t ab = (k * m_count + a) * m_count + b;
          m_lateral[ab] = 2.0 * grid.dz_m(k) * inv_dx2 / (m_inv_kappa[a] + m_inv_kappa[b]);
          if (k + 1 < nz) {
            m_vertical[ab] = 1.0 / (half * m_inv_kappa[a] + half_next * m_inv_kappa[b]);
          }
        }
        if (k == 0) m_top[a] = 1.0 / (m_inv_top[a] + half * m_inv_kappa[a]);
        if (k + 1 == nz) m_bottom[a] = 1.0 / (half * m_inv_kappa[a] + m_inv_bottom);
      }
    }
    find_uniform_rows();
    if (plain_columns) find_plain_columns();
  }

  std::size_t nx, ny, nz, plane;

  /// Diagonal and the conductance to the cell below, for cells i0 … i0+w−1 of row (j, k).
  void diagonal_row(std::size_t j, std::size_t k, std::size_t i0, std::size_t w, double* diagonal,
                    double* below) const {
    if (const int m = uniform(j, k); m >= 0) {
      // The general expressions below, once for the row.
      const auto a = static_cast<std::uint8_t>(m);
      double d = (m_storage_per_dt[a] + m_sink[a]) * m_dz[k];
      d += lateral(k, a, a) + lateral(k, a, a) + lateral(k, a, a) + lateral(k, a, a);
      d += k == 0 ? top(a) : vertical(k - 1, a, a);
      const double gdn = k + 1 == nz ? bottom(a) : vertical(k, a, a);
      std::fill_n(below, w, k + 1 == nz ? 0.0 : gdn);
      std::fill_n(diagonal, w, d + gdn);
      return;
    }
    const Row row = row_ids(j, k);
    for (std::size_t l = 0; l < w; ++l) {
      const std::size_t i = i0 + l;
      const std::uint8_t a = row.here[i];
      double d = (m_storage_per_dt[a] + m_sink[a]) * m_dz[k];
      d += lateral(k, a, row.here[west(i)]) + lateral(k, a, row.here[east(i)]) +
           lateral(k, a, row.south[i]) + lateral(k, a, row.north[i]);
      d += k == 0 ? top(a) : vertical(k - 1, row.up[i], a);
      const double gdn = k + 1 == nz ? bottom(a) : vertical(k, a, row.down[i]);
      below[l] = k + 1 == nz ? 0.0 : gdn;
      diagonal[l] = d + gdn;
    }
  }

  /// Per column i of vertical plane j, 1 where it is plain (find_plain_columns): the plain
  /// columns share one set of column factors, tabulated per step. Null when none is plain.
  const std::uint8_t* plain_row(std::size_t j) const {
    return m_plain_count > 0 ? m_plain.data() + j * nx : nullptr;
  }
  /// The fraction of the columns that are plain.
  double plain_fraction() const {
    return static_cast<double>(m_plain_count) / static_cast<double>(plane);
  }
  /// The plain columns' factors at layer k, as solve_columns computes them for any column: the
  /// pivot's reciprocal, the elimination factor e_k and the conductance to the layer above.
  double plain_inverse(std::size_t k) const { return m_plain_inverse[k]; }
  double plain_upper(std::size_t k) const { return m_plain_upper[k]; }
  double plain_above(std::size_t k) const { return m_plain_above[k]; }

  /// out = (M + A)·x for the nx cells of row (j, k); x of any real type.
  template <class Real>
  void apply_row(std::size_t j, std::size_t k, const Real* x, double* out) const {
    if (const int m = uniform(j, k); m >= 0) {
      apply_uniform_row(j, k, static_cast<std::uint8_t>(m), x, out);
      return;
    }
    const Row row = row_ids(j, k);
    const Real* here = x + k * plane + j * nx;
    for (std::size_t i = 0; i < nx; ++i) {
      const std::uint8_t a = row.here[i];
      const double xc = here[i];
      double sum = (m_storage_per_dt[a] + m_sink[a]) * m_dz[k] * xc;
      if (k == 0) sum += top(a) * xc;
      if (k + 1 == nz) sum += bottom(a) * xc;
      out[i] = sum - inflow_from_neighbours(row, j, k, i, x);
    }
  }

  /// out = F(u) = b − (M + A)·u with b = M·u + the top source: the net inflow per unit column
  /// area (amount/(m² s)) into each cell of row (j, k). Written without the storage terms, so
  /// nothing cancels.
  void flux_row(std::size_t j, std::size_t k, const double* u, double* out) const {
    const Row row = row_ids(j, k);
    const double* here = u + k * plane + j * nx;
    for (std::size_t i = 0; i < nx; ++i) {
      const std::uint8_t a = row.here[i];
      const double uc = here[i];
      double in = -m_sink[a] * m_dz[k] * uc + inflow_from_neighbours(row, j, k, i, u);
      if (k == 0) in += top(a) * (m_outside - uc);
      if (k + 1 == nz) in -= bottom(a) * uc;
      out[i] = in;
    }
  }

  /// The part of the aggregation operator R (M + A) Rᵀ that plane k's cells and faces give
  /// (R sums each aggregate: the cells of one horizontal plane whose column lies in one block of
  /// `block_of_i[i]` × `block_of_j[j]`, numbered bx + mx·by within the plane). Faces inside an
  /// aggregate cancel; `mass` gets storage, sink and the top and bottom faces, `to_east`,
  /// `to_north` and `to_down` the conductances of the faces to the aggregate at bx + 1, by + 1
  /// (periodic) and in plane k + 1. Per unit column area; the arrays hold mx·my values and are
  /// overwritten.
  void coarse_plane(std::size_t k, const std::uint32_t* block_of_i, const std::uint32_t* block_of_j,
                    std::size_t mx, double* mass, double* to_east, double* to_north,
                    double* to_down) const {
    const std::size_t blocks = mx * (block_of_j[ny - 1] + 1);
    std::fill_n(mass, blocks, 0.0);
    std::fill_n(to_east, blocks, 0.0);
    std::fill_n(to_north, blocks, 0.0);
    std::fill_n(to_down, blocks, 0.0);
    for (std::size_t j = 0; j < ny; ++j) {
      const Row row = row_ids(j, k);
      const std::size_t jn = (j + 1) % ny;
      const bool north_crosses = block_of_j[jn] != block_of_j[j];
      const std::size_t row_block = mx * block_of_j[j];
      for (std::size_t i = 0; i < nx; ++i) {
        const std::uint8_t a = row.here[i];
        const std::size_t c = row_block + block_of_i[i];
        double m = (m_storage_per_dt[a] + m_sink[a]) * m_dz[k];
        if (k == 0) m += top(a);
        if (k + 1 == nz) m += bottom(a);
        mass[c] += m;
        const std::size_t e = east(i);
        if (block_of_i[e] != block_of_i[i]) to_east[c] += lateral(k, a, row.here[e]);
        if (north_crosses) to_north[c] += lateral(k, a, row.north[i]);
        if (k + 1 < nz) to_down[c] += vertical(k, a, row.down[i]);
      }
    }
  }

  /// What crossed the boundaries and the sinks removed per unit time and column area, at u.
  StepBalance rates_of_plane(std::size_t j, const double* u) const {
    StepBalance rates;
    for (std::size_t k = 0; k < nz; ++k) {
      const Row row = row_ids(j, k);
      const double* here = u + k * plane + j * nx;
      for (std::size_t i = 0; i < nx; ++i) {
        const std::uint8_t a = row.here[i];
        if (k == 0) rates.entered_top += top(a) * (m_outside - here[i]);
        if (k + 1 == nz) rates.left_bottom += bottom(a) * here[i];
        rates.removed_sink += m_sink[a] * m_dz[k] * here[i];
      }
    }
    return rates;
  }

 private:
  /// The material of row (j, k) when it, the rows beside it (j ± 1) and the rows above and
  /// below are all of that one material; −1 otherwise. Such rows (most of the grid) take the
  /// same expressions with the conductances looked up once per row, in loops that vectorize.
  int uniform(std::size_t j, std::size_t k) const { return m_uniform[k * ny + j]; }

  void find_uniform_rows() {
    std::vector<int> single(ny * nz, -1);
    for (std::size_t k = 0; k < nz; ++k) {
      for (std::size_t j = 0; j < ny; ++j) {
        const std::uint8_t* row = m_ids + k * plane + j * nx;
        const bool same = std::all_of(row, row + nx, [&](std::uint8_t id) { return id == row[0]; });
        if (same) single[k * ny + j] = row[0];
      }
    }
    m_uniform.assign(ny * nz, -1);
    for (std::size_t k = 0; k < nz; ++k) {
      for (std::size_t j = 0; j < ny; ++j) {
        const int m = single[k * ny + j];
        const bool beside =
            single[k * ny + (j + ny - 1) % ny] == m && single[k * ny + (j + 1) % ny] == m;
        const bool above = k == 0 || single[(k - 1) * ny + j] == m;
        const bool below = k + 1 == nz || single[(k + 1) * ny + j] == m;
        if (m >= 0 && beside && above && below) m_uniform[k * ny + j] = m;
      }
    }
  }

  /// Plain columns: every cell of the column and of its four lateral neighbours is of its
  /// layer's reference material (the commonest in that plane), so the column's diagonal and
  /// its faces to the cells above and below are the same in every plain column. Away from the
  /// channels most columns are plain; their elimination (a division per cell, and table look-ups
  /// for the diagonal) is tabulated once per step with the same expressions as diagonal_row and
  /// solve_columns use, so both give the same bits.
  void find_plain_columns() {
    m_reference.assign(nz, 0);
    for (std::size_t k = 0; k < nz; ++k) {
      std::array<std::size_t, 256> count{};
      const std::uint8_t* layer = m_ids + k * plane;
      for (std::size_t c = 0; c < plane; ++c) ++count[layer[c]];
      m_reference[k] =
          static_cast<std::uint8_t>(std::max_element(count.begin(), count.end()) - count.begin());
    }
    std::vector<std::uint8_t> follows(plane, 1);
    for (std::size_t k = 0; k < nz; ++k) {
      const std::uint8_t* layer = m_ids + k * plane;
      const std::uint8_t reference = m_reference[k];
      for (std::size_t c = 0; c < plane; ++c) {
        follows[c] &= static_cast<std::uint8_t>(layer[c] == reference);
      }
    }
    m_plain.assign(plane, 0);
    for (std::size_t j = 0; j < ny; ++j) {
      const std::uint8_t* row = follows.data() + j * nx;
      const std::uint8_t* south = follows.data() + ((j + ny - 1) % ny) * nx;
      const std::uint8_t* north = follows.data() + ((j + 1) % ny) * nx;
      for (std::size_t i = 0; i < nx; ++i) {
        const bool plain = row[i] && row[west(i)] && row[east(i)] && south[i] && north[i];
        m_plain[j * nx + i] = plain ? 1 : 0;
        m_plain_count += plain ? 1 : 0;
      }
    }
    if (m_plain_count == 0) return;
    m_plain_inverse.resize(nz);
    m_plain_upper.resize(nz);
    m_plain_above.resize(nz);
    double e_previous = 0;
    double above = 0;
    for (std::size_t k = 0; k < nz; ++k) {
      const std::uint8_t a = m_reference[k];
      double d = (m_storage_per_dt[a] + m_sink[a]) * m_dz[k];
      d += lateral(k, a, a) + lateral(k, a, a) + lateral(k, a, a) + lateral(k, a, a);
      d += k == 0 ? top(a) : vertical(k - 1, m_reference[k - 1], a);
      const double gdn = k + 1 == nz ? bottom(a) : vertical(k, a, m_reference[k + 1]);
      const double below = k + 1 == nz ? 0.0 : gdn;
      const double pivot = d + gdn - (k > 0 ? above * e_previous : 0.0);
      const double inverse = 1.0 / pivot;
      m_plain_inverse[k] = inverse;
      m_plain_upper[k] = below * inverse;
      m_plain_above[k] = above;
      e_previous = m_plain_upper[k];
      above = below;
    }
  }

  /// apply_row for a uniform row of material a: the general arithmetic, in the same order.
  template <class Real>
  void apply_uniform_row(std::size_t j, std::size_t k, std::uint8_t a, const Real* x,
                         double* out) const {
    const bool top_row = k == 0;
    const bool bottom_row = k + 1 == nz;
    if (top_row && bottom_row) return apply_uniform_row<true, true>(j, k, a, x, out);
    if (top_row) return apply_uniform_row<true, false>(j, k, a, x, out);
    if (bottom_row) return apply_uniform_row<false, true>(j, k, a, x, out);
    apply_uniform_row<false, false>(j, k, a, x, out);
  }

  /// The same with the top and bottom layers known at compile time, so the loop has no branch
  /// and vectorizes.
  template <bool Top, bool Bottom, class Real>
  void apply_uniform_row(std::size_t j, std::size_t k, std::uint8_t a, const Real* x,
                         double* out) const {
    const std::size_t layer = k * plane;
    const Real* __restrict here = x + layer + j * nx;
    const Real* __restrict south = x + layer + ((j + ny - 1) % ny) * nx;
    const Real* __restrict north = x + layer + ((j + 1) % ny) * nx;
    const Real* __restrict up = Top ? here : here - plane;
    const Real* __restrict down = Bottom ? here : here + plane;
    const double mass = (m_storage_per_dt[a] + m_sink[a]) * m_dz[k];
    const double g = lateral(k, a, a);
    const double g_up = Top ? 0.0 : vertical(k - 1, a, a);
    const double g_down = Bottom ? 0.0 : vertical(k, a, a);
    const double g_top = top(a);
    const double g_bottom = bottom(a);
    const auto cell = [&](std::size_t i, double xw, double xe) {
      const double xc = here[i];
      double sum = mass * xc;
      if constexpr (Top) sum += g_top * xc;
      if constexpr (Bottom) sum += g_bottom * xc;
      double in = g * (xw - xc);
      in += g * (xe - xc);
      in += g * (static_cast<double>(south[i]) - xc);
      in += g * (static_cast<double>(north[i]) - xc);
      if constexpr (!Top) in += g_up * (static_cast<double>(up[i]) - xc);
      if constexpr (!Bottom) in += g_down * (static_cast<double>(down[i]) - xc);
      return sum - in;
    };
    out[0] = cell(0, static_cast<double>(here[nx - 1]), static_cast<double>(here[1 % nx]));
    for (std::size_t i = 1; i + 1 < nx; ++i) {
      out[i] = cell(i, static_cast<double>(here[i - 1]), static_cast<double>(here[i + 1]));
    }
    if (nx > 1) {
      out[nx - 1] = cell(nx - 1, static_cast<double>(here[nx - 2]), static_cast<double>(here[0]));
    }
  }

  struct Row {
    const std::uint8_t* here;
    const std::uint8_t* south;
    const std::uint8_t* north;
    const std::uint8_t* up;    // valid for k > 0
    const std::uint8_t* down;  // valid for k + 1 < nz
  };

  Row row_ids(std::size_t j, std::size_t k) const {
    const std::uint8_t* layer = m_ids + k * plane;
    const std::uint8_t* here = layer + j * nx;
    return {here, layer + ((j + ny - 1) % ny) * nx, layer + ((j + 1) % ny) * nx,
            k > 0 ? here - plane : nullptr, k + 1 < nz ? here + plane : nullptr};
  }
  /// Σ g·(x_nb − x_c) over the faces of cell (i, j, k) to the cells beside, above and below it
  /// (not the top and bottom boundaries).
  template <class Real>
  double inflow_from_neighbours(const Row& row, std::size_t j, std::size_t k, std::size_t i,
                                const Real* x) const {
    const std::size_t layer = k * plane;
    const Real* here = x + layer + j * nx;
    const Real* south = x + layer + ((j + ny - 1) % ny) * nx;
    const Real* north = x + layer + ((j + 1) % ny) * nx;
    const std::uint8_t a = row.here[i];
    const double xc = here[i];
    const std::size_t w = west(i);
    const std::size_t e = east(i);
    double in = lateral(k, a, row.here[w]) * (static_cast<double>(here[w]) - xc);
    in += lateral(k, a, row.here[e]) * (static_cast<double>(here[e]) - xc);
    in += lateral(k, a, row.south[i]) * (static_cast<double>(south[i]) - xc);
    in += lateral(k, a, row.north[i]) * (static_cast<double>(north[i]) - xc);
    if (k > 0) {
      in += vertical(k - 1, row.up[i], a) * (static_cast<double>(here[i - plane]) - xc);
    }
    if (k + 1 < nz) {
      in += vertical(k, a, row.down[i]) * (static_cast<double>(here[i + plane]) - xc);
    }
    return in;
  }

  std::size_t west(std::size_t i) const { return i == 0 ? nx - 1 : i - 1; }
  std::size_t east(std::size_t i) const { return i + 1 == nx ? 0 : i + 1; }
  /// Lateral face in layer k between materials a and b.
  double lateral(std::size_t k, std::uint8_t a, std::uint8_t b) const {
    return m_lateral[(k * m_count + a) * m_count + b];
  }
  /// Face between layer k (material a) and layer k + 1 (material b).
  double vertical(std::size_t k, std::uint8_t a, std::uint8_t b) const {
    return m_vertical[(k * m_count + a) * m_count + b];
  }
  double top(std::uint8_t a) const { return m_top[a]; }
  double bottom(std::uint8_t a) const { return m_bottom[a]; }

  const std::uint8_t* m_ids;
  std::array<double, k_max_materials> m_inv_kappa{};
  std::array<double, k_max_materials> m_storage_per_dt{};
  std::array<double, k_max_materials> m_sink{};
  std::array<double, k_max_materials> m_inv_top{};
  std::array<double, k_max_materials> m_top{};
  std::array<double, k_max_materials> m_bottom{};
  double m_inv_bottom = 0;
  double m_outside = 0;
  std::size_t m_count = 0;
  std::vector<double> m_dz;
  std::vector<double> m_lateral;          // [k][a][b]
  std::vector<double> m_vertical;         // [k][a][b], the face below layer k
  std::vector<int> m_uniform;             // [k][j], see uniform()
  std::vector<std::uint8_t> m_reference;  // [k], see find_plain_columns()
  std::vector<std::uint8_t> m_plain;      // [j][i]
  std::size_t m_plain_count = 0;
  std::vector<double> m_plain_inverse;  // [k]
  std::vector<double> m_plain_upper;    // [k]
  std::vector<double> m_plain_above;    // [k]
};

/// The aggregates of the coarse level: blocks of `side` × `side` columns (the last block in x
/// or y takes what is left), mx × my of them per plane.
struct CoarseGrid {
  CoarseGrid(std::size_t nx, std::size_t ny, std::size_t side)
      : mx((nx + side - 1) / side), my((ny + side - 1) / side), block_of_i(nx), block_of_j(ny) {
    for (std::size_t i = 0; i < nx; ++i) block_of_i[i] = static_cast<std::uint32_t>(i / side);
    for (std::size_t j = 0; j < ny; ++j) block_of_j[j] = static_cast<std::uint32_t>(j / side);
  }
  std::size_t mx;
  std::size_t my;
  std::vector<std::uint32_t> block_of_i;
  std::vector<std::uint32_t> block_of_j;
};

/// z = P⁻¹ r on the columns of vertical plane j (P: the column tridiagonal blocks of M + A),
/// handing each value to `use(cell, z, k, i)`.
template <class Use>
void solve_columns(const Stencil& s, std::size_t j, const double* r, ColumnScratch& scratch,
                   Use&& use) {
  const std::uint8_t* plain = s.plain_row(j);
  for (std::size_t i0 = 0; i0 < s.nx; i0 += k_lanes) {
    const std::size_t w = std::min(k_lanes, s.nx - i0);
    // Runs of plain columns (tabulated factors) and of the others (computed per cell).
    const auto plain_at = [&](std::size_t l) { return plain != nullptr && plain[i0 + l] != 0; };
    std::size_t runs = 0;
    for (std::size_t l = 0; l < w;) {
      std::size_t end = l + 1;
      while (end < w && plain_at(end) == plain_at(l)) ++end;
      scratch.runs[runs++] = {l, end, plain_at(l)};
      l = end;
    }
    double* above = scratch.above.data();
    std::fill_n(above, w, 0.0);
    for (std::size_t k = 0; k < s.nz; ++k) {
      const double* rk = r + k * s.plane + j * s.nx + i0;
      double* e = scratch.upper.data() + k * k_lanes;
      double* y = scratch.solution.data() + k * k_lanes;
      const double* e_prev = k > 0 ? e - k_lanes : e;
      const double* y_prev = k > 0 ? y - k_lanes : y;
      for (std::size_t run = 0; run < runs; ++run) {
        const auto [begin, end, is_plain] = scratch.runs[run];
        if (is_plain) {
          // The general expressions below with the tabulated values (+ 0.0 at the top, as
          // there: it turns −0 into +0).
          const double inverse = s.plain_inverse(k);
          const double plain_above = s.plain_above(k);
          const double upper = s.plain_upper(k);
          for (std::size_t l = begin; l < end; ++l) {
            e[l] = upper;
            y[l] = (rk[l] + (k > 0 ? plain_above * y_prev[l] : 0.0)) * inverse;
          }
          continue;
        }
        s.diagonal_row(j, k, i0 + begin, end - begin, scratch.diagonal.data() + begin,
                       scratch.below.data() + begin);
        for (std::size_t l = begin; l < end; ++l) {
          const double pivot = scratch.diagonal[l] - (k > 0 ? above[l] * e_prev[l] : 0.0);
          const double inverse = 1.0 / pivot;  // one division, not two
          e[l] = scratch.below[l] * inverse;
          y[l] = (rk[l] + (k > 0 ? above[l] * y_prev[l] : 0.0)) * inverse;
          above[l] = scratch.below[l];
        }
      }
    }
    for (std::size_t k = s.nz; k-- > 0;) {
      const double* e = scratch.upper.data() + k * k_lanes;
      double* y = scratch.solution.data() + k * k_lanes;
      const std::size_t base = k * s.plane + j * s.nx + i0;
      for (std::size_t l = 0; l < w; ++l) {
        if (k + 1 < s.nz) y[l] += e[l] * y[l + k_lanes];
        use(base + l, y[l], k, i0 + l);
      }
    }
  }
}

/// The coarse half of the preconditioner: the exact solve of the aggregation operator
/// R (M + A) Rᵀ, one unknown per aggregate (a block of B × B columns within one horizontal
/// plane), coupled to its four lateral neighbours and the aggregates above and below. Block
/// Jacobi by columns alone sees an error that is smooth across many columns through a diagonal
/// swollen by the lateral faces and removes it only slowly, in a number of iterations that
/// grows with the lateral scale over the voxel (the distance between channels); this correction
/// (additive two-level, still symmetric positive definite) removes what is smooth across B
/// columns. B = nx gives one aggregate per plane: the plane means.
///
/// Numbered bx + mx·(by + my·k), plane by plane, and factored in that order (no fill-reducing
/// permutation), so the factor stays within the band of mx·my and its size is known beforehand
/// (coarse_bytes). A sequential sparse LDLᵀ: the same bits for any number of threads.
class AggregationCorrection {
 public:
  AggregationCorrection(const Stencil& s, const CoarseGrid& grid, bool parallel) {
    const std::size_t per_plane = grid.mx * grid.my;
    const std::size_t n = per_plane * s.nz;
    std::vector<double> mass(n);
    std::vector<double> east(n);
    std::vector<double> north(n);
    std::vector<double> down(n);
#pragma omp parallel for schedule(static) if (parallel)
    for (std::size_t k = 0; k < s.nz; ++k) {
      const std::size_t o = k * per_plane;
      s.coarse_plane(k, grid.block_of_i.data(), grid.block_of_j.data(), grid.mx, &mass[o], &east[o],
                     &north[o], &down[o]);
    }
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(7 * n);
    const auto couple = [&entries](std::size_t a, std::size_t b, double g) {
      entries.emplace_back(static_cast<int>(a), static_cast<int>(b), -g);
      entries.emplace_back(static_cast<int>(b), static_cast<int>(a), -g);
      entries.emplace_back(static_cast<int>(a), static_cast<int>(a), g);
      entries.emplace_back(static_cast<int>(b), static_cast<int>(b), g);
    };
    for (std::size_t k = 0; k < s.nz; ++k) {
      for (std::size_t by = 0; by < grid.my; ++by) {
        for (std::size_t bx = 0; bx < grid.mx; ++bx) {
          const std::size_t c = bx + grid.mx * (by + grid.my * k);
          entries.emplace_back(static_cast<int>(c), static_cast<int>(c), mass[c]);
          // With one block across, the periodic faces are inside the aggregate: none cross.
          if (grid.mx > 1) couple(c, c - bx + (bx + 1) % grid.mx, east[c]);
          if (grid.my > 1) couple(c, c + grid.mx * ((by + 1) % grid.my) - grid.mx * by, north[c]);
          if (k + 1 < s.nz) couple(c, c + per_plane, down[c]);
        }
      }
    }
    Eigen::SparseMatrix<double> matrix(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    matrix.setFromTriplets(entries.begin(), entries.end());
    m_factor.compute(matrix);
    if (m_factor.info() != Eigen::Success) {
      throw std::runtime_error("Diffusion3dImplicit: the coarse operator could not be factored");
    }
    m_rhs.resize(static_cast<Eigen::Index>(n));
  }

  /// The correction per aggregate for aggregate sums `rhs` (overwritten).
  void solve(std::vector<double>& rhs) {
    std::copy(rhs.begin(), rhs.end(), m_rhs.data());
    m_rhs = m_factor.solve(m_rhs);
    std::copy(m_rhs.data(), m_rhs.data() + m_rhs.size(), rhs.begin());
  }

 private:
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::NaturalOrdering<int>>
      m_factor;
  Eigen::VectorXd m_rhs;
};

}  // namespace

Diffusion3dImplicit::Diffusion3dImplicit(Grid3d grid, std::vector<Material> materials,
                                         Diffusion3dBoundary boundary)
    : m_grid(std::move(grid)),
      m_u(m_grid.size(), 0.0),
      m_residual(m_grid.size(), 0.0),
      m_direction(m_grid.size(), 0.0F),
      m_ids(m_grid.size(), 0) {
  set_materials(std::move(materials));
  set_boundary(boundary);
}

void Diffusion3dImplicit::set_materials(std::vector<Material> materials) {
  validate_materials(materials);
  m_materials = std::move(materials);
}

void Diffusion3dImplicit::set_boundary(const Diffusion3dBoundary& boundary) {
  if (!std::isfinite(boundary.top_transfer_m_s) || boundary.top_transfer_m_s < 0 ||
      !std::isfinite(boundary.outside_potential)) {
    throw std::invalid_argument(
        "Diffusion3dImplicit: the top transfer coefficient must be finite and non-negative and "
        "the outside potential finite");
  }
  m_boundary = boundary;
}

StepBalance Diffusion3dImplicit::step(double dt_s) {
  if (!std::isfinite(dt_s) || dt_s <= 0) {
    throw std::invalid_argument("Diffusion3dImplicit: the time step must be positive, got " +
                                std::to_string(dt_s));
  }
  assert(detail::outside_inactive_parallel_regions() &&
         "a kernel step inside an inactive OpenMP region starts fresh threads for each region");
  validate_material_ids(m_ids, m_materials.size());
  const Stencil s(m_grid, m_materials, m_boundary, m_ids.data(), dt_s, m_plain_columns);
  m_plain_fraction = s.plain_fraction();
  const std::size_t ny = s.ny;
  const std::size_t nx = s.nx;
  const std::size_t nz = s.nz;
  const bool parallel = m_grid.size() >= detail::k_min_parallel_voxels;
  const CoarseGrid coarse_grid(nx, ny, coarse_block_side());
  AggregationCorrection coarse(s, coarse_grid, parallel);
  const std::size_t mx = coarse_grid.mx;
  const std::size_t per_plane = mx * coarse_grid.my;
  const std::uint32_t* block_of_i = coarse_grid.block_of_i.data();
  const std::uint32_t* block_of_j = coarse_grid.block_of_j.data();
  double* u = m_u.data();
  double* r = m_residual.data();
  float* p = m_direction.data();
  // Per vertical plane j: r·z of its cells, and the sums of r over each row (j, k) of each block
  // column bx.
  std::vector<double> rz_of(ny);
  std::vector<double> row_sums(ny * nz * mx);
  std::vector<double> correction(per_plane * nz);
  std::vector<double> r_sums(per_plane * nz);
  // Sums in plane order, so the results are the same for any number of threads.
  const auto coarse_sums = [&] {
    std::fill(correction.begin(), correction.end(), 0.0);
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t k = 0; k < nz; ++k) {
        double* to = &correction[mx * (block_of_j[j] + coarse_grid.my * k)];
        const double* from = &row_sums[(j * nz + k) * mx];
        for (std::size_t bx = 0; bx < mx; ++bx) to[bx] += from[bx];
      }
    }
    r_sums = correction;
    coarse.solve(correction);
    double rz = 0;
    for (std::size_t j = 0; j < ny; ++j) rz += rz_of[j];
    for (std::size_t c = 0; c < correction.size(); ++c) rz += correction[c] * r_sums[c];
    return rz;
  };
  const auto sum_rows = [&](std::size_t j) {
    for (std::size_t k = 0; k < nz; ++k) {
      const double* rk = r + k * s.plane + j * nx;
      double* sums = &row_sums[(j * nz + k) * mx];
      std::fill_n(sums, mx, 0.0);
      for (std::size_t i = 0; i < nx; ++i) sums[block_of_i[i]] += rk[i];
    }
  };
  // The coarse correction of cell i of row (j, k).
  const auto correction_at = [&](std::size_t j, std::size_t k, std::size_t i) {
    return correction[block_of_i[i] + mx * (block_of_j[j] + coarse_grid.my * k)];
  };

  // r = F(u), then scaled by a power of two to a largest |r| in [1, 2): p is stored in float,
  // and a field that has decayed far (1e-44 after a day of clearance) would otherwise leave
  // p·Ap at zero and the step at NaN. A power of two scales every product exactly, so the
  // arithmetic is otherwise the same bits; u takes alpha·scale·p.
  std::vector<double> largest_of(ny, 0.0);
#pragma omp parallel if (parallel)
  {
    const detail::FlushSubnormals flush;
#pragma omp for schedule(static)
    for (std::size_t j = 0; j < ny; ++j) {
      double largest = 0;
      for (std::size_t k = 0; k < nz; ++k) {
        double* rk = r + k * s.plane + j * nx;
        s.flux_row(j, k, u, rk);
        for (std::size_t i = 0; i < nx; ++i) largest = std::max(largest, std::abs(rk[i]));
      }
      largest_of[j] = largest;
    }
  }
  const double largest = *std::max_element(largest_of.begin(), largest_of.end());
  // Not below the smallest normal double: 2^−exponent would overflow (and r·z flushes there,
  // so the iterations do not start).
  const int exponent = largest >= std::numeric_limits<double>::min() && std::isfinite(largest)
                           ? std::ilogb(largest)
                           : 0;
  const double scale = std::ldexp(1.0, exponent);
  const double inverse_scale = std::ldexp(1.0, -exponent);
  // z = P⁻¹ r (columns, then the coarse correction), p = z.
#pragma omp parallel if (parallel)
  {
    const detail::FlushSubnormals flush;
    ColumnScratch scratch(nz);
#pragma omp for schedule(static)
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t k = 0; k < nz; ++k) {
        double* rk = r + k * s.plane + j * nx;
        for (std::size_t i = 0; i < nx; ++i) rk[i] *= inverse_scale;
      }
      sum_rows(j);
      double rz = 0;
      solve_columns(s, j, r, scratch, [&](std::size_t c, double z, std::size_t, std::size_t) {
        p[c] = static_cast<float>(z);
        rz += r[c] * z;
      });
      rz_of[j] = rz;
    }
  }
  double rz = coarse_sums();
#pragma omp parallel for schedule(static) if (parallel)
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t k = 0; k < nz; ++k) {
      float* row = p + k * s.plane + j * nx;
      for (std::size_t i = 0; i < nx; ++i) {
        row[i] = static_cast<float>(static_cast<double>(row[i]) + correction_at(j, k, i));
      }
    }
  }
  const double stop = m_tolerance * m_tolerance * rz;
  m_iterations = 0;
  while (rz > stop && rz > 0) {
    if (m_iterations == k_max_iterations) {
      throw std::runtime_error("Diffusion3dImplicit: conjugate gradients did not converge in " +
                               std::to_string(k_max_iterations) + " iterations");
    }
    ++m_iterations;
#pragma omp parallel if (parallel)
    {
      const detail::FlushSubnormals flush;
      std::vector<double> q(nx);
#pragma omp for schedule(static)
      for (std::size_t j = 0; j < ny; ++j) {
        double pq = 0;
        for (std::size_t k = 0; k < nz; ++k) {
          s.apply_row(j, k, p, q.data());
          const float* pk = p + k * s.plane + j * nx;
          for (std::size_t i = 0; i < nx; ++i) pq += static_cast<double>(pk[i]) * q[i];
        }
        rz_of[j] = pq;
      }
    }
    double pq = 0;
    for (std::size_t j = 0; j < ny; ++j) pq += rz_of[j];
    const double alpha = rz / pq;
    const double alpha_u = alpha * scale;
#pragma omp parallel if (parallel)
    {
      const detail::FlushSubnormals flush;
      std::vector<double> q(nx);
      ColumnScratch scratch(nz);
#pragma omp for schedule(static)
      for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t k = 0; k < nz; ++k) {
          s.apply_row(j, k, p, q.data());
          const std::size_t base = k * s.plane + j * nx;
          for (std::size_t i = 0; i < nx; ++i) {
            u[base + i] += alpha_u * static_cast<double>(p[base + i]);
            r[base + i] -= alpha * q[i];
          }
        }
        sum_rows(j);
        double rz_plane = 0;
        solve_columns(s, j, r, scratch, [&](std::size_t c, double z, std::size_t, std::size_t) {
          rz_plane += r[c] * z;
        });
        rz_of[j] = rz_plane;
      }
    }
    const double rz_next = coarse_sums();
    if (rz_next <= stop) break;
    const double beta = rz_next / rz;
    rz = rz_next;
#pragma omp parallel if (parallel)
    {
      const detail::FlushSubnormals flush;
      ColumnScratch scratch(nz);
#pragma omp for schedule(static)
      for (std::size_t j = 0; j < ny; ++j) {
        solve_columns(s, j, r, scratch, [&](std::size_t c, double z, std::size_t k, std::size_t i) {
          const double with_coarse = z + correction_at(j, k, i);
          p[c] = static_cast<float>(with_coarse + beta * static_cast<double>(p[c]));
        });
      }
    }
  }
  m_total_iterations += static_cast<std::uint64_t>(m_iterations);

  std::vector<StepBalance> planes(ny);
#pragma omp parallel for schedule(static) if (parallel)
  for (std::size_t j = 0; j < ny; ++j) planes[j] = s.rates_of_plane(j, u);
  StepBalance balance;
  for (const StepBalance& plane : planes) balance += plane;
  const double per_rate = dt_s * m_grid.column_area_m2();
  balance.entered_top *= per_rate;
  balance.left_bottom *= per_rate;
  balance.removed_sink *= per_rate;
  return balance;
}

std::size_t Diffusion3dImplicit::coarse_block_side() const {
  return m_coarse_side > 0 ? m_coarse_side
                           : implicit_coarse_block_side(m_grid.nx(), m_grid.ny(), m_grid.nz());
}

double Diffusion3dImplicit::amount() const {
  double total = 0;
  for (std::size_t k = 0; k < m_grid.nz(); ++k) {
    double layer = 0;
    for (std::size_t c = k * m_grid.plane_size(); c < (k + 1) * m_grid.plane_size(); ++c) {
      layer += m_materials[m_ids[c]].storage * m_u[c];
    }
    total += layer * m_grid.cell_volume_m3(k);
  }
  return total;
}

std::size_t Diffusion3dImplicit::allocated_bytes() const {
  return m_u.size() * (2 * sizeof(double) + sizeof(float) + 1) +
         m_materials.size() * sizeof(Material);
}

namespace {

/// Bytes of the coarse level with mx × my aggregates per plane over nz planes: the factor
/// within its band of mx·my (values and row indices), the assembly (triplets and matrix) and
/// the per-aggregate vectors.
std::size_t coarse_bytes(std::size_t mx, std::size_t my, std::size_t nz) {
  const std::size_t band = mx * my;
  const std::size_t unknowns = band * nz;
  const std::size_t factor = unknowns * (band + 2) * (sizeof(double) + sizeof(int));
  const std::size_t assembly = unknowns * (13 * sizeof(Eigen::Triplet<double>) +
                                           7 * (sizeof(double) + sizeof(int)) + sizeof(int));
  return factor + assembly + unknowns * 7 * sizeof(double);
}

std::size_t blocks(std::size_t n, std::size_t side) {
  return (n + side - 1) / side;
}

/// diffusion3d_implicit_bytes with aggregates of `side` columns.
std::size_t bytes_with_side(std::size_t nx, std::size_t ny, std::size_t nz, std::size_t threads,
                            std::size_t side) {
  const std::size_t mx = blocks(nx, side);
  const std::size_t my = blocks(ny, side);
  const std::size_t per_thread = 2 * nz * k_lanes * sizeof(double) + nx * sizeof(double);
  // Per-plane sums, the per-row sums of each block column, the stencil's uniform-row marks
  // (two int arrays of one entry per row) and plain-column marks (two bytes per column, three
  // reals and a byte per layer).
  const std::size_t sums = (ny + ny * nz * mx) * sizeof(double) + 2 * ny * nz * sizeof(int) +
                           2 * nx * ny + nz * (3 * sizeof(double) + 1);
  return nx * ny * nz * (2 * sizeof(double) + sizeof(float) + 1) + sums + coarse_bytes(mx, my, nz) +
         threads * per_thread;
}

}  // namespace

std::size_t implicit_coarse_block_side(std::size_t nx, std::size_t ny, std::size_t nz) {
  // The smallest aggregates (the most coarse unknowns, the fewest iterations) for which the
  // whole kernel stays within k_bytes_per_voxel: the banded factor grows as (mx·my)² per plane.
  const double budget = k_bytes_per_voxel * static_cast<double>(nx * ny * nz);
  const std::size_t widest = std::max(nx, ny);
  for (std::size_t side = 1; side < widest; ++side) {
    if (static_cast<double>(bytes_with_side(nx, ny, nz, 2, side)) <= budget) return side;
  }
  return widest;
}

std::size_t diffusion3d_implicit_bytes(std::size_t nx, std::size_t ny, std::size_t nz,
                                       std::size_t threads) {
  return bytes_with_side(nx, ny, nz, threads, implicit_coarse_block_side(nx, ny, nz));
}

}  // namespace citsim::numerics
