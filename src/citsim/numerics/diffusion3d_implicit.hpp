// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

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
/// vertically far more strongly than laterally) plus the exact solve of the plane-mean system
/// (one unknown per horizontal plane), which removes the laterally uniform error that the
/// column blocks alone remove only slowly. The first guess is the old field, so the first
/// residual is the explicit flux F(u).
///
/// Memory: the field and the residual in double, the search direction in float (it only steers
/// the iteration: the field and residual are updated consistently in double from the same
/// values), the material ids: 21 bytes per voxel. The preconditioned residual and A·p are
/// recomputed where needed rather than stored. Lines of work are vertical planes spread over
/// OpenMP threads; sums are taken per plane and added in plane order, so the results do not
/// depend on the number of threads, bit for bit.
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
  [[nodiscard]] std::span<const Material> materials() const { return m_materials; }
  void set_materials(std::vector<Material> materials);
  void set_boundary(const Diffusion3dBoundary& boundary);

  /// Relative residual (preconditioned norm) at which CG stops; default 1e-10.
  void set_tolerance(double relative) { m_tolerance = relative; }
  /// CG iterations of the last step, and of all steps so far.
  [[nodiscard]] int last_iterations() const { return m_iterations; }
  [[nodiscard]] std::uint64_t total_iterations() const { return m_total_iterations; }

  /// Advances by dt (s, > 0); returns what crossed the boundaries and what the sinks removed,
  /// from the new values. Throws std::runtime_error when CG does not converge.
  StepBalance step(double dt_s);
  [[nodiscard]] double amount() const;

  /// Bytes allocated (field, residual, direction, ids, tables, per-plane sums, thread scratch).
  [[nodiscard]] std::size_t allocated_bytes() const;

 private:
  Grid3d m_grid;
  std::vector<Material> m_materials;
  Diffusion3dBoundary m_boundary;
  std::vector<double> m_u;
  std::vector<double> m_residual;
  std::vector<float> m_direction;
  std::vector<std::uint8_t> m_ids;
  double m_tolerance = 1e-10;
  int m_iterations = 0;
  std::uint64_t m_total_iterations = 0;
};

/// Bytes a Diffusion3dImplicit of nx × ny × nz cells allocates for `threads` threads.
std::size_t diffusion3d_implicit_bytes(std::size_t nx, std::size_t ny, std::size_t nz,
                                       std::size_t threads = 2);

}  // namespace citsim::numerics
