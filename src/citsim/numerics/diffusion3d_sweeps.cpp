// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_sweeps.hpp"

#include <algorithm>

#include "citsim/numerics/diffusion3d_wide.hpp"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace citsim::numerics::detail {

#if defined(__SSE__)
// Bits 15 (flush to zero) and 6 (denormals are zero) of MXCSR.
constexpr unsigned k_ftz_daz = 0x8040;
FlushSubnormals::FlushSubnormals() : m_saved(_mm_getcsr()) {
  _mm_setcsr(m_saved | k_ftz_daz);
}
FlushSubnormals::~FlushSubnormals() {
  _mm_setcsr(m_saved);
}
#else
FlushSubnormals::FlushSubnormals() = default;
FlushSubnormals::~FlushSubnormals() = default;
#endif

namespace {

// Conventions of the line solvers. Row p of each tridiagonal system reads
//   b_p u'_p − gup_p u'_{p−1} − gdn_p u'_{p+1} = d_p,   b_p = storage + gup_p + gdn_p (+ sink),
// an M-matrix. Elimination keeps e_p = gdn_p / (b_p − gup_p e_{p−1}) ≥ 0 and back substitution
// adds e_p u'_{p+1}, so every quantity stays non-negative and nothing cancels.

/// out[l] = table[ids[l]]: the table look-ups of one row, kept apart so that the arithmetic
/// loops read only contiguous arrays and vectorize without gather instructions.
template <class Real>
inline void gather(std::size_t w, const Real* __restrict table, const std::uint8_t* __restrict ids,
                   Real* __restrict out) {
  for (std::size_t l = 0; l < w; ++l) out[l] = table[ids[l]];
}

/// out[l] = table[a[l]·count + b[l]]: the tabulated conductances of the faces between the cells
/// of materials a and b, one per lane.
template <class Real>
inline void face_conductances(std::size_t w, const Real* __restrict table, std::size_t count,
                              const std::uint8_t* __restrict a, const std::uint8_t* __restrict b,
                              Real* __restrict out) {
  for (std::size_t l = 0; l < w; ++l) out[l] = table[a[l] * count + b[l]];
}

/// Periodic lines of length n (≥ 3) side by side: value (position p, lane l) at
/// u[p·stride + l]. The cyclic system is the tridiagonal one plus the wrap-around face in the
/// corners, solved with Sherman–Morrison on Thomas (gamma = −b_0) in two passes over the line:
/// the elimination also sums y_0 = Σ W_p f_p and z_0 = Σ W_p g_p (W_p = e_0 ⋯ e_{p−1}, what back
/// substitution would give at the first row), so the correction factor is known before the
/// back substitution, which then applies it to each value as it goes.
template <class Real>
void solve_periodic(std::size_t n, std::size_t w, Real* __restrict u, std::size_t stride,
                    const std::uint8_t* __restrict ids, std::size_t id_stride,
                    const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch) {
  const Real* storage = materials.storage.data();
  const Real* __restrict lateral = materials.lateral.data();
  const std::size_t count = materials.count;
  Real* __restrict upper = scratch.upper.data();
  Real* __restrict corr = scratch.correction.data();
  Real* __restrict g_prev = scratch.lane(0);
  Real* __restrict b_first = scratch.lane(1);
  Real* __restrict g_wrap = scratch.lane(2);
  Real* __restrict s = scratch.lane(3);
  Real* __restrict g_next = scratch.lane(4);  // conductance of the face below each row
  Real* __restrict weight = scratch.lane(5);  // W_p
  Real* __restrict sum_y = scratch.lane(6);
  Real* __restrict sum_z = scratch.lane(7);

  const std::uint8_t* id_last = ids + (n - 1) * id_stride;
  face_conductances(w, lateral, count, id_last, ids, g_wrap);
  face_conductances(w, lateral, count, ids, ids + id_stride, g_next);
  gather(w, storage, ids, s);
  for (std::size_t l = 0; l < w; ++l) {
    const Real gw = g_wrap[l];
    const Real gdn = g_next[l];
    const Real b = s[l] + gw + gdn;
    // Row 0 with b'_0 = b_0 − gamma = 2 b_0; the correction right-hand side starts at gamma.
    const Real m = Real(1) / (b + b);
    const Real e = gdn * m;
    upper[l] = e;
    u[l] = s[l] * u[l] * m;
    corr[l] = -b * m;
    g_prev[l] = gdn;
    b_first[l] = b;
    sum_y[l] = u[l];
    sum_z[l] = corr[l];
    weight[l] = e;
  }
  for (std::size_t p = 1; p + 1 < n; ++p) {
    face_conductances(w, lateral, count, ids + p * id_stride, ids + (p + 1) * id_stride, g_next);
    gather(w, storage, ids + p * id_stride, s);
    Real* __restrict up = u + p * stride;
    const Real* __restrict um = up - stride;
    Real* __restrict ep = upper + p * w;
    const Real* __restrict em = ep - w;
    Real* __restrict zp = corr + p * w;
    const Real* __restrict zm = zp - w;
    for (std::size_t l = 0; l < w; ++l) {
      const Real gup = g_prev[l];
      const Real gdn = g_next[l];
      const Real m = Real(1) / (s[l] + gup + gdn - gup * em[l]);
      const Real e = gdn * m;
      const Real f = (s[l] * up[l] + gup * um[l]) * m;
      const Real z = gup * zm[l] * m;
      ep[l] = e;
      up[l] = f;
      zp[l] = z;
      g_prev[l] = gdn;
      sum_y[l] += weight[l] * f;
      sum_z[l] += weight[l] * z;
      weight[l] *= e;
    }
  }
  // Row n−1 with b'_{n−1} = b_{n−1} − alpha·beta/gamma = b_{n−1} + gw²/b_0, alpha = −gw. Its
  // values are final before back substitution, so the factor
  // fact = (y_0 + (beta/gamma) y_{n−1}) / (1 + z_0 + (beta/gamma) z_{n−1}), beta/gamma = gw/b_0,
  // goes to b_first, and y_{n−1}, z_{n−1} stay in sum_y, sum_z as the running back-substituted
  // values.
  {
    gather(w, storage, id_last, s);
    Real* __restrict up = u + (n - 1) * stride;
    const Real* __restrict um = up - stride;
    const Real* __restrict em = upper + (n - 2) * w;
    const Real* __restrict zm = corr + (n - 2) * w;
    for (std::size_t l = 0; l < w; ++l) {
      const Real gup = g_prev[l];
      const Real gw = g_wrap[l];
      const Real b0 = b_first[l];
      const Real m = Real(1) / (s[l] + gup + gw + gw * gw / b0 - gup * em[l]);
      const Real y = (s[l] * up[l] + gup * um[l]) * m;
      const Real z = (gup * zm[l] - gw) * m;
      const Real y0 = sum_y[l] + weight[l] * y;
      const Real z0 = sum_z[l] + weight[l] * z;
      const Real r = gw / b0;
      const Real fact = (y0 + r * y) / (Real(1) + z0 + r * z);
      up[l] = y - fact * z;
      b_first[l] = fact;
      sum_y[l] = y;
      sum_z[l] = z;
    }
  }
  for (std::size_t p = n - 1; p-- > 0;) {
    Real* __restrict up = u + p * stride;
    const Real* __restrict ep = upper + p * w;
    const Real* __restrict zp = corr + p * w;
    for (std::size_t l = 0; l < w; ++l) {
      const Real y = up[l] + ep[l] * sum_y[l];
      const Real z = zp[l] + ep[l] * sum_z[l];
      up[l] = y - b_first[l] * z;
      sum_y[l] = y;
      sum_z[l] = z;
    }
  }
}

/// Periodic lines of length n (≥ 3) with the same factors (a line of one material, from
/// UniformLines, or one line from OddLineTables): solve_periodic without divisions or look-ups.
template <class Real>
void solve_periodic_factored(const LineFactors<Real>& factors, std::size_t n, std::size_t w,
                             Real* __restrict u, std::size_t stride, SweepScratch<Real>& scratch) {
  const Real* __restrict alpha = factors.alpha;
  const Real* __restrict beta = factors.beta;
  const Real* __restrict weight = factors.weight;
  const Real* __restrict upper = factors.upper;
  const Real* __restrict z = factors.correction;
  Real* __restrict sum = scratch.lane(0);
  Real* __restrict y = scratch.lane(1);
  Real* __restrict fact = scratch.lane(2);
  for (std::size_t l = 0; l < w; ++l) {
    u[l] = alpha[0] * u[l];
    sum[l] = u[l];
  }
  for (std::size_t p = 1; p < n; ++p) {
    Real* __restrict up = u + p * stride;
    const Real* __restrict um = up - stride;
    const Real a = alpha[p];
    const Real b = beta[p];
    const Real wp = weight[p];
    for (std::size_t l = 0; l < w; ++l) {
      const Real f = a * up[l] + b * um[l];
      up[l] = f;
      sum[l] += wp * f;
    }
  }
  {
    Real* __restrict up = u + (n - 1) * stride;
    const Real r = factors.ratio;
    const Real scale = factors.scale;
    const Real zl = z[n - 1];
    for (std::size_t l = 0; l < w; ++l) {
      fact[l] = (sum[l] + r * up[l]) * scale;
      y[l] = up[l];
      up[l] = y[l] - fact[l] * zl;
    }
  }
  for (std::size_t p = n - 1; p-- > 0;) {
    Real* __restrict up = u + p * stride;
    const Real e = upper[p];
    const Real zp = z[p];
    for (std::size_t l = 0; l < w; ++l) {
      const Real yp = up[l] + e * y[l];
      y[l] = yp;
      up[l] = yp - fact[l] * zp;
    }
  }
}

/// Periodic lines of length n (≥ 3), all of material `m`: their factors from the tables
/// (MaterialCoefficients::UniformLines).
template <class Real>
void solve_periodic_uniform(const typename MaterialCoefficients<Real>::UniformLines& lines,
                            std::size_t m, std::size_t w, Real* u, std::size_t stride,
                            SweepScratch<Real>& scratch) {
  solve_periodic_factored(uniform_line_factors<Real>(lines, m), lines.n, w, u, stride, scratch);
}

/// split_lines for lines side by side (lane l's ids at ids[p·stride + l]).
inline LineSplit split_lanes(std::size_t n, std::size_t w, const std::uint8_t* ids,
                             std::size_t stride, std::uint8_t* odd) {
  std::uint8_t same[k_max_block_lanes];
  for (std::size_t l = 0; l < w; ++l) same[l] = 1;
  for (std::size_t p = 1; p < n; ++p) {
    const std::uint8_t* row = ids + p * stride;
    for (std::size_t l = 0; l < w; ++l) same[l] &= static_cast<std::uint8_t>(row[l] == ids[l]);
  }
  return split_lines(w, same, ids, odd);
}

/// Periodic lines of length 2: both faces join the same two cells, a 2 × 2 system.
template <class Real>
void solve_periodic_pair(std::size_t w, Real* u, std::size_t stride, const std::uint8_t* ids,
                         std::size_t id_stride, const MaterialCoefficients<Real>& materials,
                         Real c) {
  for (std::size_t l = 0; l < w; ++l) {
    const std::uint8_t a = ids[l];
    const std::uint8_t b = ids[id_stride + l];
    const Real g =
        Real(2) * harmonic_conductance(c, materials.inv_kappa[a], materials.inv_kappa[b]);
    const Real sa = materials.storage[a];
    const Real sb = materials.storage[b];
    const Real ma = sa * u[l];
    const Real mb = sb * u[stride + l];
    const Real det = sa * sb + g * (sa + sb);
    u[l] = ((sb + g) * ma + g * mb) / det;
    u[stride + l] = (g * ma + (sa + g) * mb) / det;
  }
}

template <class Real>
void solve_periodic_lines(std::size_t n, std::size_t w, Real* u, std::size_t stride,
                          const std::uint8_t* ids, std::size_t id_stride,
                          const MaterialCoefficients<Real>& materials,
                          const typename MaterialCoefficients<Real>::UniformLines& lines, Real c,
                          SweepScratch<Real>& scratch) {
  // A periodic line of one cell exchanges only with itself: nothing changes.
  if (n == 2) solve_periodic_pair(w, u, stride, ids, id_stride, materials, c);
  if (n < 3) return;
  if (lines.n != n || w > k_max_block_lanes) {
    solve_periodic(n, w, u, stride, ids, id_stride, materials, scratch);
    return;
  }
  // Lines of one material take the tables; the few that cross a channel (the odd lanes) are
  // copied aside first and solved in full on their own.
  std::uint8_t odd[k_max_block_lanes];
  const LineSplit split = split_lanes(n, w, ids, id_stride, odd);
  if (!split.tabulated) {
    solve_periodic(n, w, u, stride, ids, id_stride, materials, scratch);
    return;
  }
  const std::size_t k = split.odd_count;
  Real* aside = scratch.odd.data();
  std::uint8_t* aside_ids = scratch.odd_ids.data();
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t o = 0; o < k; ++o) {
      aside[p * k + o] = u[p * stride + odd[o]];
      aside_ids[p * k + o] = ids[p * id_stride + odd[o]];
    }
  }
  solve_periodic_uniform(lines, split.material, w, u, stride, scratch);
  if (k == 0) return;
  solve_periodic(n, k, aside, k, aside_ids, k, materials, scratch);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t o = 0; o < k; ++o) u[p * stride + odd[o]] = aside[p * k + o];
  }
}

}  // namespace

