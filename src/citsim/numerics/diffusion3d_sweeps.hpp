// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "citsim/numerics/diffusion3d_problem.hpp"

/// The line solvers behind Diffusion3d: one implicit (backward Euler) sweep along one axis,
/// over many independent lines at once. Lines are solved side by side in "lanes": the innermost
/// loops run over lanes that are adjacent in memory, so the y and z sweeps walk the field
/// contiguously and vectorize; the x sweep gathers a block of lines across first.
namespace citsim::numerics::detail {

/// While alive, the calling thread flushes subnormal results and operands to zero (x86 MXCSR
/// FTZ and DAZ; nothing elsewhere). The Sherman–Morrison correction and the far tails of a
/// profile decay geometrically into the subnormal range, where each operation costs ~100
/// cycles; values below 1e-38 (float) or 1e-308 (double) carry no physics.
class FlushSubnormals {
 public:
  FlushSubnormals();
  ~FlushSubnormals();
  FlushSubnormals(const FlushSubnormals&) = delete;
  FlushSubnormals& operator=(const FlushSubnormals&) = delete;

 private:
  unsigned m_saved = 0;
};

/// Harmonic-mean face coefficient c·2/(1/kappa_a + 1/kappa_b); zero when either is impermeable
/// (+inf reciprocal), without a branch.
template <class Real>
inline Real harmonic_conductance(Real c, Real inv_a, Real inv_b) {
  return c * Real(2) / (inv_a + inv_b);
}

/// Per-material coefficients in the kernel's real type, padded to k_max_materials entries with
/// NaN storage (so a voxel naming an undefined material turns the field into NaN, not garbage).
///
/// The face conductances depend only on the two materials (and the layer, along z) and on the
/// step: set_step tabulates them per material pair, so the sweeps look them up instead of
/// dividing once per face (the division dominated the sweeps' time).
template <class Real>
struct MaterialCoefficients {
  std::vector<Real> storage;       ///< s (-)
  std::vector<Real> inv_kappa;     ///< 1/kappa (s/m²); +inf where kappa = 0
  std::vector<Real> sink_storage;  ///< k_sink·s (1/s)
  std::vector<Real> inv_top;       ///< 1/(top_exchange·h_top) (s/m); +inf where none crosses
  std::size_t count = 0;           ///< materials defined
  /// [a·count + b]: (dt/dx²)·2/(1/kappa_a + 1/kappa_b), a lateral face (-).
  std::vector<Real> lateral;
  /// [(p·count + a)·count + b]: dt/(half_p/kappa_a + half_{p+1}/kappa_b), the face below layer
  /// p (s·m/s = m).
  std::vector<Real> vertical;
  std::vector<Real> top;     ///< [a]: dt/(1/(top_exchange·h) + half_0/kappa_a) (m)
  std::vector<Real> bottom;  ///< [a]: dt/(half_{nz−1}/kappa_a + inv_bottom) (m)

  /// Periodic lines of n cells all of one material have the same elimination factors, whatever
  /// the field: set_uniform_lines tabulates them per material, [m·n + p], for the step's lateral
  /// tables, and the sweeps take them (no division, no look-ups) for blocks of such lines.
  struct UniformLines {
    std::size_t n = 0;
    std::vector<Real> alpha;  ///< f_p = alpha_p·u_p + beta_p·f_{p−1}
    std::vector<Real> beta;
    std::vector<Real> weight;      ///< W_p = e_0 ⋯ e_{p−1}: y_0 = Σ W_p f_p
    std::vector<Real> upper;       ///< e_p: y_p = f_p + e_p·y_{p+1}
    std::vector<Real> correction;  ///< the back-substituted Sherman–Morrison vector z_p
    std::vector<Real> ratio;       ///< per material: beta/gamma = g/b
    std::vector<Real> scale;       ///< per material: 1/(1 + z_0 + ratio·z_{n−1})
    /// Lines eliminated in two parts, rows [0, split) and [split, n), the second from a zero
    /// start (f̃): f_p = f̃_p + carry_p·f_{split−1}, carry_p = beta_split ⋯ beta_p (p ≥ split);
    /// y_split = Σ_{p ≥ split} weight_split_p·f_p, weight_split_p = e_split ⋯ e_{p−1}.
    std::size_t split = 0;
    std::vector<Real> carry;
    std::vector<Real> weight_split;
    std::vector<Real> carry_weight;        ///< per material: Σ_{p ≥ split} W_p·carry_p
    std::vector<Real> carry_weight_split;  ///< per material: Σ_{p ≥ split} weight_split_p·carry_p
    /// `split` = length: one part (no split tables).
    void tabulate(const MaterialCoefficients& materials, std::size_t length, std::size_t split);
    std::size_t bytes() const;
  };
  UniformLines lines_x;
  UniformLines lines_y;
  /// Names the step's tables, a new number at each set_step (never 0, never shared with other
  /// coefficients): factors derived from them (OddLineTables) are valid while it stays the same.
  std::uint64_t serial = 0;

