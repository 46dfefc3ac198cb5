// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_plane.hpp"

#include <algorithm>

namespace citsim::numerics::detail {

template <class Real>
void PlaneSweep<Real>::setup(std::size_t nx, std::size_t ny, std::size_t s_begin,
                             std::size_t s_end) {
  constexpr std::size_t strip = k_two_pass_strip;
  m_nx = nx;
  m_ny = ny;
  m_s_begin = s_begin;
  m_s_end = s_end;
  const std::size_t columns = std::min(nx, s_end * strip) - std::min(nx, s_begin * strip);
  m_strips.resize(s_end - s_begin);
  for (auto* values : {&m_sum, &m_y, &m_fact}) values->resize(columns);
  m_first.resize(columns);
  m_same.resize(columns);
  m_aside.resize((s_end - s_begin) * ny * k_max_odd_lines);
  m_aside_ids.resize(m_aside.size());
}

template <class Real>
void PlaneSweep<Real>::begin_plane(const std::uint8_t* plane_ids) {
  constexpr std::size_t strip = k_two_pass_strip;
  const std::size_t i_begin = m_s_begin * strip;
  const std::size_t columns = m_first.size();
  // Which lines are of one material (the rule of find_odd_lanes, taken row by row).
  std::copy(plane_ids + i_begin, plane_ids + i_begin + columns, m_first.begin());
  std::fill(m_same.begin(), m_same.end(), std::uint8_t{1});
  for (std::size_t j = 1; j < m_ny; ++j) {
    const std::uint8_t* __restrict row = plane_ids + j * m_nx + i_begin;
    const std::uint8_t* __restrict first = m_first.data();
    std::uint8_t* __restrict same = m_same.data();
    for (std::size_t l = 0; l < columns; ++l) {
      same[l] &= static_cast<std::uint8_t>(row[l] == first[l]);
    }
  }
  for (std::size_t s = m_s_begin; s < m_s_end; ++s) {
    Strip& mode = m_strips[s - m_s_begin];
    const std::size_t offset = (s - m_s_begin) * strip;
    const std::size_t w = std::min(strip, m_nx - s * strip);
    const std::uint8_t* first = m_first.data() + offset;
    const std::uint8_t* same = m_same.data() + offset;
    const auto uniform_lane = std::find(same, same + w, std::uint8_t{1});
    mode.uniform = uniform_lane != same + w;
    mode.odd_count = 0;
    if (!mode.uniform) continue;
    mode.material = first[uniform_lane - same];
    for (std::size_t l = 0; l < w; ++l) {
      if (same[l] == 0 || first[l] != mode.material) {
        if (mode.odd_count == w / 4) {
          mode.uniform = false;  // too many: the strip is solved in full
          break;
        }
        mode.odd[mode.odd_count++] = static_cast<std::uint8_t>(l);
      }
    }
  }
}

template <class Real>
void PlaneSweep<Real>::eliminate_rows(std::size_t j_begin, std::size_t j_end, Real* plane,
                                      const MaterialCoefficients<Real>& materials) {
  constexpr std::size_t strip = k_two_pass_strip;
  const auto& lines = materials.lines_y;
  const std::size_t n = m_ny;
  for (std::size_t j = j_begin; j < j_end; ++j) {
    for (std::size_t s = m_s_begin; s < m_s_end; ++s) {
      const Strip& mode = m_strips[s - m_s_begin];
      if (!mode.uniform) continue;
      const std::size_t i0 = s * strip;
      const std::size_t w = std::min(strip, m_nx - i0);
      const std::size_t offset = (s - m_s_begin) * strip;
      Real* __restrict up = plane + j * m_nx + i0;
      // The odd lines' values before the uniform elimination overwrites them.
      Real* aside = m_aside.data() + (s - m_s_begin) * n * k_max_odd_lines;
      for (std::size_t o = 0; o < mode.odd_count; ++o) {
        aside[j * mode.odd_count + o] = up[mode.odd[o]];
      }
      Real* __restrict sum = m_sum.data() + offset;
      const std::size_t at = mode.material * n + j;
      const Real a = lines.alpha[at];
      if (j == 0) {
        for (std::size_t l = 0; l < w; ++l) {
          up[l] = a * up[l];
          sum[l] = up[l];
        }
        continue;
      }
      const Real b = lines.beta[at];
      const Real wp = lines.weight[at];
      const Real* __restrict um = up - m_nx;
      for (std::size_t l = 0; l < w; ++l) {
        const Real f = a * up[l] + b * um[l];
        up[l] = f;
        sum[l] += wp * f;
      }
    }
  }
}

template <class Real>
void PlaneSweep<Real>::finish_plane(Real* plane, const std::uint8_t* plane_ids,
                                    const MaterialCoefficients<Real>& materials,
                                    SweepScratch<Real>& scratch, const ColumnClasses<Real>* classes,
                                    const std::uint32_t* row_class, const std::uint32_t* class_of,
                                    std::size_t k, std::size_t plane_stride, Real u_out) {
  constexpr std::size_t strip = k_two_pass_strip;
  const auto& lines = materials.lines_y;
  const std::size_t n = m_ny;
  const std::size_t nx = m_nx;
  const std::size_t strips = (nx + strip - 1) / strip;
  for (std::size_t s = m_s_begin; s < m_s_end; ++s) {
    const Strip& mode = m_strips[s - m_s_begin];
    const std::size_t i0 = s * strip;
    const std::size_t w = std::min(strip, nx - i0);
    if (!mode.uniform) {
      solve_lines_in_full(n, w, plane + i0, nx, plane_ids + i0, nx, materials, scratch);
      continue;
    }
    const std::size_t odd = mode.odd_count;
    if (odd > 0) {
      Real* aside = m_aside.data() + (s - m_s_begin) * n * k_max_odd_lines;
      std::uint8_t* aside_ids = m_aside_ids.data() + (s - m_s_begin) * n * k_max_odd_lines;
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t o = 0; o < odd; ++o) {
          aside_ids[j * odd + o] = plane_ids[j * nx + i0 + mode.odd[o]];
        }
      }
      solve_lines_in_full(n, odd, aside, odd, aside_ids, odd, materials, scratch);
    }
    // The last row's values are final now: the factor, and the last row itself.
    const std::size_t offset = (s - m_s_begin) * strip;
    const std::size_t at = mode.material * n;
    const Real r = lines.ratio[mode.material];
    const Real scale = lines.scale[mode.material];
    const Real z_last = lines.correction[at + n - 1];
    Real* __restrict last = plane + (n - 1) * nx + i0;
    Real* __restrict sum = m_sum.data() + offset;
    Real* __restrict y = m_y.data() + offset;
    Real* __restrict fact = m_fact.data() + offset;
    for (std::size_t l = 0; l < w; ++l) {
      fact[l] = (sum[l] + r * last[l]) * scale;
      y[l] = last[l];
      last[l] = y[l] - fact[l] * z_last;
    }
  }
  for (std::size_t j = n; j-- > 0;) {
    for (std::size_t s = m_s_begin; s < m_s_end; ++s) {
      const Strip& mode = m_strips[s - m_s_begin];
      const std::size_t i0 = s * strip;
      const std::size_t w = std::min(strip, nx - i0);
      Real* __restrict up = plane + j * nx + i0;
      if (mode.uniform) {
        const std::size_t offset = (s - m_s_begin) * strip;
        if (j + 1 < n) {
          const std::size_t at = mode.material * n + j;
          const Real e = lines.upper[at];
          const Real zp = lines.correction[at];
          Real* __restrict y = m_y.data() + offset;
          const Real* __restrict fact = m_fact.data() + offset;
          for (std::size_t l = 0; l < w; ++l) {
            const Real yp = up[l] + e * y[l];
            y[l] = yp;
            up[l] = yp - fact[l] * zp;
          }
        }
        const Real* aside = m_aside.data() + (s - m_s_begin) * n * k_max_odd_lines;
        for (std::size_t o = 0; o < mode.odd_count; ++o) {
          up[mode.odd[o]] = aside[j * mode.odd_count + o];
        }
      }
      eliminate_z_row(classes[s], k, w, row_class[j * strips + s], class_of + j * nx + i0, up,
                      plane_stride, u_out);
    }
  }
}

template <class Real>
std::size_t PlaneSweep<Real>::bytes() const {
  return m_strips.capacity() * sizeof(Strip) +
         (m_sum.capacity() + m_y.capacity() + m_fact.capacity() + m_aside.capacity()) *
             sizeof(Real) +
         m_first.capacity() + m_same.capacity() + m_aside_ids.capacity();
}

template class PlaneSweep<float>;
template class PlaneSweep<double>;

}  // namespace citsim::numerics::detail