LineSplit split_lines(std::size_t w, const std::uint8_t* same, const std::uint8_t* first,
                      std::uint8_t* odd) {
  LineSplit split;
  const std::size_t uniform = static_cast<std::size_t>(
      std::find_if(same, same + w, [](std::uint8_t s) { return s != 0; }) - same);
  if (uniform == w) return split;
  split.material = first[uniform];
  for (std::size_t l = 0; l < w; ++l) {
    if (same[l] == 0 || first[l] != split.material) {
      odd[split.odd_count++] = static_cast<std::uint8_t>(l);
    }
  }
  split.tabulated = split.odd_count <= w / 4;
  return split;
}

template <class Real>
void sweep_x_plane(std::size_t nx, std::size_t ny, Real* plane, const std::uint8_t* ids,
                   const MaterialCoefficients<Real>& materials, Real dt_over_dx2,
                   SweepScratch<Real>& scratch) {
  sweep_x_rows(nx, ny, 0, ny, plane, ids, materials, dt_over_dx2, scratch);
}

namespace {

/// line[i·w + b] = rows[b·nx + i] for the w rows of a block (and back): across the rows first,
/// so the rows stream in side by side and each gathered position is written whole.
template <class Real>
void gather_rows_scalar(std::size_t nx, std::size_t w, const Real* __restrict rows,
                        Real* __restrict line) {
  for (std::size_t i = 0; i < nx; ++i) {
    for (std::size_t b = 0; b < w; ++b) line[i * w + b] = rows[b * nx + i];
  }
}

template <class Real>
void scatter_rows_scalar(std::size_t nx, std::size_t w, const Real* __restrict line,
                         Real* __restrict rows) {
  for (std::size_t i = 0; i < nx; ++i) {
    for (std::size_t b = 0; b < w; ++b) rows[b * nx + i] = line[i * w + b];
  }
}

template <class Real>
void gather_rows(std::size_t nx, std::size_t w, const Real* rows, Real* line) {
  gather_rows_scalar(nx, w, rows, line);
}

template <class Real>
void scatter_rows(std::size_t nx, std::size_t w, const Real* line, Real* rows) {
  scatter_rows_scalar(nx, w, line, rows);
}

#if defined(__SSE2__)
// In double, 2 × 2 blocks through the vector registers (the compiler leaves the loops above
// scalar).
template <>
void gather_rows<double>(std::size_t nx, std::size_t w, const double* __restrict rows,
                         double* __restrict line) {
  if (w % 2 != 0 || nx % 2 != 0) return gather_rows_scalar(nx, w, rows, line);
  for (std::size_t i = 0; i < nx; i += 2) {
    for (std::size_t b = 0; b < w; b += 2) {
      const __m128d first = _mm_loadu_pd(rows + b * nx + i);
      const __m128d second = _mm_loadu_pd(rows + (b + 1) * nx + i);
      _mm_storeu_pd(line + i * w + b, _mm_unpacklo_pd(first, second));
      _mm_storeu_pd(line + (i + 1) * w + b, _mm_unpackhi_pd(first, second));
    }
  }
}

template <>
void scatter_rows<double>(std::size_t nx, std::size_t w, const double* __restrict line,
                          double* __restrict rows) {
  if (w % 2 != 0 || nx % 2 != 0) return scatter_rows_scalar(nx, w, line, rows);
  for (std::size_t i = 0; i < nx; i += 2) {
    for (std::size_t b = 0; b < w; b += 2) {
      const __m128d here = _mm_loadu_pd(line + i * w + b);
      const __m128d next = _mm_loadu_pd(line + (i + 1) * w + b);
      _mm_storeu_pd(rows + b * nx + i, _mm_unpacklo_pd(here, next));
      _mm_storeu_pd(rows + (b + 1) * nx + i, _mm_unpackhi_pd(here, next));
    }
  }
}

// In float, 4 × 4 blocks.
template <>
void gather_rows<float>(std::size_t nx, std::size_t w, const float* __restrict rows,
                        float* __restrict line) {
  if (w % 4 != 0 || nx % 4 != 0) return gather_rows_scalar(nx, w, rows, line);
  for (std::size_t i = 0; i < nx; i += 4) {
    for (std::size_t b = 0; b < w; b += 4) {
      __m128 r0 = _mm_loadu_ps(rows + b * nx + i);
      __m128 r1 = _mm_loadu_ps(rows + (b + 1) * nx + i);
      __m128 r2 = _mm_loadu_ps(rows + (b + 2) * nx + i);
      __m128 r3 = _mm_loadu_ps(rows + (b + 3) * nx + i);
      _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
      _mm_storeu_ps(line + i * w + b, r0);
      _mm_storeu_ps(line + (i + 1) * w + b, r1);
      _mm_storeu_ps(line + (i + 2) * w + b, r2);
      _mm_storeu_ps(line + (i + 3) * w + b, r3);
    }
  }
}

template <>
void scatter_rows<float>(std::size_t nx, std::size_t w, const float* __restrict line,
                         float* __restrict rows) {
  if (w % 4 != 0 || nx % 4 != 0) return scatter_rows_scalar(nx, w, line, rows);
  for (std::size_t i = 0; i < nx; i += 4) {
    for (std::size_t b = 0; b < w; b += 4) {
      __m128 p0 = _mm_loadu_ps(line + i * w + b);
      __m128 p1 = _mm_loadu_ps(line + (i + 1) * w + b);
      __m128 p2 = _mm_loadu_ps(line + (i + 2) * w + b);
      __m128 p3 = _mm_loadu_ps(line + (i + 3) * w + b);
      _MM_TRANSPOSE4_PS(p0, p1, p2, p3);
      _mm_storeu_ps(rows + b * nx + i, p0);
      _mm_storeu_ps(rows + (b + 1) * nx + i, p1);
      _mm_storeu_ps(rows + (b + 2) * nx + i, p2);
      _mm_storeu_ps(rows + (b + 3) * nx + i, p3);
    }
  }
}
#endif

/// split_lines for the rows of a block (row b's ids at ids[b·nx]), read along the rows.
LineSplit split_rows(std::size_t nx, std::size_t w, const std::uint8_t* ids, std::uint8_t* odd) {
  std::uint8_t same[k_max_block_lanes];
  std::uint8_t first[k_max_block_lanes];
  for (std::size_t b = 0; b < w; ++b) {
    const std::uint8_t* row = ids + b * nx;
    unsigned differ = 0;
    for (std::size_t i = 1; i < nx; ++i) differ |= static_cast<unsigned>(row[i] ^ row[0]);
    same[b] = differ == 0 ? 1 : 0;
    first[b] = row[0];
  }
  return split_lines(w, same, first, odd);
}

/// Whether the odd rows of a block (rows_ids[odd[o]·nx …]) all have the same ids.
inline bool odd_rows_alike(std::size_t nx, const std::uint8_t* rows_ids, const std::uint8_t* odd,
                           std::size_t count) {
  const std::uint8_t* first = rows_ids + odd[0] * nx;
  for (std::size_t o = 1; o < count; ++o) {
    if (!std::equal(first, first + nx, rows_ids + odd[o] * nx)) return false;
  }
  return true;
}

}  // namespace

