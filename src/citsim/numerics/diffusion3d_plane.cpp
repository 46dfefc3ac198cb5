// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_plane.hpp"

#include <algorithm>
#include <type_traits>

#include "citsim/numerics/diffusion3d_wide.hpp"

namespace citsim::numerics::detail {

template <class Real>
void PlaneExchange<Real>::resize(std::size_t nx, std::size_t ny) {
  aside.resize(nx * ny);
  for (auto* values : {&sum_first, &sum_second, &sum_split, &end_first, &end_second}) {
    values->resize(nx);
  }
}

template <class Real>
std::size_t PlaneExchange<Real>::bytes() const {
  return (aside.capacity() + sum_first.capacity() + sum_second.capacity() + sum_split.capacity() +
          end_first.capacity() + end_second.capacity()) *
         sizeof(Real);
}

template <class Real>
std::size_t PlaneSweep<Real>::split_row(std::size_t ny, std::size_t block) {
  const std::size_t split = ny / 2 / block * block;
  return split >= block ? split : ny;
}

template <class Real>
void PlaneSweep<Real>::setup(std::size_t nx, std::size_t ny, std::size_t split) {
  m_nx = nx;
  m_ny = ny;
  m_split = split;
  m_strips.resize((nx + k_two_pass_strip - 1) / k_two_pass_strip);
  m_first.resize(nx);
  m_same.resize(nx);
  for (auto* values : {&m_y, &m_fact, &m_carry_in}) values->resize(nx);
}

template <class Real>
void PlaneSweep<Real>::begin_plane(const std::uint8_t* plane_ids) {
  constexpr std::size_t strip = k_two_pass_strip;
  // Which lines are of one material, taken row by row, for split_lines. Sizes in
  // locals: the byte stores below could alias the members, which would keep the loop scalar.
  const std::size_t nx = m_nx;
  const std::size_t ny = m_ny;
  std::copy(plane_ids, plane_ids + nx, m_first.begin());
  std::fill(m_same.begin(), m_same.end(), std::uint8_t{1});
  {
    const std::uint8_t* __restrict first = m_first.data();
    std::uint8_t* __restrict same = m_same.data();
    for (std::size_t j = 1; j < ny; ++j) {
      const std::uint8_t* __restrict row = plane_ids + j * nx;
      for (std::size_t l = 0; l < nx; ++l) {
        same[l] &= static_cast<std::uint8_t>(row[l] == first[l]);
      }
    }
  }
  m_lanes = 0;
  for (std::size_t s = 0; s < m_strips.size(); ++s) {
    Strip& mode = m_strips[s];
    const std::size_t w = std::min(strip, m_nx - s * strip);
    mode.split = split_lines(w, m_same.data() + s * strip, m_first.data() + s * strip, mode.odd);
    mode.first_lane = m_lanes;
    m_lanes += mode.split.tabulated ? mode.split.odd_count : w;
  }
  m_solved = false;
}

template <class Real>
void PlaneSweep<Real>::eliminate_rows(std::size_t part, std::size_t j_begin, std::size_t j_end,
                                      Real* plane, const MaterialCoefficients<Real>& materials,
                                      PlaneExchange<Real>& exchange) {
  if (CITSIM_HAS_WIDE_CLONES && wide_lines_active()) {
    eliminate_rows_wide(part, j_begin, j_end, plane, materials, exchange);
  } else {
    eliminate_rows_body(part, j_begin, j_end, plane, materials, exchange);
  }
}

template <class Real>
CITSIM_WIDE_CLONE void PlaneSweep<Real>::eliminate_rows_wide(
    std::size_t part, std::size_t j_begin, std::size_t j_end, Real* plane,
    const MaterialCoefficients<Real>& materials, PlaneExchange<Real>& exchange) {
  eliminate_rows_body(part, j_begin, j_end, plane, materials, exchange);
}

template <class Real>
CITSIM_INLINE_BODY void PlaneSweep<Real>::eliminate_rows_body(
    std::size_t part, std::size_t j_begin, std::size_t j_end, Real* plane,
    const MaterialCoefficients<Real>& materials, PlaneExchange<Real>& exchange) {
  constexpr std::size_t strip = k_two_pass_strip;
  const auto& lines = materials.lines_y;
  const std::size_t n = m_ny;
  const std::size_t start = part == 0 ? 0 : m_split;
  const std::size_t end = part == 0 ? m_split : n;
  Real* __restrict sum_all = part == 0 ? exchange.sum_first.data() : exchange.sum_second.data();
  Real* __restrict sum_split = exchange.sum_split.data();
  const std::size_t nx = m_nx;
  // Strip by strip, then a cache line of columns at a time down the block's rows, so that each
  // column's running value and sums stay in registers from row to row.
  constexpr std::size_t chunk = 64 / sizeof(Real);
  for (std::size_t s = 0; s < m_strips.size(); ++s) {
    const Strip& mode = m_strips[s];
    const std::size_t i0 = s * strip;
    const std::size_t w = std::min(strip, nx - i0);
    for (std::size_t j = j_begin; j < j_end; ++j) {
      const Real* up = plane + j * nx + i0;
      Real* aside = exchange.aside.data() + j * m_lanes + mode.first_lane;
      if (!mode.split.tabulated) {
        std::copy(up, up + w, aside);
      } else {
        for (std::size_t o = 0; o < mode.split.odd_count; ++o) aside[o] = up[mode.odd[o]];
      }
    }
    if (!mode.split.tabulated) continue;
    const std::size_t at = mode.split.material * n;
    // Only the second part keeps the sums towards the split; the first must not even read
    // them: the second part's thread writes them meanwhile.
    const bool split_sums = part == 1;
    const auto eliminate = [&](std::size_t l0, auto width) {
      constexpr std::size_t c = decltype(width)::value;
      Real f[c] = {};
      Real total[c] = {};
      Real total_split[c] = {};
      Real* __restrict sum = sum_all + i0 + l0;
      Real* __restrict split_sum = sum_split + i0 + l0;
      for (std::size_t j = j_begin; j < j_end; ++j) {
        Real* __restrict up = plane + j * nx + i0 + l0;
        const Real a = lines.alpha[at + j];
        const Real wp = lines.weight[at + j];
        const Real ws = split_sums ? lines.weight_split[at + j] : Real(0);
        if (j == start) {
          // The first row of a part: from zero (the second part is corrected at the barrier).
          for (std::size_t l = 0; l < c; ++l) {
            f[l] = a * up[l];
            total[l] = wp * f[l];
            total_split[l] = ws * f[l];
          }
        } else {
          if (j == j_begin) {
            const Real* um = up - nx;
            for (std::size_t l = 0; l < c; ++l) {
              f[l] = um[l];
              total[l] = sum[l];
              total_split[l] = split_sums ? split_sum[l] : Real(0);
            }
          }
          const Real b = lines.beta[at + j];
          for (std::size_t l = 0; l < c; ++l) {
            f[l] = a * up[l] + b * f[l];
            total[l] += wp * f[l];
            total_split[l] += ws * f[l];
          }
        }
        for (std::size_t l = 0; l < c; ++l) up[l] = f[l];
      }
      for (std::size_t l = 0; l < c; ++l) sum[l] = total[l];
      if (split_sums) {
        for (std::size_t l = 0; l < c; ++l) split_sum[l] = total_split[l];
      }
    };
    std::size_t l0 = 0;
    for (; l0 + chunk <= w; l0 += chunk) {
      eliminate(l0, std::integral_constant<std::size_t, chunk>{});
    }
    for (; l0 < w; ++l0) eliminate(l0, std::integral_constant<std::size_t, 1>{});
  }
  if (j_begin < j_end && j_end == end) {
    const Real* row = plane + (end - 1) * nx;
    Real* out = part == 0 ? exchange.end_first.data() : exchange.end_second.data();
    std::copy(row, row + nx, out);
  }
}

template <class Real>
void PlaneSweep<Real>::solve_aside(const std::uint8_t* plane_ids,
                                   const MaterialCoefficients<Real>& materials,
                                   SweepScratch<Real>& scratch,
                                   const PlaneExchange<Real>& exchange) {
  constexpr std::size_t strip = k_two_pass_strip;
  m_solved = true;
  if (m_lanes == 0) return;
  const std::size_t n = m_ny;
  const std::size_t lanes = m_lanes;
  if (m_apart.size() < n * lanes) {
    m_apart.resize(n * lanes);
    m_apart_ids.resize(n * lanes);
  }
  std::copy(exchange.aside.data(), exchange.aside.data() + n * lanes, m_apart.data());
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint8_t* ids = plane_ids + j * m_nx;
    std::uint8_t* out_ids = m_apart_ids.data() + j * lanes;
    for (std::size_t s = 0; s < m_strips.size(); ++s) {
      const Strip& mode = m_strips[s];
      const std::size_t i0 = s * strip;
      if (mode.split.tabulated) {
        for (std::size_t o = 0; o < mode.split.odd_count; ++o) {
          out_ids[mode.first_lane + o] = ids[i0 + mode.odd[o]];
        }
      } else {
        const std::size_t w = std::min(strip, m_nx - i0);
        std::copy(ids + i0, ids + i0 + w, out_ids + mode.first_lane);
      }
    }
  }
  for (std::size_t s = 0; s < m_strips.size(); ++s) {
    const Strip& mode = m_strips[s];
    const std::size_t w =
        mode.split.tabulated ? mode.split.odd_count : std::min(strip, m_nx - s * strip);
    if (w == 0) continue;
    solve_lines_apart(n, w, m_apart.data() + mode.first_lane, lanes,
                      m_apart_ids.data() + mode.first_lane, lanes, materials, scratch);
  }
}

