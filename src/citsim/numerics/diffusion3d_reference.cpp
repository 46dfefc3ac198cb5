// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_reference.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace citsim::numerics {

Diffusion3dReference::Diffusion3dReference(Grid3d grid, std::vector<Material> materials,
                                           Diffusion3dBoundary boundary)
    : m_grid(std::move(grid)),
      m_boundary(boundary),
      m_u(m_grid.size(), 0.0),
      m_next(m_grid.size(), 0.0),
      m_ids(m_grid.size(), 0) {
  set_materials(std::move(materials));
}

void Diffusion3dReference::set_materials(std::vector<Material> materials) {
  validate_materials(materials);
  m_materials = std::move(materials);
}

double Diffusion3dReference::conductance(std::size_t c, std::size_t n, double area_m2,
                                         double half_c_m, double half_n_m) const {
  return area_m2 * face_conductance(half_c_m, material(c).conductivity_m2_s, half_n_m,
                                    material(n).conductivity_m2_s);
}

double Diffusion3dReference::top_conductance(std::size_t c) const {
  if (m_boundary.top != TopBoundary::exchange) return 0;
  const double h = material(c).top_exchange * m_boundary.top_transfer_m_s;
  return m_grid.column_area_m2() *
         top_exchange_conductance(h, 0.5 * m_grid.dz_m(0), material(c).conductivity_m2_s);
}

double Diffusion3dReference::bottom_conductance(std::size_t c) const {
  if (m_boundary.bottom != BottomBoundary::zero_potential) return 0;
  const double kappa = material(c).conductivity_m2_s;
  if (kappa <= 0) return 0;
  return m_grid.column_area_m2() * kappa / (0.5 * m_grid.dz_m(m_grid.nz() - 1));
}

double Diffusion3dReference::stable_time_step_s() const {
  validate_material_ids(m_ids, m_materials.size());
  const std::size_t nx = m_grid.nx();
  const std::size_t ny = m_grid.ny();
  const std::size_t nz = m_grid.nz();
  const double dx = m_grid.dx_m();
  double limit = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < nz; ++k) {
    const double dz = m_grid.dz_m(k);
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = m_grid.index(i, j, k);
        double g = 0;
        g += conductance(c, m_grid.index((i + 1) % nx, j, k), dx * dz, dx / 2, dx / 2);
        g += conductance(c, m_grid.index((i + nx - 1) % nx, j, k), dx * dz, dx / 2, dx / 2);
        g += conductance(c, m_grid.index(i, (j + 1) % ny, k), dx * dz, dx / 2, dx / 2);
        g += conductance(c, m_grid.index(i, (j + ny - 1) % ny, k), dx * dz, dx / 2, dx / 2);
        if (k > 0) {
          g += conductance(c, m_grid.index(i, j, k - 1), dx * dx, dz / 2, m_grid.dz_m(k - 1) / 2);
        } else {
          g += top_conductance(c);
        }
        if (k + 1 < nz) {
          g += conductance(c, m_grid.index(i, j, k + 1), dx * dx, dz / 2, m_grid.dz_m(k + 1) / 2);
        } else {
          g += bottom_conductance(c);
        }
        const double held = material(c).storage * m_grid.cell_volume_m3(k);
        const double loss = g + material(c).sink_rate_1_s * held;
        if (loss > 0) limit = std::min(limit, held / loss);
      }
    }
  }
  return limit;
}

StepBalance Diffusion3dReference::step(double dt_s) {
  validate_material_ids(m_ids, m_materials.size());
  const std::size_t nx = m_grid.nx();
  const std::size_t ny = m_grid.ny();
  const std::size_t nz = m_grid.nz();
  const double dx = m_grid.dx_m();
  const double u_out = m_boundary.outside_potential;
  StepBalance balance;
  for (std::size_t k = 0; k < nz; ++k) {
    const double dz = m_grid.dz_m(k);
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = m_grid.index(i, j, k);
        // Net inflow (amount/s) from the six neighbours and the boundaries.
        double inflow = 0;
        const auto exchange = [&](std::size_t n, double area, double half_c, double half_n) {
          inflow += conductance(c, n, area, half_c, half_n) * (m_u[n] - m_u[c]);
        };
        exchange(m_grid.index((i + 1) % nx, j, k), dx * dz, dx / 2, dx / 2);
        exchange(m_grid.index((i + nx - 1) % nx, j, k), dx * dz, dx / 2, dx / 2);
        exchange(m_grid.index(i, (j + 1) % ny, k), dx * dz, dx / 2, dx / 2);
        exchange(m_grid.index(i, (j + ny - 1) % ny, k), dx * dz, dx / 2, dx / 2);
        if (k > 0) {
          exchange(m_grid.index(i, j, k - 1), dx * dx, dz / 2, m_grid.dz_m(k - 1) / 2);
        } else {
          const double in = top_conductance(c) * (u_out - m_u[c]);
          inflow += in;
          balance.entered_top += in * dt_s;
        }
        if (k + 1 < nz) {
          exchange(m_grid.index(i, j, k + 1), dx * dx, dz / 2, m_grid.dz_m(k + 1) / 2);
        } else {
          const double out = bottom_conductance(c) * m_u[c];
          inflow -= out;
          balance.left_bottom += out * dt_s;
        }
        const double held = material(c).storage * m_grid.cell_volume_m3(k);
        const double sink = material(c).sink_rate_1_s * held * m_u[c];
        balance.removed_sink += sink * dt_s;
        m_next[c] = m_u[c] + dt_s * (inflow - sink) / held;
      }
    }
  }
  // Copied back, not swapped: a span from potential() must stay the field across steps
  // (voxel3d holds one and rescales the film through it while the film dries).
  std::copy(m_next.begin(), m_next.end(), m_u.begin());
  return balance;
}

double Diffusion3dReference::amount() const {
  double total = 0;
  for (std::size_t k = 0; k < m_grid.nz(); ++k) {
    for (std::size_t j = 0; j < m_grid.ny(); ++j) {
      for (std::size_t i = 0; i < m_grid.nx(); ++i) {
        const std::size_t c = m_grid.index(i, j, k);
        total += material(c).storage * m_u[c] * m_grid.cell_volume_m3(k);
      }
    }
  }
  return total;
}

}  // namespace citsim::numerics