template <class Real>
void sweep_x_rows(std::size_t nx, std::size_t /*ny*/, std::size_t j_begin, std::size_t j_end,
                  Real* plane, const std::uint8_t* ids, const MaterialCoefficients<Real>& materials,
                  Real dt_over_dx2, SweepScratch<Real>& scratch) {
  if (nx < 2) return;
  // Lines along x are contiguous, so lanes would be nx apart: gather a block of lines across
  // ([i][line]) so that the solve runs over adjacent lanes, then scatter the result back.
  // Lines of one material need no ids gathered; the odd ones are solved in place, alone.
  Real* line = scratch.gathered.data();
  std::uint8_t* line_ids = scratch.gathered_ids.data();
  constexpr std::size_t block = x_block(sizeof(Real));
  const auto& lines = materials.lines_x;
  for (std::size_t j0 = j_begin; j0 < j_end; j0 += block) {
    const std::size_t w = std::min(block, j_end - j0);
    Real* rows = plane + j0 * nx;
    const std::uint8_t* rows_ids = ids + j0 * nx;
    std::uint8_t odd[k_max_block_lanes];
    const LineSplit split =
        nx >= 3 && lines.n == nx ? split_rows(nx, w, rows_ids, odd) : LineSplit{};
    if (!split.tabulated) {
      gather_rows(nx, w, rows, line);
      for (std::size_t i = 0; i < nx; ++i) {
        for (std::size_t b = 0; b < w; ++b) line_ids[i * w + b] = rows_ids[b * nx + i];
      }
      if (nx >= 3) {
        solve_periodic(nx, w, line, w, line_ids, w, materials, scratch);
      } else {
        solve_periodic_pair(w, line, w, line_ids, w, materials, dt_over_dx2);
      }
      scatter_rows(nx, w, line, rows);
      continue;
    }
    const bool wide = w == block && nx % block == 0 && wide_lines_active();
    if (wide && split.odd_count > 0 && odd_rows_alike(nx, rows_ids, odd, split.odd_count)) {
      // One id sequence apart (a channel's chord, row after row): its factors ride in their
      // lanes of the wide solve.
      const LineFactors<Real> factors =
          scratch.odd_lines.find(materials, nx, rows_ids + odd[0] * nx, 1);
      unsigned lanes = 0;
      for (std::size_t o = 0; o < split.odd_count; ++o) lanes |= 1u << odd[o];
      solve_rows_with_odd_lanes(lines, split.material, factors, lanes, nx, rows, line);
      continue;
    }
    Real* aside = scratch.odd.data();
    for (std::size_t o = 0; o < split.odd_count; ++o) {
      std::copy(rows + odd[o] * nx, rows + (odd[o] + 1) * nx, aside + o * nx);
    }
    if (wide) {
      solve_uniform_rows(lines, split.material, nx, rows, line);
    } else {
      gather_rows(nx, w, rows, line);
      solve_periodic_uniform(lines, split.material, w, line, w, scratch);
      scatter_rows(nx, w, line, rows);
    }
    for (std::size_t o = 0; o < split.odd_count; ++o) {
      const LineFactors<Real> factors =
          scratch.odd_lines.find(materials, nx, rows_ids + odd[o] * nx, 1);
      solve_periodic_factored(factors, nx, 1, aside + o * nx, 1, scratch);
      std::copy(aside + o * nx, aside + (o + 1) * nx, rows + odd[o] * nx);
    }
  }
}

