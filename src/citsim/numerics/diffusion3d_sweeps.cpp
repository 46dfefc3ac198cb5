// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_sweeps.hpp"

#include <algorithm>
#include <limits>

#if defined(__SSE__)
#include <xmmintrin.h>
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

/// Harmonic-mean face coefficient c·2/(1/kappa_a + 1/kappa_b); zero when either is impermeable
/// (+inf reciprocal), without a branch.
template <class Real>
inline Real harmonic(Real c, Real inv_a, Real inv_b) {
  return c * Real(2) / (inv_a + inv_b);
}

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
/// corners, solved with Sherman–Morrison on Thomas (gamma = −b_0).
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
    upper[l] = gdn * m;
    u[l] = s[l] * u[l] * m;
    corr[l] = -b * m;
    g_prev[l] = gdn;
    b_first[l] = b;
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
      ep[l] = gdn * m;
      up[l] = (s[l] * up[l] + gup * um[l]) * m;
      zp[l] = gup * zm[l] * m;
      g_prev[l] = gdn;
    }
  }
  {
    // Row n−1 with b'_{n−1} = b_{n−1} − alpha·beta/gamma = b_{n−1} + gw²/b_0, alpha = −gw.
    gather(w, storage, id_last, s);
    Real* __restrict up = u + (n - 1) * stride;
    const Real* __restrict um = up - stride;
    const Real* __restrict em = upper + (n - 2) * w;
    Real* __restrict zp = corr + (n - 1) * w;
    const Real* __restrict zm = zp - w;
    for (std::size_t l = 0; l < w; ++l) {
      const Real gup = g_prev[l];
      const Real gw = g_wrap[l];
      const Real m = Real(1) / (s[l] + gup + gw + gw * gw / b_first[l] - gup * em[l]);
      up[l] = (s[l] * up[l] + gup * um[l]) * m;
      zp[l] = (gup * zm[l] - gw) * m;
    }
  }
  for (std::size_t p = n - 1; p-- > 0;) {
    Real* __restrict up = u + p * stride;
    const Real* __restrict un = up + stride;
    const Real* __restrict ep = upper + p * w;
    Real* __restrict zp = corr + p * w;
    const Real* __restrict zn = zp + w;
    for (std::size_t l = 0; l < w; ++l) {
      up[l] += ep[l] * un[l];
      zp[l] += ep[l] * zn[l];
    }
  }
  // x = y − fact·z, fact = (y_0 + (beta/gamma) y_{n−1}) / (1 + z_0 + (beta/gamma) z_{n−1}),
  // beta/gamma = gw/b_0. The factor goes to g_prev, which is free now.
  {
    const Real* __restrict ylast = u + (n - 1) * stride;
    const Real* __restrict zlast = corr + (n - 1) * w;
    for (std::size_t l = 0; l < w; ++l) {
      const Real r = g_wrap[l] / b_first[l];
      g_prev[l] = (u[l] + r * ylast[l]) / (Real(1) + corr[l] + r * zlast[l]);
    }
  }
  for (std::size_t p = 0; p < n; ++p) {
    Real* __restrict up = u + p * stride;
    const Real* __restrict zp = corr + p * w;
    for (std::size_t l = 0; l < w; ++l) up[l] -= g_prev[l] * zp[l];
  }
}

/// Periodic lines of length 2: both faces join the same two cells, a 2 × 2 system.
template <class Real>
void solve_periodic_pair(std::size_t w, Real* u, std::size_t stride, const std::uint8_t* ids,
                         std::size_t id_stride, const MaterialCoefficients<Real>& materials,
                         Real c) {
  for (std::size_t l = 0; l < w; ++l) {
    const std::uint8_t a = ids[l];
    const std::uint8_t b = ids[id_stride + l];
    const Real g = Real(2) * harmonic(c, materials.inv_kappa[a], materials.inv_kappa[b]);
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
                          const MaterialCoefficients<Real>& materials, Real c,
                          SweepScratch<Real>& scratch) {
  // A periodic line of one cell exchanges only with itself: nothing changes.
  if (n == 2) solve_periodic_pair(w, u, stride, ids, id_stride, materials, c);
  if (n >= 3) solve_periodic(n, w, u, stride, ids, id_stride, materials, scratch);
}

}  // namespace

template <class Real>
MaterialCoefficients<Real>::MaterialCoefficients()
    : storage(k_max_materials, std::numeric_limits<Real>::quiet_NaN()),
      inv_kappa(k_max_materials, std::numeric_limits<Real>::infinity()),
      sink_storage(k_max_materials, Real(0)),
      inv_top(k_max_materials, std::numeric_limits<Real>::infinity()) {}

template <class Real>
void MaterialCoefficients<Real>::assign(std::span<const Material> materials,
                                        const Diffusion3dBoundary& boundary) {
  constexpr Real inf = std::numeric_limits<Real>::infinity();
  std::fill(storage.begin(), storage.end(), std::numeric_limits<Real>::quiet_NaN());
  std::fill(inv_kappa.begin(), inv_kappa.end(), inf);
  std::fill(sink_storage.begin(), sink_storage.end(), Real(0));
  std::fill(inv_top.begin(), inv_top.end(), inf);
  for (std::size_t m = 0; m < materials.size(); ++m) {
    const Material& material = materials[m];
    storage[m] = static_cast<Real>(material.storage);
    const auto kappa = static_cast<Real>(material.conductivity_m2_s);
    inv_kappa[m] = kappa > 0 ? Real(1) / kappa : inf;
    sink_storage[m] = static_cast<Real>(material.sink_rate_1_s * material.storage);
    const double h = material.top_exchange * boundary.top_transfer_m_s;
    const bool open = boundary.top == TopBoundary::exchange && h > 0;
    inv_top[m] = open ? static_cast<Real>(1.0 / h) : inf;
  }
  count = materials.size();
}