  MaterialCoefficients();
  void assign(std::span<const Material> materials, const Diffusion3dBoundary& boundary);
  /// After set_step: the uniform-line tables for lines of nx (along x) and ny (along y) cells,
  /// the y lines in two parts at row y_split (see UniformLines).
  void set_uniform_lines(std::size_t nx, std::size_t ny, std::size_t y_split);
  /// Tabulates the face conductances of a step of `dt` (s) with `dt_over_dx2` = dt/dx²,
  /// half-cell thicknesses `half_dz` (m) and the bottom's reciprocal factor `inv_bottom`.
  void set_step(Real dt, Real dt_over_dx2, std::span<const Real> half_dz, Real inv_bottom);
  std::size_t bytes() const;
};

/// The elimination factors of one periodic line, as UniformLines holds them per material:
/// f_p = alpha_p·u_p + beta_p·f_{p−1}, y_0 = Σ weight_p·f_p, y_p = f_p + upper_p·y_{p+1}, and the
/// Sherman–Morrison correction (correction_p, ratio, scale).
template <class Real>
struct LineFactors {
  const Real* alpha;
  const Real* beta;
  const Real* weight;
  const Real* upper;
  const Real* correction;
  Real ratio;
  Real scale;
};

/// The factors of the lines of material m.
template <class Real>
LineFactors<Real> uniform_line_factors(
    const typename MaterialCoefficients<Real>::UniformLines& lines, std::size_t m) {
  const std::size_t at = m * lines.n;
  return {lines.alpha.data() + at, lines.beta.data() + at,       lines.weight.data() + at,
          lines.upper.data() + at, lines.correction.data() + at, lines.ratio[m],
          lines.scale[m]};
}

/// Factors of the periodic lines that are not of one material (those beside or across a
/// channel), keyed by their ids. In skin the same few such lines recur row after row and plane
/// after plane (a channel's cross-section), so each is factored once per step and then solved
/// like a line of one material, without a division or a look-up per cell. Whether a line is
/// found or factored anew, its factors are the same bits, so results do not depend on what the
/// tables held before.
template <class Real>
class OddLineTables {
 public:
  /// The factors of the periodic line of n (≥ 3) cells with ids ids[p·id_stride], valid until
  /// the materials' next set_step.
  LineFactors<Real> find(const MaterialCoefficients<Real>& materials, std::size_t n,
                         const std::uint8_t* ids, std::size_t id_stride);
  /// The most lines kept (diffusion3d_bytes counts them): enough for the distinct chords of
  /// several channels; beyond, the oldest is factored again when it recurs.
  static constexpr std::size_t k_capacity = k_odd_line_tables;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::uint64_t serial = 0;
    std::vector<std::uint8_t> ids;
    std::vector<Real> values;  // alpha, beta, weight, upper, correction: n each
    Real ratio = 0;
    Real scale = 0;
  };
  std::vector<Entry> m_entries;
  std::size_t m_replace = 0;
  std::vector<std::uint8_t> m_key;
};

/// One thread's working arrays, sized by scratch_sizes and reused by every sweep.
template <class Real>
struct SweepScratch {
  std::vector<Real> upper;
  std::vector<Real> correction;
  std::vector<Real> gathered;
  std::vector<std::uint8_t> gathered_ids;
  std::vector<Real> lanes;  ///< k_lane_arrays arrays of one value per lane
  std::vector<Real> odd;    ///< lines of a block solved apart, [position][line]
  std::vector<std::uint8_t> odd_ids;
  std::vector<double> sums;
  OddLineTables<Real> odd_lines;

