// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <span>
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

namespace {

#ifndef NDEBUG
/// A hash of the material ids, for the debug check that the kept column classes still match.
std::uint64_t ids_hash(std::span<const std::uint8_t> ids) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const std::uint8_t id : ids) hash = (hash ^ id) * 1099511628211ULL;
  return hash;
}
#endif

/// [begin, end) of `n` items for thread `t` of `threads`: contiguous, in order.
std::pair<std::size_t, std::size_t> share(std::size_t n, std::size_t t, std::size_t threads) {
  return {n * t / threads, n * (t + 1) / threads};
}

}  // namespace

template <class Real>
bool Diffusion3d<Real>::step_two_pass(Real dt, StepBalance& balance) {
  const std::size_t nx = m_grid.nx();
  const std::size_t ny = m_grid.ny();
  const std::size_t nz = m_grid.nz();
  if (nx < 3 || ny < 3 || nz < 2) return false;
  constexpr std::size_t strip = detail::k_two_pass_strip;
  constexpr std::size_t x_block = detail::x_block(sizeof(Real));
  const std::size_t strips = (nx + strip - 1) / strip;
  const std::size_t plane = nx * ny;
  // The rows of each plane come in parts, one per thread (see detail::PlaneSweep).
  const std::size_t split = detail::PlaneSweep<Real>::split_row(ny, x_block);
  const std::size_t parts = split < ny ? 2 : 1;
  const std::array<std::size_t, 3> part_rows = {0, split, ny};
  const bool parallel =
      m_grid.size() >= detail::k_min_parallel_voxels && plane >= detail::k_min_parallel_plane;
  const std::size_t team =
      parallel ? std::min<std::size_t>(static_cast<std::size_t>(omp_get_max_threads()), parts) : 1;
  // Classes per strip, not per thread: which grids take this path, and every factor, must not
  // depend on the number of threads.
  if (m_column_classes.size() != strips) m_column_classes.resize(strips);
  if (m_plane_sweeps.size() < team) m_plane_sweeps.resize(team);
  const std::size_t max_classes = detail::max_column_classes(strip * ny);
  const bool rebuild = !m_classes_kept;
  if (!rebuild) {
    assert(m_classes_ids_hash == ids_hash(m_ids) &&
           "material ids changed without Diffusion3d::materials_changed()");
    if (!m_classes_fit) return false;
  }
  m_class_of.resize(plane);
  m_row_class.resize(ny * strips);
  m_sums.assign(2 * 3 * nx, 0.0);
  for (auto& exchange : m_exchange) exchange.resize(nx, ny);
  const Real c = dt / static_cast<Real>(m_grid.column_area_m2());
  const auto u_out = static_cast<Real>(m_boundary.outside_potential);
  Real* u = m_u.data();
  const std::uint8_t* ids = m_ids.data();
  int classified = 0;
#pragma omp parallel num_threads(static_cast <int>(team)) if (team > 1)
  {
    const detail::FlushSubnormals flush;
    const auto threads = static_cast<std::size_t>(omp_get_num_threads());
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    auto& scratch = m_scratch[t];
    const auto [s_begin, s_end] = share(strips, t, threads);
    const auto [p_begin, p_end] = share(parts, t, threads);
    // Plane by plane over all of this thread's strips, so the ids are read once, in order; the
    // classes are kept while the ids are (materials_changed), only their factors follow dt.
    int fits = 0;
    if (rebuild) {
      bool growing = true;
      for (std::size_t s = s_begin; s < s_end; ++s) m_column_classes[s].start(nz);
      for (std::size_t k = 0; k < nz && growing; ++k) {
        for (std::size_t s = s_begin; s < s_end; ++s) {
          growing = growing && m_column_classes[s].add_plane(nx, ny, k, ids + k * plane, s * strip,
                                                             std::min(nx, (s + 1) * strip),
                                                             max_classes, m_class_of.data());
        }
      }
      for (std::size_t s = s_begin; s < s_end && growing; ++s) {
        if (m_column_classes[s].finish(nx, ny, s * strip, std::min(nx, (s + 1) * strip),
                                       max_classes, m_class_of.data(), m_row_class.data() + s,
                                       strips)) {
          ++fits;
        }
      }
    } else {
      fits = static_cast<int>(s_end - s_begin);
    }
    if (fits == static_cast<int>(s_end - s_begin)) {
      for (std::size_t s = s_begin; s < s_end; ++s) {
        m_column_classes[s].tabulate(m_coefficients, m_dz_m, dt);
      }
    }
#pragma omp atomic
    classified += fits;
#pragma omp barrier
    if (classified == static_cast<int>(strips)) {
      // Pass 1, down the planes: x lines, y lines, then this plane's row of the z elimination;
      // each thread sweeps the rows of its part of the plane, the y elimination right behind
      // the x sweep, block by block of rows; one barrier per plane hands the parts' ends over.
      auto& sweep = m_plane_sweeps[t];
      sweep.setup(nx, ny, split);
      for (std::size_t k = 0; k < nz; ++k) {
        Real* here = u + k * plane;
        const std::uint8_t* here_ids = ids + k * plane;
        auto& exchange = m_exchange[k % 2];
        sweep.begin_plane(here_ids);
        for (std::size_t part = p_begin; part < p_end; ++part) {
          for (std::size_t j0 = part_rows[part]; j0 < part_rows[part + 1]; j0 += x_block) {
            const std::size_t j1 = std::min(part_rows[part + 1], j0 + x_block);
            detail::sweep_x_rows(nx, ny, j0, j1, here, here_ids, m_coefficients, c, scratch);
            sweep.eliminate_rows(part, j0, j1, here, m_coefficients, exchange);
          }
        }
        if (threads > 1) {
#pragma omp barrier
        }
        // Last part first: its rows were eliminated last and are the likeliest in cache.
        for (std::size_t part = p_end; part-- > p_begin;) {
          sweep.finish_part(part, here, here_ids, m_coefficients, scratch, exchange,
                            m_column_classes.data(), m_row_class.data(), m_class_of.data(), k,
                            plane, u_out);
        }
      }
      // Pass 2, up the planes: back substitution, with the balance summed per part and column
      // of x in a fixed order (planes up, rows in order), so it does not depend on the threads.
      for (std::size_t k = nz; k-- > 0;) {
        Real* here = u + k * plane;
        for (std::size_t part = p_begin; part < p_end; ++part) {
          detail::substitute_z_rows(nx, part_rows[part], part_rows[part + 1], k, nz, here,
                                    m_column_classes.data(), m_row_class.data(), m_class_of.data(),
                                    plane, u_out, m_sums.data() + part * 3 * nx);
        }
      }
    }
  }
  if (rebuild) {
    m_classes_kept = true;
    m_classes_fit = classified == static_cast<int>(strips);
#ifndef NDEBUG
    m_classes_ids_hash = ids_hash(m_ids);
#endif
  }
  if (classified != static_cast<int>(strips)) return false;
  const double area = m_grid.column_area_m2();
  StepBalance total;
  for (std::size_t part = 0; part < parts; ++part) {
    const double* sums = m_sums.data() + part * 3 * nx;
    for (std::size_t i = 0; i < nx; ++i) {
      total.removed_sink += sums[i];
      total.entered_top += sums[nx + i];
      total.left_bottom += sums[2 * nx + i];
    }
  }
  total.entered_top *= area;
  total.left_bottom *= area;
  total.removed_sink *= area;
  balance = total;
  return true;
}

