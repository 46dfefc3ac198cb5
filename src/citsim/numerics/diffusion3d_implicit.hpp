// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "citsim/numerics/diffusion3d_problem.hpp"
#include "citsim/numerics/grid3d.hpp"

namespace citsim::numerics {

/// Backward Euler on the whole 7-point system of s ∂u/∂t = ∇·(kappa ∇u) − k_sink s u, solved by
/// conjugate gradients preconditioned with exact solves along each vertical column (block
/// Jacobi by columns). Same grid, materials and boundaries as Diffusion3d, but without its
/// splitting error, which is large where a fast vertical channel lumen sits in slow tissue
/// (docs/model.md §4). The system is symmetric positive definite in amount units, so CG applies.
/// Memory: the field, ids and five work vectors of doubles (about 49 bytes per voxel): a
/// validation-grade solver for modest grids. Single-threaded, so results do not depend on
/// threads.
class Diffusion3dImplicit {
 public:
  Diffusion3dImplicit(Grid3d grid, std::vector<Material> materials,
                      Diffusion3dBoundary boundary = {});

  [[nodiscard]] const Grid3d& grid() const { return m_grid; }
  std::span<double> potential() { return m_u; }
  [[nodiscard]] std::span<const double> potential() const { return m_u; }
  std::span<std::uint8_t> material_ids() { return m_ids; }
  [[nodiscard]] std::span<const Material> materials() const { return m_materials; }
  void set_materials(std::vector<Material> materials);
  void set_boundary(const Diffusion3dBoundary& boundary) { m_boundary = boundary; }

  /// Relative residual at which CG stops (default 1e-12).
  void set_tolerance(double relative) { m_tolerance = relative; }
  [[nodiscard]] int last_iterations() const { return m_iterations; }

  /// Advances by dt; returns what crossed the boundaries and what the sinks removed.
  StepBalance step(double dt_s);
  [[nodiscard]] double amount() const;

 private:
  void apply(std::span<const double> x, std::span<double> out, double dt_s) const;
  void precondition(std::span<const double> r, std::span<double> z, double dt_s) const;
  [[nodiscard]] double diagonal(std::size_t v, double dt_s) const;
  [[nodiscard]] double lateral(std::size_t a, std::size_t b) const;
  [[nodiscard]] double vertical(std::size_t upper, std::size_t k) const;
  [[nodiscard]] double top(std::size_t v) const;
  [[nodiscard]] double bottom(std::size_t v) const;
  [[nodiscard]] std::size_t neighbour(std::size_t v, int di, int dj) const;

  Grid3d m_grid;
  std::vector<Material> m_materials;
  Diffusion3dBoundary m_boundary;
  std::vector<double> m_u;
  std::vector<std::uint8_t> m_ids;
  double m_tolerance = 1e-12;
  int m_iterations = 0;
};

}  // namespace citsim::numerics