template <class Real>
void sweep_y_plane(std::size_t nx, std::size_t ny, Real* plane, const std::uint8_t* ids,
                   const MaterialCoefficients<Real>& materials, Real dt_over_dx2,
                   SweepScratch<Real>& scratch) {
  for (std::size_t i0 = 0; i0 < nx; i0 += k_y_strip) {
    const std::size_t w = std::min(k_y_strip, nx - i0);
    solve_periodic_lines(ny, w, plane + i0, nx, ids + i0, nx, materials, materials.lines_y,
                         dt_over_dx2, scratch);
  }
}

template <class Real>
void solve_lines_in_full(std::size_t n, std::size_t w, Real* u, std::size_t stride,
                         const std::uint8_t* ids, std::size_t id_stride,
                         const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch) {
  solve_periodic(n, w, u, stride, ids, id_stride, materials, scratch);
}

template <class Real>
void solve_lines_apart(std::size_t n, std::size_t w, Real* u, std::size_t stride,
                       const std::uint8_t* ids, std::size_t id_stride,
                       const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch) {
  bool alike = n >= 3;
  for (std::size_t p = 0; p < n && alike; ++p) {
    const std::uint8_t* row = ids + p * id_stride;
    for (std::size_t l = 1; l < w; ++l) alike = alike && row[l] == row[0];
  }
  if (!alike) {
    solve_periodic(n, w, u, stride, ids, id_stride, materials, scratch);
    return;
  }
  const LineFactors<Real> factors = scratch.odd_lines.find(materials, n, ids, id_stride);
  solve_periodic_factored(factors, n, w, u, stride, scratch);
}

