// SPDX-License-Identifier: MIT
// Compiled with -ffp-contract=off (src/citsim/CMakeLists.txt): the compiler would otherwise fuse
// the intrinsics' multiplies and adds, and the results would no longer match the portable
// paths bit for bit.
#include "citsim/numerics/diffusion3d_wide.hpp"

#include <atomic>
#include <cstdlib>

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 headers trip its own -W(maybe-)uninitialized (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#define CITSIM_WIDE_LINES 1
#define CITSIM_AVX512 __attribute__((target("avx512f")))
#else
#define CITSIM_WIDE_LINES 0
#endif

namespace citsim::numerics::detail {

namespace {

std::atomic<bool> g_wide_enabled{true};

bool cpu_has_avx512f() {
#if CITSIM_WIDE_LINES
  // CITSIM_NO_AVX512 (any value) runs the portable paths, to compare speeds on one machine.
  static const bool has =
      __builtin_cpu_supports("avx512f") != 0 && std::getenv("CITSIM_NO_AVX512") == nullptr;
  return has;
#else
  return false;
#endif
}

}  // namespace

bool wide_lines_active() {
  return cpu_has_avx512f() && g_wide_enabled.load(std::memory_order_relaxed);
}

bool set_wide_lines_enabled(bool enabled) {
  return g_wide_enabled.exchange(enabled, std::memory_order_relaxed);
}

#if CITSIM_WIDE_LINES

namespace {

/// r[b] (row b, 8 positions) → r[q] (position q, 8 rows).
CITSIM_AVX512 inline void transpose8(__m512d* r) {
  __m512d t[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
  }
  // t[0] = rows 0,1 at positions 0 | 2 | 4 | 6 (128-bit lanes); t[1] the odd positions.
  const __m512d s0 = _mm512_shuffle_f64x2(t[0], t[2], 0x88);  // rows 0-3, positions 0, 4
  const __m512d s1 = _mm512_shuffle_f64x2(t[0], t[2], 0xDD);  // positions 2, 6
  const __m512d s2 = _mm512_shuffle_f64x2(t[1], t[3], 0x88);  // positions 1, 5
  const __m512d s3 = _mm512_shuffle_f64x2(t[1], t[3], 0xDD);  // positions 3, 7
  const __m512d s4 = _mm512_shuffle_f64x2(t[4], t[6], 0x88);  // rows 4-7, the same
  const __m512d s5 = _mm512_shuffle_f64x2(t[4], t[6], 0xDD);
  const __m512d s6 = _mm512_shuffle_f64x2(t[5], t[7], 0x88);
  const __m512d s7 = _mm512_shuffle_f64x2(t[5], t[7], 0xDD);
  r[0] = _mm512_shuffle_f64x2(s0, s4, 0x88);
  r[4] = _mm512_shuffle_f64x2(s0, s4, 0xDD);
  r[2] = _mm512_shuffle_f64x2(s1, s5, 0x88);
  r[6] = _mm512_shuffle_f64x2(s1, s5, 0xDD);
  r[1] = _mm512_shuffle_f64x2(s2, s6, 0x88);
  r[5] = _mm512_shuffle_f64x2(s2, s6, 0xDD);
  r[3] = _mm512_shuffle_f64x2(s3, s7, 0x88);
  r[7] = _mm512_shuffle_f64x2(s3, s7, 0xDD);
}

/// r[b] (row b, 16 positions) → r[q] (position q, 16 rows).
CITSIM_AVX512 inline void transpose16(__m512* r) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // u[4g + c]: in 128-bit lane L, position 4L + c of rows 4g … 4g + 3.
  __m512 u[16];
  for (int g = 0; g < 4; ++g) {
    const __m512d lo = _mm512_castps_pd(t[4 * g]);
    const __m512d lo2 = _mm512_castps_pd(t[4 * g + 2]);
    const __m512d hi = _mm512_castps_pd(t[4 * g + 1]);
    const __m512d hi2 = _mm512_castps_pd(t[4 * g + 3]);
    u[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(lo, lo2));
    u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(lo, lo2));
    u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(hi, hi2));
    u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(hi, hi2));
  }
  // A 4 × 4 transpose of 128-bit lanes across u[c], u[4 + c], u[8 + c], u[12 + c].
  for (int c = 0; c < 4; ++c) {
    const __m512 s0 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0x44);
    const __m512 s1 = _mm512_shuffle_f32x4(u[c], u[4 + c], 0xEE);
    const __m512 s2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0x44);
    const __m512 s3 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0xEE);
    r[c] = _mm512_shuffle_f32x4(s0, s2, 0x88);
    r[4 + c] = _mm512_shuffle_f32x4(s0, s2, 0xDD);
    r[8 + c] = _mm512_shuffle_f32x4(s1, s3, 0x88);
    r[12 + c] = _mm512_shuffle_f32x4(s1, s3, 0xDD);
  }
}

