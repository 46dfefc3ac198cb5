// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

#include "citsim/numerics/diffusion3d_sweeps.hpp"

/// Wide-vector (AVX-512) versions of the LOD step's hottest line solves, chosen at run time
/// where the CPU has them. They do the portable paths' arithmetic operation for operation (no
/// fused multiply-add; the file is compiled with -ffp-contract=off), so results are the same
/// bits on every machine and tests compare the two paths for equality.
/// CITSIM_WIDE_CLONE marks a function compiled for AVX-512 (GCC on x86-64), the wide clone of
/// a portable row loop whose body is CITSIM_INLINE_BODY: the body is inlined into both, and
/// vectorized for each target. Call a clone only when wide_lines_active().
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CITSIM_HAS_WIDE_CLONES 1
#define CITSIM_WIDE_CLONE __attribute__((target("avx512f,prefer-vector-width=512")))
#else
#define CITSIM_HAS_WIDE_CLONES 0
#define CITSIM_WIDE_CLONE
#endif
#define CITSIM_INLINE_BODY [[gnu::always_inline]] inline

namespace citsim::numerics::detail {

/// True where this CPU runs AVX-512F and the wide paths are enabled (the default).
bool wide_lines_active();
/// Turns the wide paths off (tests run the portable paths with it, to compare bit for bit);
/// returns the previous setting. Not thread-safe: call between steps, never during one.
bool set_wide_lines_enabled(bool enabled);

/// The lines of one material: solve_periodic_uniform on the 8 rows rows[b·nx + i] (b < 8),
/// nx = lines.n a multiple of 8, in place, gathered 8 × 8 through registers instead of through
/// memory. `forward` holds 8·nx doubles of scratch. Call only when wide_lines_active().
void solve_uniform_rows(const MaterialCoefficients<double>::UniformLines& lines,
                        std::size_t material, std::size_t nx, double* rows, double* forward);

/// The same for 16 rows in float (nx a multiple of 16), gathered 16 × 16; `forward` holds 16·nx
/// floats.
void solve_uniform_rows(const MaterialCoefficients<float>::UniformLines& lines,
                        std::size_t material, std::size_t nx, float* rows, float* forward);

/// The same with the lines whose bits are set in `odd_lanes` (lane b: row b) of another id
/// sequence, all with the factors `odd` (OddLineTables): each lane gets the bits
/// solve_periodic_factored gives it alone.
void solve_rows_with_odd_lanes(const MaterialCoefficients<double>::UniformLines& lines,
                               std::size_t material, const LineFactors<double>& odd,
                               unsigned odd_lanes, std::size_t nx, double* rows, double* forward);
void solve_rows_with_odd_lanes(const MaterialCoefficients<float>::UniformLines& lines,
                               std::size_t material, const LineFactors<float>& odd,
                               unsigned odd_lanes, std::size_t nx, float* rows, float* forward);

}  // namespace citsim::numerics::detail