namespace {

/// Row p of the column systems for w adjacent columns. The first row couples to the outside
/// through the top conductance (already in g_prev) instead of a row above; the last row's
/// downward conductance is the bottom face's. Conductances from the step's tables.
template <bool First, bool Last, class Real>
inline void eliminate_row(const ZSweep<Real>& z, std::size_t p, std::size_t w, Real* __restrict u,
                          const std::uint8_t* __restrict ids,
                          const MaterialCoefficients<Real>& materials, Real* __restrict upper,
                          SweepScratch<Real>& scratch) {
  const std::size_t stride = z.nx * z.ny;
  const Real dt = z.dt_s;
  Real* __restrict g_prev = scratch.lane(0);
  Real* __restrict s = scratch.lane(3);
  Real* __restrict g_next = scratch.lane(4);
  Real* __restrict sink = scratch.lane(6);
  const std::uint8_t* idp = ids + p * stride;
  gather(w, materials.storage.data(), idp, s);
  gather(w, materials.sink_storage.data(), idp, sink);
  if constexpr (Last) {
    gather(w, materials.bottom.data(), idp, g_next);
  } else {
    const std::size_t count = materials.count;
    face_conductances(w, materials.vertical.data() + p * count * count, count, idp, idp + stride,
                      g_next);
  }
  Real* __restrict up = u + p * stride;
  const Real* __restrict um = First ? up : up - stride;
  Real* __restrict ep = upper + p * w;
  const Real* __restrict em = First ? ep : ep - w;
  const Real dz = z.dz_m[p];
  const Real u_out = z.outside_potential;
  for (std::size_t l = 0; l < w; ++l) {
    const Real gup = g_prev[l];
    const Real gdn = g_next[l];
    const Real mass = s[l] * dz;
    Real diagonal = mass + dt * sink[l] * dz + gup + gdn;
    Real above = u_out;
    if constexpr (!First) {
      diagonal -= gup * em[l];
      above = um[l];
    }
    const Real m = Real(1) / diagonal;
    ep[l] = gdn * m;
    up[l] = (mass * up[l] + gup * above) * m;
    g_prev[l] = gdn;
  }
}

/// Columns i0 … i0+w−1 of one vertical plane: a tridiagonal system per column with the top
/// exchange in row 0, the bottom face in row nz−1 and the sink on the diagonal.
template <class Real>
StepBalance solve_columns(const ZSweep<Real>& z, std::size_t w, Real* __restrict u,
                          const std::uint8_t* __restrict ids,
                          const MaterialCoefficients<Real>& materials,
                          SweepScratch<Real>& scratch) {
  const std::size_t nz = z.dz_m.size();
  const std::size_t stride = z.nx * z.ny;
  const Real dt = z.dt_s;
  Real* __restrict upper = scratch.upper.data();
  Real* __restrict g_prev = scratch.lane(0);
  Real* __restrict g_top = scratch.lane(1);
  Real* __restrict sink = scratch.lane(6);
  double* __restrict sink_sum = scratch.sums.data();

  // The top conductance: the surface film in series with the top half-cell (zero where the
  // surface is sealed or the cell impermeable).
  gather(w, materials.top.data(), ids, g_prev);
  for (std::size_t l = 0; l < w; ++l) {
    g_top[l] = g_prev[l];
    sink_sum[l] = 0;
  }
  if (nz == 1) {
    eliminate_row<true, true>(z, 0, w, u, ids, materials, upper, scratch);
  } else {
    eliminate_row<true, false>(z, 0, w, u, ids, materials, upper, scratch);
    for (std::size_t p = 1; p + 1 < nz; ++p) {
      eliminate_row<false, false>(z, p, w, u, ids, materials, upper, scratch);
    }
    eliminate_row<false, true>(z, nz - 1, w, u, ids, materials, upper, scratch);
  }
  // g_prev now holds each column's bottom-face conductance. Back substitution, with the sink's
  // removal summed from the final values of the same step.
  for (std::size_t p = nz; p-- > 0;) {
    gather(w, materials.sink_storage.data(), ids + p * stride, sink);
    Real* __restrict up = u + p * stride;
    const Real* __restrict ep = upper + p * w;
    const Real dt_dz = dt * z.dz_m[p];
    if (p + 1 < nz) {
      const Real* __restrict un = up + stride;
      for (std::size_t l = 0; l < w; ++l) up[l] += ep[l] * un[l];
    }
    for (std::size_t l = 0; l < w; ++l) {
      sink_sum[l] += static_cast<double>(dt_dz * sink[l] * up[l]);
    }
  }
  StepBalance balance;
  const Real u_out = z.outside_potential;
  const Real* __restrict u_bottom = u + (nz - 1) * stride;
  for (std::size_t l = 0; l < w; ++l) {
    balance.entered_top += static_cast<double>(g_top[l] * (u_out - u[l]));
    balance.left_bottom += static_cast<double>(g_prev[l] * u_bottom[l]);
    balance.removed_sink += sink_sum[l];
  }
  return balance;
}

}  // namespace