template <class Real>
void PlaneSweep<Real>::finish_part(std::size_t part, Real* plane, const std::uint8_t* plane_ids,
                                   const MaterialCoefficients<Real>& materials,
                                   SweepScratch<Real>& scratch, const PlaneExchange<Real>& exchange,
                                   const ColumnClasses<Real>* classes,
                                   const std::uint32_t* row_class, const std::uint32_t* class_of,
                                   std::size_t k, std::size_t plane_stride, Real u_out) {
  if (!m_solved) solve_aside(plane_ids, materials, scratch, exchange);
  if (CITSIM_HAS_WIDE_CLONES && wide_lines_active()) {
    back_substitute_wide(part, plane, materials, exchange, classes, row_class, class_of, k,
                         plane_stride, u_out);
  } else {
    back_substitute_body(part, plane, materials, exchange, classes, row_class, class_of, k,
                         plane_stride, u_out);
  }
}

template <class Real>
CITSIM_WIDE_CLONE void PlaneSweep<Real>::back_substitute_wide(
    std::size_t part, Real* plane, const MaterialCoefficients<Real>& materials,
    const PlaneExchange<Real>& exchange, const ColumnClasses<Real>* classes,
    const std::uint32_t* row_class, const std::uint32_t* class_of, std::size_t k,
    std::size_t plane_stride, Real u_out) {
  back_substitute_body(part, plane, materials, exchange, classes, row_class, class_of, k,
                       plane_stride, u_out);
}

