// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d.hpp"

#include <omp.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace citsim::numerics {

template <class Real>
Diffusion3d<Real>::Diffusion3d(Grid3d grid, std::vector<Material> materials,
                               Diffusion3dBoundary boundary, Splitting splitting)
    : m_grid(std::move(grid)),
      m_boundary(boundary),
      m_splitting(splitting),
      m_u(m_grid.size(), Real(0)),
      m_ids(m_grid.size(), 0),
      m_plane_balance(m_grid.ny()) {
  for (std::size_t k = 0; k < m_grid.nz(); ++k) {
    m_dz_m.push_back(static_cast<Real>(m_grid.dz_m(k)));
    m_half_dz_m.push_back(static_cast<Real>(0.5 * m_grid.dz_m(k)));
  }
  set_materials(std::move(materials));
}

template <class Real>
void Diffusion3d<Real>::set_materials(std::vector<Material> materials) {
  validate_materials(materials);
  m_materials = std::move(materials);
  m_coefficients.assign(m_materials, m_boundary);
}

template <class Real>
void Diffusion3d<Real>::set_boundary(const Diffusion3dBoundary& boundary) {
  if (!std::isfinite(boundary.top_transfer_m_s) || boundary.top_transfer_m_s < 0 ||
      !std::isfinite(boundary.outside_potential)) {
    throw std::invalid_argument(
        "Diffusion3d: the top transfer coefficient must be finite and "
        "non-negative and the outside potential finite");
  }
  m_boundary = boundary;
  m_coefficients.assign(m_materials, m_boundary);
}

template <class Real>
void Diffusion3d<Real>::ensure_scratch(std::size_t threads) {
  const detail::ScratchSizes sizes =
      detail::scratch_sizes(m_grid.nx(), m_grid.ny(), m_grid.nz(), sizeof(Real));
  while (m_scratch.size() < threads) m_scratch.emplace_back(sizes);
}

template <class Real>
void Diffusion3d<Real>::sweep_xy(Real dt_s, bool x_first) {
  const std::size_t nx = m_grid.nx();
  const std::size_t ny = m_grid.ny();
  const std::size_t nz = m_grid.nz();
  const Real c = dt_s / static_cast<Real>(m_grid.column_area_m2());
  Real* u = m_u.data();
  const std::uint8_t* ids = m_ids.data();
#pragma omp parallel if (m_grid.size() >= detail::k_min_parallel_voxels)
  {
    const detail::FlushSubnormals flush;
    auto& scratch = m_scratch[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
    for (std::size_t k = 0; k < nz; ++k) {
      Real* plane = u + k * nx * ny;
      const std::uint8_t* plane_ids = ids + k * nx * ny;
      if (x_first) {
        detail::sweep_x_plane(nx, ny, plane, plane_ids, m_coefficients, c, scratch);
        detail::sweep_y_plane(nx, ny, plane, plane_ids, m_coefficients, c, scratch);
      } else {
        detail::sweep_y_plane(nx, ny, plane, plane_ids, m_coefficients, c, scratch);
        detail::sweep_x_plane(nx, ny, plane, plane_ids, m_coefficients, c, scratch);
      }
    }
  }
}

template <class Real>
StepBalance Diffusion3d<Real>::sweep_z(Real dt_s, int repeats) {
  const std::size_t nx = m_grid.nx();
  const std::size_t ny = m_grid.ny();
  detail::ZSweep<Real> z;
  z.nx = nx;
  z.ny = ny;
  z.dz_m = m_dz_m;
  z.dt_s = dt_s;
  z.outside_potential = static_cast<Real>(m_boundary.outside_potential);
  Real* u = m_u.data();
  const std::uint8_t* ids = m_ids.data();
#pragma omp parallel if (m_grid.size() >= detail::k_min_parallel_voxels)
  {
    const detail::FlushSubnormals flush;
    auto& scratch = m_scratch[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
    for (std::size_t j = 0; j < ny; ++j) {
      StepBalance plane;
      for (int r = 0; r < repeats; ++r) {
        plane += detail::sweep_z_plane(z, u + j * nx, ids + j * nx, m_coefficients, scratch);
      }
      m_plane_balance[j] = plane;
    }
  }
  // Summed in plane order, so the total does not depend on the number of threads either.
  StepBalance total;
  for (const StepBalance& plane : m_plane_balance) total += plane;
  const double area = m_grid.column_area_m2();
  total.entered_top *= area;
  total.left_bottom *= area;
  total.removed_sink *= area;
  return total;
}

template <class Real>
StepBalance Diffusion3d<Real>::step(double dt_s) {
  if (!std::isfinite(dt_s) || dt_s <= 0) {
    throw std::invalid_argument("Diffusion3d: the time step must be positive, got " +
                                std::to_string(dt_s));
  }
  ensure_scratch(static_cast<std::size_t>(omp_get_max_threads()));
  const Real inv_bottom = m_boundary.bottom == BottomBoundary::zero_potential
                              ? Real(0)
                              : std::numeric_limits<Real>::infinity();
  const auto tabulate = [&](Real dt) {
    m_coefficients.set_step(dt, dt / static_cast<Real>(m_grid.column_area_m2()), m_half_dz_m,
                            inv_bottom);
  };
  if (m_splitting == Splitting::lod) {
    const auto dt = static_cast<Real>(dt_s);
    tabulate(dt);
    sweep_xy(dt, true);
    return sweep_z(dt, 1);
  }
  const auto half = static_cast<Real>(0.5 * dt_s);
  tabulate(half);
  sweep_xy(half, true);
  const StepBalance balance = sweep_z(half, 2);
  sweep_xy(half, false);
  return balance;
}

template <class Real>
double Diffusion3d<Real>::amount() const {
  const std::size_t plane = m_grid.plane_size();
  double total = 0;
  for (std::size_t k = 0; k < m_grid.nz(); ++k) {
    double layer = 0;
    for (std::size_t c = k * plane; c < (k + 1) * plane; ++c) {
      layer += static_cast<double>(m_coefficients.storage[m_ids[c]]) * static_cast<double>(m_u[c]);
    }
    total += layer * m_grid.cell_volume_m3(k);
  }
  return total;
}

template <class Real>
std::size_t Diffusion3d<Real>::allocated_bytes() const {
  std::size_t bytes = m_u.size() * sizeof(Real) + m_ids.size() + m_coefficients.bytes() +
                      (m_dz_m.size() + m_half_dz_m.size()) * sizeof(Real) +
                      m_plane_balance.size() * sizeof(StepBalance);
  for (const auto& scratch : m_scratch) bytes += scratch.bytes();
  return bytes;
}

template class Diffusion3d<float>;
template class Diffusion3d<double>;

}  // namespace citsim::numerics