  explicit SweepScratch(const ScratchSizes& sizes);
  std::size_t bytes() const;
  /// Per-lane array number `which` (< k_lane_arrays).
  Real* lane(std::size_t which) { return lanes.data() + which * m_lane_size; }

 private:
  std::size_t m_lane_size;
};

/// Backward Euler along x for every line of one horizontal plane (nx × ny values, x fastest):
/// s (u' − u) = c Σ g (u'_nb − u'), c = dt/dx², g the harmonic mean of the two kappas; periodic.
template <class Real>
void sweep_x_plane(std::size_t nx, std::size_t ny, Real* plane, const std::uint8_t* ids,
                   const MaterialCoefficients<Real>& materials, Real dt_over_dx2,
                   SweepScratch<Real>& scratch);

/// The same for the lines j in [j_begin, j_end) only; j_begin a multiple of x_block, so that
/// the lines are blocked as sweep_x_plane blocks them.
template <class Real>
void sweep_x_rows(std::size_t nx, std::size_t ny, std::size_t j_begin, std::size_t j_end,
                  Real* plane, const std::uint8_t* ids, const MaterialCoefficients<Real>& materials,
                  Real dt_over_dx2, SweepScratch<Real>& scratch);

/// The same along y for every line of one horizontal plane.
template <class Real>
void sweep_y_plane(std::size_t nx, std::size_t ny, Real* plane, const std::uint8_t* ids,
                   const MaterialCoefficients<Real>& materials, Real dt_over_dx2,
                   SweepScratch<Real>& scratch);

/// How a block of w lines is solved: the rule every sweep shares. same[l] ≠ 0 where line l is of
/// one material, first[l] the material of its first cell. The lines of one material that share
/// the material of the first such line take the tabulated factors (MaterialCoefficients::
/// UniformLines); the others, the odd lines, are listed in `odd` (room for w) and solved whole.
/// A block with no line of one material, or with more than a quarter of its lines odd, is
/// solved whole (`tabulated` false).
struct LineSplit {
  bool tabulated = false;
  std::uint8_t material = 0;
  std::size_t odd_count = 0;
};
LineSplit split_lines(std::size_t w, const std::uint8_t* same, const std::uint8_t* first,
                      std::uint8_t* odd);

/// Periodic lines of n (≥ 3) cells side by side, value (position p, lane l) at u[p·stride + l],
/// each solved in full (elimination with every row's factors computed from its ids).
template <class Real>
void solve_lines_in_full(std::size_t n, std::size_t w, Real* u, std::size_t stride,
                         const std::uint8_t* ids, std::size_t id_stride,
                         const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch);

/// The same for lines set aside from a plane: lines whose ids all match the first line's take
/// that line's factors from `scratch`'s OddLineTables, side by side (a channel's neighbouring
/// lines in skin are often alike); others are solved in full.
template <class Real>
void solve_lines_apart(std::size_t n, std::size_t w, Real* u, std::size_t stride,
                       const std::uint8_t* ids, std::size_t id_stride,
                       const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch);

/// What the z sweep needs besides the field and the step's face tables (MaterialCoefficients::
/// set_step): layer thicknesses (m), the step (s) and u_outside.
template <class Real>
struct ZSweep {
  std::size_t nx = 0;
  std::size_t ny = 0;
  std::span<const Real> dz_m;
  Real dt_s = 0;
  Real outside_potential = 0;
};

/// Backward Euler along z, with the top exchange and the sink, for the nx columns of the
/// vertical plane j (`field` and `ids` point at cell (0, j, 0)). Returns the plane's balance
/// per unit column area (amounts / dx²).
template <class Real>
StepBalance sweep_z_plane(const ZSweep<Real>& z, Real* field, const std::uint8_t* ids,
                          const MaterialCoefficients<Real>& materials, SweepScratch<Real>& scratch);

}  // namespace citsim::numerics::detail