template <class Real>
void MaterialCoefficients<Real>::set_step(Real dt, Real dt_over_dx2, std::span<const Real> half_dz,
                                          Real inv_bottom) {
  const std::size_t nz = half_dz.size();
  lateral.resize(count * count);
  vertical.resize(count * count * (nz > 0 ? nz - 1 : 0));
  top.resize(count);
  bottom.resize(count);
  // The same expressions the sweeps evaluated per face before: the same bits.
  for (std::size_t a = 0; a < count; ++a) {
    for (std::size_t b = 0; b < count; ++b) {
      lateral[a * count + b] = harmonic(dt_over_dx2, inv_kappa[a], inv_kappa[b]);
      for (std::size_t p = 0; p + 1 < nz; ++p) {
        vertical[(p * count + a) * count + b] =
            dt / (half_dz[p] * inv_kappa[a] + half_dz[p + 1] * inv_kappa[b]);
      }
    }
    top[a] = dt / (inv_top[a] + half_dz[0] * inv_kappa[a]);
    bottom[a] = dt / (half_dz[nz - 1] * inv_kappa[a] + inv_bottom);
  }
}

template <class Real>
std::size_t MaterialCoefficients<Real>::bytes() const {
  return (storage.size() + inv_kappa.size() + sink_storage.size() + inv_top.size() +
          lateral.size() + vertical.size() + top.size() + bottom.size()) *
         sizeof(Real);
}

template <class Real>
SweepScratch<Real>::SweepScratch(const ScratchSizes& sizes)
    : upper(sizes.upper),
      correction(sizes.correction),
      gathered(sizes.gathered),
      gathered_ids(sizes.gathered),
      lanes(k_lane_arrays * sizes.lanes),
      sums(sizes.sums),
      m_lane_size(sizes.lanes) {
  for (std::size_t a = 0; a < k_lane_arrays; ++a) m_lane_order[a] = a;
}

template <class Real>
std::size_t SweepScratch<Real>::bytes() const {
  return (upper.size() + correction.size() + gathered.size() + lanes.size()) * sizeof(Real) +
         gathered_ids.size() + sums.size() * sizeof(double);
}

template <class Real>
void sweep_x_plane(std::size_t nx, std::size_t ny, Real* plane, const std::uint8_t* ids,
                   const MaterialCoefficients<Real>& materials, Real dt_over_dx2,
                   SweepScratch<Real>& scratch) {
  if (nx < 2) return;
  // Lines along x are contiguous, so lanes would be nx apart: gather a block of lines across
  // ([i][line]) so that the solve runs over adjacent lanes, then scatter the result back.
  Real* line = scratch.gathered.data();
  std::uint8_t* line_ids = scratch.gathered_ids.data();
  constexpr std::size_t block = x_block(sizeof(Real));
  for (std::size_t j0 = 0; j0 < ny; j0 += block) {
    const std::size_t w = std::min(block, ny - j0);
    for (std::size_t b = 0; b < w; ++b) {
      const Real* row = plane + (j0 + b) * nx;
      const std::uint8_t* row_ids = ids + (j0 + b) * nx;
      for (std::size_t i = 0; i < nx; ++i) {
        line[i * w + b] = row[i];
        line_ids[i * w + b] = row_ids[i];
      }
    }
    solve_periodic_lines(nx, w, line, w, line_ids, w, materials, dt_over_dx2, scratch);
    for (std::size_t b = 0; b < w; ++b) {
      Real* row = plane + (j0 + b) * nx;
      for (std::size_t i = 0; i < nx; ++i) row[i] = line[i * w + b];
    }
  }
}

template <class Real>
void sweep_y_plane(std::size_t nx, std::size_t ny, Real* plane, const std::uint8_t* ids,
                   const MaterialCoefficients<Real>& materials, Real dt_over_dx2,
                   SweepScratch<Real>& scratch) {
  for (std::size_t i0 = 0; i0 < nx; i0 += k_y_strip) {
    const std::size_t w = std::min(k_y_strip, nx - i0);
    solve_periodic_lines(ny, w, plane + i0, nx, ids + i0, nx, materials, dt_over_dx2, scratch);
  }
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
  template struct MaterialCoefficients<Real>;                                                      \
  template struct SweepScratch<Real>;                                                              \
  template void sweep_x_plane<Real>(std::size_t, std::size_t, Real*, const std::uint8_t*,          \
                                    const MaterialCoefficients<Real>&, Real, SweepScratch<Real>&); \
  template void sweep_y_plane<Real>(std::size_t, std::size_t, Real*, const std::uint8_t*,          \
                                    const MaterialCoefficients<Real>&, Real, SweepScratch<Real>&); \
  template StepBalance sweep_z_plane<Real>(const ZSweep<Real>&, Real*, const std::uint8_t*,        \
                                           const MaterialCoefficients<Real>&,                      \
                                           SweepScratch<Real>&);

CITSIM_DIFFUSION3D_SWEEPS(float)
CITSIM_DIFFUSION3D_SWEEPS(double)

#undef CITSIM_DIFFUSION3D_SWEEPS

}  // namespace citsim::numerics::detail
