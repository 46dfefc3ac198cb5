// SPDX-License-Identifier: MIT
#include "lod_floor.hpp"

#include <algorithm>
#include <stdexcept>

#include "citsim/numerics/wide_transpose.hpp"

namespace citsim::bench {
namespace {

/// Backward Euler along one line of n cells, r = D·Δt/Δx², no flux through its ends.
LodFloor::LineFactors line_factors(std::size_t n, double r) {
  LodFloor::LineFactors f{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  double c_before = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double below = i > 0 ? -r : 0.0;
    const double above = i + 1 < n ? -r : 0.0;
    const double diagonal = 1 - below - above;
    const double pivot = diagonal - below * c_before;
    f.a[i] = below;
    f.m[i] = 1 / pivot;
    f.c[i] = above / pivot;
    c_before = f.c[i];
  }
  return f;
}

#if CITSIM_WIDE_LINES
using numerics::detail::transpose8;

/// The x lines of 8 rows (n cells, rows n apart) from `in` to `out`: eliminated a tile of 8 × 8
/// at a time into `forward` ([position][row]), substituted back tile by tile.
CITSIM_AVX512 void solve_8_rows(const LodFloor::LineFactors& x, std::size_t n, const double* in,
                                double* out, double* forward) {
  __m512d tile[8];
  __m512d d = _mm512_setzero_pd();
  for (std::size_t i0 = 0; i0 < n; i0 += 8) {
    for (std::size_t b = 0; b < 8; ++b) tile[b] = _mm512_load_pd(in + b * n + i0);
    transpose8(tile);
    for (std::size_t q = 0; q < 8; ++q) {
      const std::size_t i = i0 + q;
      d = _mm512_mul_pd(_mm512_sub_pd(tile[q], _mm512_mul_pd(_mm512_set1_pd(x.a[i]), d)),
                        _mm512_set1_pd(x.m[i]));
      _mm512_store_pd(forward + i * 8, d);
    }
  }
  __m512d value = _mm512_setzero_pd();
  for (std::size_t i0 = n; i0 > 0;) {
    i0 -= 8;
    for (std::size_t q = 8; q-- > 0;) {
      const std::size_t i = i0 + q;
      value = _mm512_sub_pd(_mm512_load_pd(forward + i * 8),
                            _mm512_mul_pd(_mm512_set1_pd(x.c[i]), value));
      tile[q] = value;
    }
    transpose8(tile);
    for (std::size_t b = 0; b < 8; ++b) _mm512_store_pd(out + b * n + i0, tile[b]);
  }
}

/// The y lines of columns [i0, i0 + width) of `plane`, then their row of the z elimination
/// into `u` (the plane above, already eliminated, at `above`; none for the top plane).
CITSIM_AVX512 void solve_y_strip(const LodFloor::LineFactors& y, double z_a, double z_m,
                                 std::size_t n, std::size_t i0, std::size_t width, double* plane,
                                 double* u, const double* above) {
  for (std::size_t i = i0; i < i0 + width; i += 8) {
    _mm512_store_pd(plane + i, _mm512_mul_pd(_mm512_load_pd(plane + i), _mm512_set1_pd(y.m[0])));
  }
  for (std::size_t j = 1; j < n; ++j) {
    const __m512d a = _mm512_set1_pd(y.a[j]);
    const __m512d m = _mm512_set1_pd(y.m[j]);
    double* row = plane + j * n;
    const double* before = row - n;
    for (std::size_t i = i0; i < i0 + width; i += 8) {
      _mm512_store_pd(row + i,
                      _mm512_mul_pd(_mm512_sub_pd(_mm512_load_pd(row + i),
                                                  _mm512_mul_pd(a, _mm512_load_pd(before + i))),
                                    m));
    }
  }
  const __m512d za = _mm512_set1_pd(z_a);
  const __m512d zm = _mm512_set1_pd(z_m);
  for (std::size_t j = n; j-- > 0;) {
    double* row = plane + j * n;
    double* out = u + j * n;
    const __m512d c = _mm512_set1_pd(y.c[j]);
    for (std::size_t i = i0; i < i0 + width; i += 8) {
      __m512d value = _mm512_load_pd(row + i);
      if (j + 1 < n) {
        value = _mm512_sub_pd(value, _mm512_mul_pd(c, _mm512_load_pd(row + n + i)));
        _mm512_store_pd(row + i, value);
      }
      const __m512d eliminated =
          above ? _mm512_sub_pd(value, _mm512_mul_pd(za, _mm512_load_pd(above + j * n + i)))
                : value;
      _mm512_store_pd(out + i, _mm512_mul_pd(eliminated, zm));
    }
  }
}

CITSIM_AVX512 void substitute_z(const LodFloor::LineFactors& z, std::size_t plane_cells,
                                std::size_t nz, double* u) {
  for (std::size_t k = nz - 1; k-- > 0;) {
    const __m512d c = _mm512_set1_pd(z.c[k]);
    double* here = u + k * plane_cells;
    const double* below = here + plane_cells;
    for (std::size_t i = 0; i < plane_cells; i += 8) {
      _mm512_store_pd(here + i, _mm512_sub_pd(_mm512_load_pd(here + i),
                                              _mm512_mul_pd(c, _mm512_load_pd(below + i))));
    }
  }
}
#endif

}  // namespace

LodFloor::LodFloor(std::size_t n, std::size_t nz)
    : m_n(n),
      m_nz(nz),
      m_field(n * n * nz),
      m_z_factors(line_factors(nz, 0.3)),
      m_plane(n * n),
      m_forward(n * 8) {
  if (n % 8 != 0 || n < 8 || nz < 2) throw std::invalid_argument("LodFloor: n % 8 == 0, nz >= 2");
  for (std::size_t c = 0; c < m_field.size(); ++c) {
    m_field[c] = 0.1 + 0.001 * static_cast<double>(c % 7);
  }
  for (std::size_t k = 0; k < nz; ++k) {
    m_x_factors.push_back(line_factors(n, 0.5 + static_cast<double>(k % 3)));
    m_y_factors.push_back(line_factors(n, 0.7 + static_cast<double>(k % 3)));
  }
}

bool LodFloor::supported() {
#if CITSIM_WIDE_LINES
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

void LodFloor::step() {
  if (!supported()) throw std::logic_error("LodFloor::step needs AVX-512F (see supported())");
#if CITSIM_WIDE_LINES
  const std::size_t n = m_n;
  const std::size_t cells = n * n;
  const std::size_t strip = std::min<std::size_t>(128, n);
  for (std::size_t k = 0; k < m_nz; ++k) {
    double* u = m_field.data() + k * cells;
    for (std::size_t j0 = 0; j0 < n; j0 += 8) {
      solve_8_rows(m_x_factors[k], n, u + j0 * n, m_plane.data() + j0 * n, m_forward.data());
    }
    const double* above = k > 0 ? u - cells : nullptr;
    for (std::size_t i0 = 0; i0 < n; i0 += strip) {
      solve_y_strip(m_y_factors[k], m_z_factors.a[k], m_z_factors.m[k], n, i0,
                    std::min(strip, n - i0), m_plane.data(), u, above);
    }
  }
  substitute_z(m_z_factors, cells, m_nz, m_field.data());
#endif
}

void LodFloor::step_reference() {
  const std::size_t n = m_n;
  const std::size_t cells = n * n;
  std::vector<double> line(std::max(n, m_nz));
  const auto solve = [&](const LineFactors& f, std::size_t count, auto&& value) {
    for (std::size_t i = 0; i < count; ++i) {
      const double before = i > 0 ? line[i - 1] : 0.0;
      line[i] = (value(i) - f.a[i] * before) * f.m[i];
    }
    for (std::size_t i = count - 1; i-- > 0;) line[i] = line[i] - f.c[i] * line[i + 1];
  };
  for (std::size_t k = 0; k < m_nz; ++k) {
    double* u = m_field.data() + k * cells;
    for (std::size_t j = 0; j < n; ++j) {
      solve(m_x_factors[k], n, [&](std::size_t i) { return u[j * n + i]; });
      std::copy(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(n), u + j * n);
    }
    for (std::size_t i = 0; i < n; ++i) {
      solve(m_y_factors[k], n, [&](std::size_t j) { return u[j * n + i]; });
      for (std::size_t j = 0; j < n; ++j) u[j * n + i] = line[j];
    }
  }
  for (std::size_t c = 0; c < cells; ++c) {
    solve(m_z_factors, m_nz, [&](std::size_t k) { return m_field[k * cells + c]; });
    for (std::size_t k = 0; k < m_nz; ++k) m_field[k * cells + c] = line[k];
  }
}

}  // namespace citsim::bench
