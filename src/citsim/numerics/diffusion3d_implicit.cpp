// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_implicit.hpp"

#include <cmath>
#include <stdexcept>

namespace citsim::numerics {

Diffusion3dImplicit::Diffusion3dImplicit(Grid3d grid, std::vector<Material> materials,
                                         Diffusion3dBoundary boundary)
    : m_grid(std::move(grid)),
      m_materials(std::move(materials)),
      m_boundary(boundary),
      m_u(m_grid.size(), 0.0),
      m_ids(m_grid.size(), 0) {
  validate_materials(m_materials);
}

void Diffusion3dImplicit::set_materials(std::vector<Material> materials) {
  validate_materials(materials);
  m_materials = std::move(materials);
}

std::size_t Diffusion3dImplicit::neighbour(std::size_t v, int di, int dj) const {
  const auto nx = static_cast<long>(m_grid.nx());
  const auto ny = static_cast<long>(m_grid.ny());
  const std::size_t in_plane = v % m_grid.plane_size();
  const long i = (static_cast<long>(in_plane) % nx + di + nx) % nx;
  const long j = (static_cast<long>(in_plane) / nx + dj + ny) % ny;
  return m_grid.index(static_cast<std::size_t>(i), static_cast<std::size_t>(j),
                      v / m_grid.plane_size());
}

double Diffusion3dImplicit::lateral(std::size_t a, std::size_t b) const {
  const double half = 0.5 * m_grid.dx_m();
  const std::size_t k = a / m_grid.plane_size();
  // Conductance per face area times the face area (dx dz): m^3/s per unit potential.
  return face_conductance(half, m_materials[m_ids[a]].conductivity_m2_s, half,
                          m_materials[m_ids[b]].conductivity_m2_s) *
         m_grid.dx_m() * m_grid.dz_m(k);
}

double Diffusion3dImplicit::vertical(std::size_t upper, std::size_t k) const {
  const std::size_t lower = upper + m_grid.plane_size();
  return face_conductance(0.5 * m_grid.dz_m(k), m_materials[m_ids[upper]].conductivity_m2_s,
                          0.5 * m_grid.dz_m(k + 1), m_materials[m_ids[lower]].conductivity_m2_s) *
         m_grid.column_area_m2();
}

double Diffusion3dImplicit::top(std::size_t v) const {
  if (m_boundary.top != TopBoundary::exchange) return 0.0;
  const Material& m = m_materials[m_ids[v]];
  return top_exchange_conductance(m_boundary.top_transfer_m_s * m.top_exchange,
                                  0.5 * m_grid.dz_m(0), m.conductivity_m2_s) *
         m_grid.column_area_m2();
}

double Diffusion3dImplicit::bottom(std::size_t v) const {
  if (m_boundary.bottom != BottomBoundary::zero_potential) return 0.0;
  const Material& m = m_materials[m_ids[v]];
  const std::size_t k = m_grid.nz() - 1;
  return m.conductivity_m2_s > 0
             ? m.conductivity_m2_s / (0.5 * m_grid.dz_m(k)) * m_grid.column_area_m2()
             : 0.0;
}

double Diffusion3dImplicit::diagonal(std::size_t v, double dt_s) const {
  const std::size_t k = v / m_grid.plane_size();
  const Material& m = m_materials[m_ids[v]];
  const double capacity = m.storage * m_grid.cell_volume_m3(k);
  double d = capacity / dt_s + m.sink_rate_1_s * capacity;
  for (auto [di, dj] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
    d += lateral(v, neighbour(v, di, dj));
  }
  if (k > 0) d += vertical(v - m_grid.plane_size(), k - 1);
  if (k + 1 < m_grid.nz()) d += vertical(v, k);
  if (k == 0) d += top(v);
  if (k + 1 == m_grid.nz()) d += bottom(v);
  return d;
}

void Diffusion3dImplicit::apply(std::span<const double> x, std::span<double> out,
                                double dt_s) const {
  const std::size_t plane = m_grid.plane_size();
  for (std::size_t v = 0; v < m_grid.size(); ++v) {
    const std::size_t k = v / plane;
    double sum = diagonal(v, dt_s) * x[v];
    for (auto [di, dj] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
      const std::size_t n = neighbour(v, di, dj);
      sum -= lateral(v, n) * x[n];
    }
    if (k > 0) sum -= vertical(v - plane, k - 1) * x[v - plane];
    if (k + 1 < m_grid.nz()) sum -= vertical(v, k) * x[v + plane];
    out[v] = sum;
  }
}

void Diffusion3dImplicit::precondition(std::span<const double> r, std::span<double> z,
                                       double dt_s) const {
  // Exact tridiagonal solve along each column with the full diagonal (lateral couplings
  // dropped from the off-diagonals): symmetric positive definite, so CG stays valid.
  const std::size_t plane = m_grid.plane_size();
  const std::size_t nz = m_grid.nz();
  std::vector<double> upper(nz);
  std::vector<double> rhs(nz);
  for (std::size_t column = 0; column < plane; ++column) {
    double previous_upper = 0;
    for (std::size_t k = 0; k < nz; ++k) {
      const std::size_t v = column + k * plane;
      const double below = k + 1 < nz ? -vertical(v, k) : 0.0;
      const double above = k > 0 ? -vertical(v - plane, k - 1) : 0.0;
      const double pivot = diagonal(v, dt_s) - above * previous_upper;
      upper[k] = below / pivot;
      rhs[k] = (r[v] - above * (k > 0 ? rhs[k - 1] : 0.0)) / pivot;
      previous_upper = upper[k];
    }
    for (std::size_t k = nz; k-- > 0;) {
      const std::size_t v = column + k * plane;
      z[v] = rhs[k] - (k + 1 < nz ? upper[k] * z[v + plane] : 0.0);
    }
  }
}

StepBalance Diffusion3dImplicit::step(double dt_s) {
  if (!(dt_s > 0)) throw std::invalid_argument("Diffusion3dImplicit::step: dt must be positive");
  const std::size_t n = m_grid.size();
  const std::size_t plane = m_grid.plane_size();
  std::vector<double> b(n);
  for (std::size_t v = 0; v < n; ++v) {
    const std::size_t k = v / plane;
    b[v] = m_materials[m_ids[v]].storage * m_grid.cell_volume_m3(k) / dt_s * m_u[v];
    if (k == 0) b[v] += top(v) * m_boundary.outside_potential;
  }
  // CG from the old field as the first guess.
  std::vector<double> x(m_u.begin(), m_u.end());
  std::vector<double> r(n);
  std::vector<double> z(n);
  std::vector<double> p(n);
  std::vector<double> q(n);
  apply(x, q, dt_s);
  double b_norm = 0;
  for (std::size_t v = 0; v < n; ++v) {
    r[v] = b[v] - q[v];
    b_norm += b[v] * b[v];
  }
  b_norm = std::sqrt(b_norm);
  precondition(r, z, dt_s);
  p = z;
  double rz = 0;
  for (std::size_t v = 0; v < n; ++v) rz += r[v] * z[v];
  m_iterations = 0;
  for (; m_iterations < 10000; ++m_iterations) {
    double r_norm = 0;
    for (double value : r) r_norm += value * value;
    if (std::sqrt(r_norm) <= m_tolerance * b_norm || b_norm == 0) break;
    apply(p, q, dt_s);
    double pq = 0;
    for (std::size_t v = 0; v < n; ++v) pq += p[v] * q[v];
    const double alpha = rz / pq;
    for (std::size_t v = 0; v < n; ++v) {
      x[v] += alpha * p[v];
      r[v] -= alpha * q[v];
    }
    precondition(r, z, dt_s);
    double rz_new = 0;
    for (std::size_t v = 0; v < n; ++v) rz_new += r[v] * z[v];
    const double beta = rz_new / rz;
    rz = rz_new;
    for (std::size_t v = 0; v < n; ++v) p[v] = z[v] + beta * p[v];
  }

  StepBalance balance;
  for (std::size_t v = 0; v < n; ++v) {
    const std::size_t k = v / plane;
    const Material& m = m_materials[m_ids[v]];
    balance.removed_sink += dt_s * m.sink_rate_1_s * m.storage * m_grid.cell_volume_m3(k) * x[v];
    if (k == 0) balance.entered_top += dt_s * top(v) * (m_boundary.outside_potential - x[v]);
    if (k + 1 == m_grid.nz()) balance.left_bottom += dt_s * bottom(v) * x[v];
  }
  std::copy(x.begin(), x.end(), m_u.begin());
  return balance;
}

double Diffusion3dImplicit::amount() const {
  double total = 0;
  for (std::size_t v = 0; v < m_grid.size(); ++v) {
    total +=
        m_materials[m_ids[v]].storage * m_u[v] * m_grid.cell_volume_m3(v / m_grid.plane_size());
  }
  return total;
}

}  // namespace citsim::numerics
