// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "citsim/numerics/cache_aligned.hpp"
#include "citsim/numerics/diffusion3d_problem.hpp"
#include "citsim/numerics/grid3d.hpp"

namespace citsim::numerics {

/// Backward Euler on the whole 7-point system of s ∂u/∂t = ∇·(kappa ∇u) − k_sink s u: the same
/// grid, materials, boundaries and conductances as Diffusion3d, without its splitting error.
/// That error is large where a fast channel lumen sits in slow tissue (docs/model.md,
/// "The voxel3d fidelity"), and it does not vanish at steady state; backward Euler's does.
///
/// Each step solves (M + A) u' = M u + b, symmetric positive definite in amount units, by
/// conjugate gradients with a two-level additive preconditioner: exact tridiagonal solves along
/// each vertical column (block Jacobi by columns: the thin stratum-corneum cells couple
/// vertically far more strongly than laterally) plus the exact solve of the aggregation
/// operator R (M + A) Rᵀ, one unknown per block of B × B columns in each plane (B from
/// implicit_coarse_block_side; B ≥ nx gives the plane means), which removes the error that is
/// smooth across many columns and that the column blocks alone remove only slowly. The first
/// guess is the old field, so the first residual is the explicit flux F(u).
///
/// Memory: the field and the residual in double, the search direction in float (it only steers
/// the iteration: the field and residual are updated consistently in double from the same
/// values), the material ids: 21 bytes per voxel; the coarse level is sized so that the total,
/// sums and scratch included, stays within 24 (implicit_coarse_block_side). The preconditioned
/// residual and A·p are recomputed where needed rather than stored. Lines of work are vertical
/// planes spread over OpenMP threads; sums are taken per plane and added in plane order, so the
/// results do not depend on the number of threads, bit for bit.
///
/// Mass: Σ s·u·V after − before = net of the balance + dt·Σ residual; the iteration stops when
/// the residual's norm is below `tolerance` times the first one's, so the books close to that
/// relative accuracy (1e-10 by default), not to round-off as the line sweeps do.
class Diffusion3dImplicit {
 public:
  Diffusion3dImplicit(Grid3d grid, std::vector<Material> materials,
                      Diffusion3dBoundary boundary = {});

  [[nodiscard]] const Grid3d& grid() const { return m_grid; }
  std::span<double> potential() { return m_u; }
  [[nodiscard]] std::span<const double> potential() const { return m_u; }
  std::span<std::uint8_t> material_ids() { return m_ids; }
  [[nodiscard]] std::span<const std::uint8_t> material_ids() const { return m_ids; }
  /// Nothing to refresh: every step builds its stencil from the ids as they are then.
  void materials_changed() {}
  [[nodiscard]] std::span<const Material> materials() const { return m_materials; }
  void set_materials(std::vector<Material> materials);
  void set_boundary(const Diffusion3dBoundary& boundary);

  /// Relative residual (preconditioned norm) at which CG stops; default 1e-10.
  void set_tolerance(double relative) { m_tolerance = relative; }
  /// Side B (in columns) of the coarse level's aggregates, B × B columns within one plane; 0 (the
  /// default) takes implicit_coarse_block_side of the grid. B ≥ nx gives the plane means.
  void set_coarse_block_side(std::size_t side) { m_coarse_side = side; }
  [[nodiscard]] std::size_t coarse_block_side() const;
  /// Whether columns away from the channels take their tabulated factors (default true); false
  /// solves every column in full. Results are the same bits; for tests and benchmarks.
  void set_plain_columns(bool enabled) { m_plain_columns = enabled; }
  /// The fraction of columns that were plain in the last step (0 when switched off).
  [[nodiscard]] double last_plain_fraction() const { return m_plain_fraction; }
  /// CG iterations of the last step, and of all steps so far.
  [[nodiscard]] int last_iterations() const { return m_iterations; }
  [[nodiscard]] std::uint64_t total_iterations() const { return m_total_iterations; }

  /// Advances by dt (s, > 0); returns what crossed the boundaries and what the sinks removed,
  /// from the new values. Throws std::runtime_error when CG does not converge.
  StepBalance step(double dt_s);
  [[nodiscard]] double amount() const;

  /// Bytes held between steps (field, residual, direction, ids, material table); a step adds
  /// the rest of diffusion3d_implicit_bytes (sums, coarse level, thread scratch) while it runs.
  [[nodiscard]] std::size_t allocated_bytes() const;

 private:
  Grid3d m_grid;
  std::vector<Material> m_materials;
  Diffusion3dBoundary m_boundary;
  CacheAlignedVector<double> m_u;
  CacheAlignedVector<double> m_residual;
  CacheAlignedVector<float> m_direction;
  std::vector<std::uint8_t> m_ids;
  double m_tolerance = 1e-10;
  std::size_t m_coarse_side = 0;
  bool m_plain_columns = true;
  double m_plain_fraction = 0;
  int m_iterations = 0;
  std::uint64_t m_total_iterations = 0;
};

/// The coarse level's aggregate side (columns) for a grid of nx × ny × nz cells: the smallest
/// for which the whole kernel, coarse level included (its banded factor grows as (mx·my)² per
/// plane), stays within 24 bytes per voxel. Grids too small for that (under about 40 columns,
/// where fixed scratch alone passes 24 bytes a voxel) get one aggregate per plane (the plane
/// means).
std::size_t implicit_coarse_block_side(std::size_t nx, std::size_t ny, std::size_t nz);

/// Bytes a Diffusion3dImplicit of nx × ny × nz cells allocates for `threads` threads.
std::size_t diffusion3d_implicit_bytes(std::size_t nx, std::size_t ny, std::size_t nz,
                                       std::size_t threads = 2);

}  // namespace citsim::numerics