template <class Real>
CITSIM_INLINE_BODY void PlaneSweep<Real>::back_substitute_body(
    std::size_t part, Real* plane, const MaterialCoefficients<Real>& materials,
    const PlaneExchange<Real>& exchange, const ColumnClasses<Real>* classes,
    const std::uint32_t* row_class, const std::uint32_t* class_of, std::size_t k,
    std::size_t plane_stride, Real u_out) {
  constexpr std::size_t strip = k_two_pass_strip;
  const auto& lines = materials.lines_y;
  const std::size_t n = m_ny;
  const std::size_t nx = m_nx;
  const std::size_t strips = m_strips.size();
  const bool two_parts = m_split < n;
  const std::size_t start = part == 0 ? 0 : m_split;
  const std::size_t end = part == 0 ? m_split : n;
  // Per column of the uniform strips: the factor, and where this part's back substitution
  // starts (y at the row below its last, or the last row's own value).
  for (std::size_t s = 0; s < strips; ++s) {
    const Strip& mode = m_strips[s];
    if (!mode.split.tabulated) continue;
    const std::size_t i0 = s * strip;
    const std::size_t w = std::min(strip, nx - i0);
    const std::size_t m = mode.split.material;
    const Real r = lines.ratio[m];
    const Real scale = lines.scale[m];
    const Real carry_last = lines.carry[m * n + n - 1];
    const Real carry_weight = lines.carry_weight[m];
    const Real carry_weight_split = lines.carry_weight_split[m];
    for (std::size_t l = i0; l < i0 + w; ++l) {
      const Real c = two_parts ? exchange.end_first[l] : Real(0);
      const Real y0 = two_parts ? exchange.sum_first[l] + exchange.sum_second[l] + c * carry_weight
                                : exchange.sum_first[l];
      const Real last = two_parts ? exchange.end_second[l] + carry_last * c : exchange.end_first[l];
      m_fact[l] = (y0 + r * last) * scale;
      m_carry_in[l] = c;
      m_y[l] = part == 1 || !two_parts ? last : exchange.sum_split[l] + c * carry_weight_split;
    }
  }
  // Blocks of rows upwards; in each strip, a cache line of columns at a time up the block's
  // rows (the running values in registers), then each row's odd lanes and z elimination.
  constexpr std::size_t block_rows = 8;
  constexpr std::size_t chunk = 64 / sizeof(Real);
  for (std::size_t j_end = end; j_end > start;) {
    const std::size_t j_begin = j_end - std::min(block_rows, j_end - start);
    for (std::size_t s = 0; s < strips; ++s) {
      const Strip& mode = m_strips[s];
      const std::size_t i0 = s * strip;
      const std::size_t w = std::min(strip, nx - i0);
      if (mode.split.tabulated) {
        const std::size_t at = mode.split.material * n;
        const auto substitute = [&](std::size_t l0, auto width) {
          constexpr std::size_t c = decltype(width)::value;
          Real y[c];
          Real fact[c];
          Real carry_in[c];
          for (std::size_t l = 0; l < c; ++l) {
            y[l] = m_y[i0 + l0 + l];
            fact[l] = m_fact[i0 + l0 + l];
            carry_in[l] = m_carry_in[i0 + l0 + l];
          }
          for (std::size_t j = j_end; j-- > j_begin;) {
            Real* __restrict up = plane + j * nx + i0 + l0;
            const Real zp = lines.correction[at + j];
            if (j + 1 == n) {
              for (std::size_t l = 0; l < c; ++l) up[l] = y[l] - fact[l] * zp;
            } else if (part == 1) {
              const Real e = lines.upper[at + j];
              const Real carry = lines.carry[at + j];
              for (std::size_t l = 0; l < c; ++l) {
                y[l] = (up[l] + carry * carry_in[l]) + e * y[l];
                up[l] = y[l] - fact[l] * zp;
              }
            } else {
              const Real e = lines.upper[at + j];
              for (std::size_t l = 0; l < c; ++l) {
                y[l] = up[l] + e * y[l];
                up[l] = y[l] - fact[l] * zp;
              }
            }
          }
          for (std::size_t l = 0; l < c; ++l) m_y[i0 + l0 + l] = y[l];
        };
        std::size_t l0 = 0;
        for (; l0 + chunk <= w; l0 += chunk) {
          substitute(l0, std::integral_constant<std::size_t, chunk>{});
        }
        for (; l0 < w; ++l0) substitute(l0, std::integral_constant<std::size_t, 1>{});
      }
      for (std::size_t j = j_end; j-- > j_begin;) {
        Real* __restrict up = plane + j * nx + i0;
        const Real* apart = m_apart.data() + j * m_lanes + mode.first_lane;
        if (mode.split.tabulated) {
          for (std::size_t o = 0; o < mode.split.odd_count; ++o) up[mode.odd[o]] = apart[o];
        } else {
          std::copy(apart, apart + w, up);
        }
        eliminate_z_row(classes[s], k, w, row_class[j * strips + s], class_of + j * nx + i0, up,
                        plane_stride, u_out);
      }
    }
    j_end = j_begin;
  }
}