template <class Real>
StepBalance Diffusion3d<Real>::step(double dt_s) {
  if (!std::isfinite(dt_s) || dt_s <= 0) {
    throw std::invalid_argument("Diffusion3d: the time step must be positive, got " +
                                std::to_string(dt_s));
  }
  assert(detail::outside_inactive_parallel_regions() &&
         "a kernel step inside an inactive OpenMP region starts fresh threads for each region");
  ensure_scratch(static_cast<std::size_t>(omp_get_max_threads()));
  const Real inv_bottom = m_boundary.bottom == BottomBoundary::zero_potential
                              ? Real(0)
                              : std::numeric_limits<Real>::infinity();
  const auto tabulate = [&](Real dt) {
    m_coefficients.set_step(dt, dt / static_cast<Real>(m_grid.column_area_m2()), m_half_dz_m,
                            inv_bottom);
    m_coefficients.set_uniform_lines(
        m_grid.nx(), m_grid.ny(),
        detail::PlaneSweep<Real>::split_row(m_grid.ny(), detail::x_block(sizeof(Real))));
  };
  if (m_splitting == Splitting::lod) {
    const auto dt = static_cast<Real>(dt_s);
    tabulate(dt);
    StepBalance balance;
    m_last_two_pass = m_two_pass_enabled && step_two_pass(dt, balance);
    if (m_last_two_pass) return balance;
    sweep_xy(dt, true);
    return sweep_z(dt, 1);
  }
  m_last_two_pass = false;
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
  for (const auto& classes : m_column_classes) bytes += classes.bytes();
  for (const auto& sweep : m_plane_sweeps) bytes += sweep.bytes();
  for (const auto& exchange : m_exchange) bytes += exchange.bytes();
  bytes += (m_class_of.capacity() + m_row_class.capacity()) * sizeof(std::uint32_t) +
           m_sums.capacity() * sizeof(double);
  return bytes;
}

template class Diffusion3d<float>;
template class Diffusion3d<double>;

}  // namespace citsim::numerics