template <class Real>
StepBalance sweep_z_plane(const ZSweep<Real>& z, Real* field, const std::uint8_t* ids,
                          const MaterialCoefficients<Real>& materials,
                          SweepScratch<Real>& scratch) {
  StepBalance balance;
  for (std::size_t i0 = 0; i0 < z.nx; i0 += k_z_strip) {
    const std::size_t w = std::min(k_z_strip, z.nx - i0);
    balance += solve_columns(z, w, field + i0, ids + i0, materials, scratch);
  }
  return balance;
}

#define CITSIM_DIFFUSION3D_SWEEPS(Real)                                                            \
  template void sweep_x_plane<Real>(std::size_t, std::size_t, Real*, const std::uint8_t*,          \
                                    const MaterialCoefficients<Real>&, Real, SweepScratch<Real>&); \
  template void sweep_y_plane<Real>(std::size_t, std::size_t, Real*, const std::uint8_t*,          \
                                    const MaterialCoefficients<Real>&, Real, SweepScratch<Real>&); \
  template void sweep_x_rows<Real>(std::size_t, std::size_t, std::size_t, std::size_t, Real*,      \
                                   const std::uint8_t*, const MaterialCoefficients<Real>&, Real,   \
                                   SweepScratch<Real>&);                                           \
  template void solve_lines_apart<Real>(std::size_t, std::size_t, Real*, std::size_t,              \
                                        const std::uint8_t*, std::size_t,                          \
                                        const MaterialCoefficients<Real>&, SweepScratch<Real>&);   \
  template void solve_lines_in_full<Real>(std::size_t, std::size_t, Real*, std::size_t,            \
                                          const std::uint8_t*, std::size_t,                        \
                                          const MaterialCoefficients<Real>&, SweepScratch<Real>&); \
  template StepBalance sweep_z_plane<Real>(const ZSweep<Real>&, Real*, const std::uint8_t*,        \
                                           const MaterialCoefficients<Real>&,                      \
                                           SweepScratch<Real>&);

CITSIM_DIFFUSION3D_SWEEPS(float)
CITSIM_DIFFUSION3D_SWEEPS(double)

#undef CITSIM_DIFFUSION3D_SWEEPS

}  // namespace citsim::numerics::detail