/// The vector operations one lane type needs, so that one solve serves double and float.
struct Lanes8 {
  using Real = double;
  using Vec = __m512d;
  static constexpr std::size_t width = 8;
  CITSIM_AVX512 static Vec load(const Real* p) { return _mm512_loadu_pd(p); }
  CITSIM_AVX512 static void store(Real* p, Vec v) { _mm512_storeu_pd(p, v); }
  CITSIM_AVX512 static Vec broadcast(Real x) { return _mm512_set1_pd(x); }
  CITSIM_AVX512 static Vec add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
  CITSIM_AVX512 static Vec sub(Vec a, Vec b) { return _mm512_sub_pd(a, b); }
  CITSIM_AVX512 static Vec mul(Vec a, Vec b) { return _mm512_mul_pd(a, b); }
  /// b in the lanes whose bit is set in `lanes`, a elsewhere.
  CITSIM_AVX512 static Vec blend(unsigned lanes, Vec a, Vec b) {
    return _mm512_mask_blend_pd(static_cast<__mmask8>(lanes), a, b);
  }
  CITSIM_AVX512 static void transpose(Vec* r) { transpose8(r); }
};

struct Lanes16 {
  using Real = float;
  using Vec = __m512;
  static constexpr std::size_t width = 16;
  CITSIM_AVX512 static Vec load(const Real* p) { return _mm512_loadu_ps(p); }
  CITSIM_AVX512 static void store(Real* p, Vec v) { _mm512_storeu_ps(p, v); }
  CITSIM_AVX512 static Vec broadcast(Real x) { return _mm512_set1_ps(x); }
  CITSIM_AVX512 static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  CITSIM_AVX512 static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  CITSIM_AVX512 static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
  CITSIM_AVX512 static Vec blend(unsigned lanes, Vec a, Vec b) {
    return _mm512_mask_blend_ps(static_cast<__mmask16>(lanes), a, b);
  }
  CITSIM_AVX512 static void transpose(Vec* r) { transpose16(r); }
};

/// of_line in every lane, or with Blend of_odd in the lanes set in `odd_lanes`.
template <class L, bool Blend>
CITSIM_AVX512 inline typename L::Vec pick(unsigned odd_lanes, typename L::Real of_line,
                                          typename L::Real of_odd) {
  if constexpr (Blend) {
    return L::blend(odd_lanes, L::broadcast(of_line), L::broadcast(of_odd));
  } else {
    return L::broadcast(of_line);
  }
}

