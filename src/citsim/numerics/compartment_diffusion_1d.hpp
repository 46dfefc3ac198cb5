// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace citsim::numerics {

/// Coupled diffusion in several compartments that share one non-uniform 1D grid (z down from a
/// surface), plus a well-mixed reservoir above the surface:
///
///   s_c du_c/dt = d/dz(kappa_c du_c/dz) - k_c s_c u_c + sum_c' beta_cc' (u_c' - u_c)
///   V du_r/dt   = -sum_c g_c (u_r - u_c[0])
///
/// u is a potential (a concentration in a reference phase), continuous across interfaces, so
/// that partitioning is carried by the storage coefficient s. Faces use the harmonic mean of the
/// cells' kappa over their half-widths; the bottom face is closed or held at u = 0. Backward Euler
/// in time with one sparse LU per step: unconditionally stable and conservative, so that the
/// stored amount changes only by what the sinks and the bottom remove (to round-off).
/// Only adjacent compartments (c, c + 1) exchange.
/// The sparse LU of the last step's matrix, kept so that a step whose matrix has the same
/// sparsity pattern (most of them) skips the symbolic analysis (the fill-reducing ordering),
/// which took as long as the numeric factorization. A copy starts empty.
class SparseLuCache {
 public:
  SparseLuCache();
  ~SparseLuCache();
  SparseLuCache(const SparseLuCache& /*other*/) : SparseLuCache() {}
  SparseLuCache& operator=(const SparseLuCache& other);
  SparseLuCache(SparseLuCache&&) noexcept;
  SparseLuCache& operator=(SparseLuCache&&) noexcept;

  struct Impl;
  [[nodiscard]] Impl& impl() { return *m_impl; }

 private:
  std::unique_ptr<Impl> m_impl;
};

class CompartmentDiffusion1D {
 public:
  /// `dz_m`: cell thicknesses from the surface down; `compartments`: how many share the grid.
  CompartmentDiffusion1D(std::vector<double> dz_m, std::size_t compartments);

  [[nodiscard]] std::size_t cells() const { return m_dz.size(); }
  [[nodiscard]] std::size_t compartments() const { return m_compartments; }
  [[nodiscard]] const std::vector<double>& dz_m() const { return m_dz; }

  /// Per-cell coefficients of compartment c (length cells()): storage s (-), conductivity kappa
  /// (m^2/s, already times the area fraction), first-order sink rate (1/s).
  void set_storage(std::size_t c, std::vector<double> storage);
  void set_conductivity(std::size_t c, std::vector<double> kappa_m2_s);
  void set_sink(std::size_t c, std::vector<double> rate_per_s);
  /// Exchange between compartments c and c + 1 per cell (1/s, per unit volume of skin).
  void set_exchange(std::size_t c, std::vector<double> beta_per_s);
  /// Conductance between the reservoir and the top cell of compartment c (m/s); 0 closes it.
  void set_top_conductance(std::size_t c, double g_m_s);
  /// The reservoir's volume per unit area (m); 0 holds u_r fixed (an infinite dose).
  void set_reservoir(double volume_m, double potential);
  void set_bottom_absorbing(bool absorbing) { m_bottom_absorbing = absorbing; }

  /// Changes a compartment's storage while moving its amount, not its potential: what a
  /// shrinking channel lumen holds goes to `receiver` (its potential rises accordingly).
  void resize_storage_conserving(std::size_t c, std::vector<double> storage, std::size_t receiver);
  /// Changes a compartment's storage keeping the amount it holds (its potential changes).
  void set_storage_keeping_amount(std::size_t c, std::vector<double> storage);

  /// What crossed the boundaries and the sinks during the last step (per unit area).
  struct StepFluxes {
    double from_reservoir = 0;  ///< into the compartments' top cells
    double out_bottom = 0;      ///< through the bottom face
    std::vector<double> sunk;   ///< removed by sinks, per cell (summed over compartments)
  };

  /// Advances by dt; returns the fluxes of the step.
  const StepFluxes& step(double dt_s);

  [[nodiscard]] const std::vector<double>& potential(std::size_t c) const { return m_u[c]; }
  std::vector<double>& potential(std::size_t c) { return m_u[c]; }
  [[nodiscard]] double reservoir_potential() const { return m_reservoir_u; }
  void set_reservoir_potential(double u) { m_reservoir_u = u; }
  [[nodiscard]] double reservoir_volume_m() const { return m_reservoir_volume; }
  /// Amount per unit area in compartment c between depth cells [first, last).
  [[nodiscard]] double amount(std::size_t c, std::size_t first, std::size_t last) const;
  /// Amount per unit area in every compartment and the reservoir.
  [[nodiscard]] double total_amount() const;

 private:
  [[nodiscard]] double face_conductance(std::size_t c, std::size_t k) const;

  std::vector<double> m_dz;
  std::size_t m_compartments;
  std::vector<std::vector<double>> m_storage;
  std::vector<std::vector<double>> m_kappa;
  std::vector<std::vector<double>> m_sink;
  std::vector<std::vector<double>> m_exchange;
  std::vector<double> m_top_g;
  std::vector<std::vector<double>> m_u;
  double m_reservoir_volume = 0;
  double m_reservoir_u = 0;
  bool m_bottom_absorbing = false;
  StepFluxes m_fluxes;
  SparseLuCache m_lu;
};

}  // namespace citsim::numerics
