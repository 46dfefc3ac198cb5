// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "citsim/numerics/cache_aligned.hpp"
#include "citsim/numerics/diffusion3d_columns.hpp"
#include "citsim/numerics/diffusion3d_plane.hpp"
#include "citsim/numerics/diffusion3d_problem.hpp"
#include "citsim/numerics/diffusion3d_sweeps.hpp"
#include "citsim/numerics/grid3d.hpp"

namespace citsim::numerics {

/// How one step is split into sweeps along the axes.
enum class Splitting {
  lod,     ///< x, y, z, each a full backward Euler step (first order in time)
  strang,  ///< x, y, z, z, y, x, each half a step (symmetric splitting; still backward Euler)
};

/// Finite-volume solver of s ∂u/∂t = ∇·(kappa ∇u) − k_sink s u on a Grid3d: periodic in x and
/// y, the top exchange and bottom condition of Diffusion3dBoundary in z. Each voxel names a
/// Material by a one-byte id; coefficients come from the material table at every step, so ids
/// may change between steps (channels that close).
///
/// The scheme is locally one-dimensional backward Euler: per step an implicit sweep along x,
/// then y, then z, each a (cyclic, in x and y) tridiagonal solve per line. It is unconditionally
/// stable, keeps u ≥ 0 (each sweep's matrix is an M-matrix) and conserves Σ s·u·V exactly but for
/// the boundary and sink terms that step() reports.
///
/// A LOD step moves the field through memory twice. Pass 1 goes down the planes: the x and then
/// the y lines of a plane while it is in cache, then that plane's row of the z elimination.
/// Pass 2 goes back up with the z back substitution. The z factors come from per-class tables
/// (detail::ColumnClasses: columns with the same materials share them); each plane's rows come
/// in two fixed parts, one per thread (detail::PlaneSweep). A grid with more distinct columns
/// than detail::max_column_classes allows, or fewer than 3 cells along x or y, runs the z sweep
/// as a separate pass over vertical planes instead (as the Strang splitting always does). Work
/// is spread over OpenMP threads (grids of at least detail::k_min_parallel_voxels); each line's
/// arithmetic does not depend on the number of threads, so neither do the results, bit for
/// bit.
///
/// `Real` is float or double: the field and the line solves use it; balances are in double.
template <class Real>
class Diffusion3d {
 public:
  /// Validates the materials (std::invalid_argument); the field starts at u = 0, every voxel
  /// of material 0.
  Diffusion3d(Grid3d grid, std::vector<Material> materials, Diffusion3dBoundary boundary = {},
              Splitting splitting = Splitting::lod);

  const Grid3d& grid() const { return m_grid; }

  /// The potential u per voxel, index Grid3d::index (unit of the caller's choice).
  std::span<Real> potential() { return m_u; }
  std::span<const Real> potential() const { return m_u; }

  /// The material id per voxel; each must be below materials().size() (a voxel naming an
  /// undefined material turns the field into NaN; validate_material_ids checks beforehand).
  /// After changing ids once steps have begun, call materials_changed() before the next step.
  std::span<std::uint8_t> material_ids() { return m_ids; }
  /// Says that material ids changed: the two-pass step keeps its column classes (a pass over
  /// every id) from one step to the next until then. Debug builds check that it was called.
  void materials_changed() { m_classes_kept = false; }
  std::span<const std::uint8_t> material_ids() const { return m_ids; }

  std::span<const Material> materials() const { return m_materials; }
  /// Replaces the material table (validated; std::invalid_argument).
  void set_materials(std::vector<Material> materials);

  const Diffusion3dBoundary& boundary() const { return m_boundary; }
  void set_boundary(const Diffusion3dBoundary& boundary);
  /// u_outside for the following steps (the vehicle's potential).
  void set_outside_potential(double potential) { m_boundary.outside_potential = potential; }

  /// Whether LOD steps may take the two-pass form (default true); false always sweeps z in a
  /// pass of its own. Results agree to round-off; for comparisons and benchmarks.
  void set_two_pass(bool enabled) { m_two_pass_enabled = enabled; }
  /// Whether the last step took the two-pass form.
  bool last_step_two_pass() const { return m_last_two_pass; }

  Splitting splitting() const { return m_splitting; }
  void set_splitting(Splitting splitting) { m_splitting = splitting; }

  /// Advances by `dt_s` (s, > 0) and returns what crossed the boundaries and what the sinks
  /// removed during the step.
  StepBalance step(double dt_s);

  /// Σ s·u·V over the box (amount: unit of u × m³), summed in double.
  double amount() const;

  /// Bytes allocated now (field, ids, tables, balances, the scratch of the threads seen so
  /// far); equals diffusion3d_bytes(…, sizeof(Real), threads) once `threads` threads have run.
  std::size_t allocated_bytes() const;

 private:
  void ensure_scratch(std::size_t threads);
  void sweep_xy(Real dt_s, bool x_first);
  StepBalance sweep_z(Real dt_s, int repeats);
  /// The LOD step in two passes over memory (see step); false, with the field untouched, when
  /// the grid is too small for it or its columns have too many distinct material sequences.
  bool step_two_pass(Real dt_s, StepBalance& balance);

  Grid3d m_grid;
  std::vector<Material> m_materials;
  Diffusion3dBoundary m_boundary;
  Splitting m_splitting;
  CacheAlignedVector<Real> m_u;
  std::vector<std::uint8_t> m_ids;
  std::vector<Real> m_dz_m;
  std::vector<Real> m_half_dz_m;
  detail::MaterialCoefficients<Real> m_coefficients;
  std::vector<StepBalance> m_plane_balance;
  std::vector<detail::SweepScratch<Real>> m_scratch;
  // The two-pass step: each strip's column classes, each thread's plane sweep, what the two
  // parts of a plane hand each other, every column's class, the class shared by each (row,
  // strip) of columns, and per part and column of x the running sums of the balance.
  std::vector<detail::ColumnClasses<Real>> m_column_classes;
  std::vector<detail::PlaneSweep<Real>> m_plane_sweeps;
  std::array<detail::PlaneExchange<Real>, 2> m_exchange;  // for even and odd planes
  std::vector<std::uint32_t> m_class_of;
  std::vector<std::uint32_t> m_row_class;
  std::vector<double> m_sums;
  bool m_two_pass_enabled = true;
  bool m_last_two_pass = false;
  // The column classes of the ids as they were at the last rebuild (materials_changed).
  bool m_classes_kept = false;
  bool m_classes_fit = false;
  std::uint64_t m_classes_ids_hash = 0;  // debug builds only
};

extern template class Diffusion3d<float>;
extern template class Diffusion3d<double>;

}  // namespace citsim::numerics