/// solve_periodic_uniform (diffusion3d_sweeps.cpp) on W rows with one line per vector lane:
/// the same operations in the same order, so the same bits. The elimination reads the rows a
/// W × W tile at a time and keeps its values, [position][row], in `forward`; the back
/// substitution writes the rows back tile by tile. With `Blend`, the lanes set in `odd_lanes`
/// take the factors `odd` instead (solve_periodic_factored's operations, the same bits).
template <class L, bool Blend>
CITSIM_AVX512 void solve_rows_wide(const LineFactors<typename L::Real>& line,
                                   const LineFactors<typename L::Real>& odd, unsigned odd_lanes,
                                   std::size_t n, std::size_t nx, typename L::Real* rows,
                                   typename L::Real* forward) {
  using Vec = typename L::Vec;
  using Real = typename L::Real;
  constexpr std::size_t w = L::width;
  const auto factor = [&](const Real* of_line, const Real* of_odd, std::size_t i) CITSIM_AVX512 {
    return pick<L, Blend>(odd_lanes, of_line[i], of_odd[i]);
  };
  Vec tile[w];
  Vec f{};
  Vec sum{};
  for (std::size_t i0 = 0; i0 < n; i0 += w) {
    for (std::size_t b = 0; b < w; ++b) tile[b] = L::load(rows + b * nx + i0);
    L::transpose(tile);
    std::size_t q = 0;
    if (i0 == 0) {
      f = L::mul(factor(line.alpha, odd.alpha, 0), tile[0]);
      sum = f;
      L::store(forward, f);
      q = 1;
    }
    for (; q < w; ++q) {
      const std::size_t i = i0 + q;
      f = L::add(L::mul(factor(line.alpha, odd.alpha, i), tile[q]),
                 L::mul(factor(line.beta, odd.beta, i), f));
      sum = L::add(sum, L::mul(factor(line.weight, odd.weight, i), f));
      L::store(forward + i * w, f);
    }
  }
  const Vec fact = L::mul(L::add(sum, L::mul(pick<L, Blend>(odd_lanes, line.ratio, odd.ratio), f)),
                          pick<L, Blend>(odd_lanes, line.scale, odd.scale));
  Vec y = f;
  for (std::size_t i0 = n; i0 > 0;) {
    i0 -= w;
    for (std::size_t q = w; q-- > 0;) {
      const std::size_t i = i0 + q;
      if (i + 1 < n) {
        y = L::add(L::load(forward + i * w), L::mul(factor(line.upper, odd.upper, i), y));
      }
      tile[q] = L::sub(y, L::mul(fact, factor(line.correction, odd.correction, i)));
    }
    L::transpose(tile);
    for (std::size_t b = 0; b < w; ++b) L::store(rows + b * nx + i0, tile[b]);
  }
}

}  // namespace

void solve_uniform_rows(const MaterialCoefficients<double>::UniformLines& lines,
                        std::size_t material, std::size_t nx, double* rows, double* forward) {
  const LineFactors<double> line = uniform_line_factors<double>(lines, material);
  solve_rows_wide<Lanes8, false>(line, line, 0, lines.n, nx, rows, forward);
}

void solve_uniform_rows(const MaterialCoefficients<float>::UniformLines& lines,
                        std::size_t material, std::size_t nx, float* rows, float* forward) {
  const LineFactors<float> line = uniform_line_factors<float>(lines, material);
  solve_rows_wide<Lanes16, false>(line, line, 0, lines.n, nx, rows, forward);
}

void solve_rows_with_odd_lanes(const MaterialCoefficients<double>::UniformLines& lines,
                               std::size_t material, const LineFactors<double>& odd,
                               unsigned odd_lanes, std::size_t nx, double* rows, double* forward) {
  solve_rows_wide<Lanes8, true>(uniform_line_factors<double>(lines, material), odd, odd_lanes,
                                lines.n, nx, rows, forward);
}

void solve_rows_with_odd_lanes(const MaterialCoefficients<float>::UniformLines& lines,
                               std::size_t material, const LineFactors<float>& odd,
                               unsigned odd_lanes, std::size_t nx, float* rows, float* forward) {
  solve_rows_wide<Lanes16, true>(uniform_line_factors<float>(lines, material), odd, odd_lanes,
                                 lines.n, nx, rows, forward);
}

#else

// Never called: wide_lines_active() is false without x86-64.
void solve_uniform_rows(const MaterialCoefficients<double>::UniformLines&, std::size_t, std::size_t,
                        double*, double*) {}
void solve_uniform_rows(const MaterialCoefficients<float>::UniformLines&, std::size_t, std::size_t,
                        float*, float*) {}
void solve_rows_with_odd_lanes(const MaterialCoefficients<double>::UniformLines&, std::size_t,
                               const LineFactors<double>&, unsigned, std::size_t, double*,
                               double*) {}
void solve_rows_with_odd_lanes(const MaterialCoefficients<float>::UniformLines&, std::size_t,
                               const LineFactors<float>&, unsigned, std::size_t, float*, float*) {}

#endif

}  // namespace citsim::numerics::detail
