// SPDX-License-Identifier: MIT
// Compiled with -ffp-contract=off (src/citsim/CMakeLists.txt): the compiler would otherwise fuse
// the intrinsics' multiplies and adds, and the results would no longer match the portable
// paths bit for bit.
#include "citsim/numerics/diffusion3d_wide.hpp"

#include <atomic>
#include <cstdlib>

#include "citsim/numerics/wide_transpose.hpp"

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
