// SPDX-License-Identifier: MIT
#pragma once

/// AVX-512 register transposes for the wide line solves (diffusion3d_wide.cpp) and the LOD
/// floor benchmark (bench/lod_floor.cpp). CITSIM_WIDE_LINES is 1 where they exist (GCC on
/// x86-64); CITSIM_AVX512 marks a function compiled for AVX-512F, to be called only where the
/// CPU has it.
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

#if CITSIM_WIDE_LINES
namespace citsim::numerics::detail {

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

}  // namespace citsim::numerics::detail
#endif