namespace {

template <class Real>
CITSIM_INLINE_BODY void substitute_z_rows_body(std::size_t nx, std::size_t j_begin,
                                               std::size_t j_end, std::size_t k, std::size_t nz,
                                               Real* plane_k, const ColumnClasses<Real>* classes,
                                               const std::uint32_t* row_class,
                                               const std::uint32_t* class_of,
                                               std::size_t plane_stride, Real u_out, double* sums) {
  constexpr std::size_t strip = k_two_pass_strip;
  const std::size_t strips = (nx + strip - 1) / strip;
  for (std::size_t j = j_begin; j < j_end; ++j) {
    for (std::size_t s = 0; s < strips; ++s) {
      const std::size_t i0 = s * strip;
      substitute_z_row(classes[s], k, nz, std::min(strip, nx - i0), row_class[j * strips + s],
                       class_of + j * nx + i0, plane_k + j * nx + i0, plane_stride, u_out,
                       sums + i0, nx);
    }
  }
}

template <class Real>
CITSIM_WIDE_CLONE void substitute_z_rows_wide(std::size_t nx, std::size_t j_begin,
                                              std::size_t j_end, std::size_t k, std::size_t nz,
                                              Real* plane_k, const ColumnClasses<Real>* classes,
                                              const std::uint32_t* row_class,
                                              const std::uint32_t* class_of,
                                              std::size_t plane_stride, Real u_out, double* sums) {
  substitute_z_rows_body(nx, j_begin, j_end, k, nz, plane_k, classes, row_class, class_of,
                         plane_stride, u_out, sums);
}

}  // namespace

