// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "citsim/numerics/diffusion3d_problem.hpp"
#include "citsim/numerics/grid3d.hpp"

namespace citsim::numerics {

/// The plain reference for Diffusion3d: the same finite-volume discretization (grid, materials,
/// boundaries, conductances) advanced by explicit forward Euler with the 7-point stencil, in
/// double, with simple loops over cells and faces. It is the oracle that the fast solver is
/// tested against and the baseline of the benchmark, not a production solver: its step must
/// stay below stable_time_step_s().
class Diffusion3dReference {
 public:
  /// Validates the materials (std::invalid_argument); u = 0 and material 0 everywhere.
  Diffusion3dReference(Grid3d grid, std::vector<Material> materials,
                       Diffusion3dBoundary boundary = {});

  const Grid3d& grid() const { return m_grid; }
  std::span<double> potential() { return m_u; }
  std::span<const double> potential() const { return m_u; }
  std::span<std::uint8_t> material_ids() { return m_ids; }
  std::span<const std::uint8_t> material_ids() const { return m_ids; }
  std::span<const Material> materials() const { return m_materials; }
  void set_materials(std::vector<Material> materials);
  const Diffusion3dBoundary& boundary() const { return m_boundary; }
  void set_boundary(const Diffusion3dBoundary& boundary) { m_boundary = boundary; }
  void set_outside_potential(double potential) { m_boundary.outside_potential = potential; }

  /// The largest step (s) that keeps every cell's update a non-negative combination of the old
  /// values: min over cells of s·V / (Σ face conductances + k_sink·s·V), for the current ids.
  double stable_time_step_s() const;

  /// Advances by `dt_s` (s) with fluxes and sinks from the values at the start of the step; the
  /// field stays where potential() points. Throws std::invalid_argument for a material id
  /// outside the table.
  StepBalance step(double dt_s);

  /// Σ s·u·V (amount: unit of u × m³).
  double amount() const;

 private:
  /// Conductance (m³/s) between cell c and its neighbour n across a face of `area_m2`, the two
  /// cells `half_c_m` and `half_n_m` from it.
  double conductance(std::size_t c, std::size_t n, double area_m2, double half_c_m,
                     double half_n_m) const;
  /// Conductance (m³/s) between the outside and top cell c, and between bottom cell c and the
  /// bottom face (zero when that boundary is closed).
  double top_conductance(std::size_t c) const;
  double bottom_conductance(std::size_t c) const;
  const Material& material(std::size_t c) const { return m_materials[m_ids[c]]; }

  Grid3d m_grid;
  std::vector<Material> m_materials;
  Diffusion3dBoundary m_boundary;
  std::vector<double> m_u;
  std::vector<double> m_next;
  std::vector<std::uint8_t> m_ids;
};

}  // namespace citsim::numerics