template <class Real>
void substitute_z_rows(std::size_t nx, std::size_t j_begin, std::size_t j_end, std::size_t k,
                       std::size_t nz, Real* plane_k, const ColumnClasses<Real>* classes,
                       const std::uint32_t* row_class, const std::uint32_t* class_of,
                       std::size_t plane_stride, Real u_out, double* sums) {
  if (CITSIM_HAS_WIDE_CLONES && wide_lines_active()) {
    substitute_z_rows_wide(nx, j_begin, j_end, k, nz, plane_k, classes, row_class, class_of,
                           plane_stride, u_out, sums);
  } else {
    substitute_z_rows_body(nx, j_begin, j_end, k, nz, plane_k, classes, row_class, class_of,
                           plane_stride, u_out, sums);
  }
}

template <class Real>
std::size_t PlaneSweep<Real>::bytes() const {
  return m_strips.capacity() * sizeof(Strip) +
         (m_y.capacity() + m_fact.capacity() + m_carry_in.capacity() + m_apart.capacity()) *
             sizeof(Real) +
         m_first.capacity() + m_same.capacity() + m_apart_ids.capacity();
}

template struct PlaneExchange<float>;
template struct PlaneExchange<double>;
template class PlaneSweep<float>;
template class PlaneSweep<double>;
template void substitute_z_rows<float>(std::size_t, std::size_t, std::size_t, std::size_t,
                                       std::size_t, float*, const ColumnClasses<float>*,
                                       const std::uint32_t*, const std::uint32_t*, std::size_t,
                                       float, double*);
template void substitute_z_rows<double>(std::size_t, std::size_t, std::size_t, std::size_t,
                                        std::size_t, double*, const ColumnClasses<double>*,
                                        const std::uint32_t*, const std::uint32_t*, std::size_t,
                                        double, double*);

}  // namespace citsim::numerics::detail
