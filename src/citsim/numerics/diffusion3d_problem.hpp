// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace citsim::numerics {

/// What the diffusion solvers need to know about one material. The unknown is a potential u
/// (e.g. the concentration in a reference phase, C/K), continuous across interfaces; a material
/// stores s·u per unit volume and conducts with kappa = K·D, so that
///   s ∂u/∂t = ∇·(kappa ∇u) − k_sink s u.
struct Material {
  /// s: amount per unit volume per unit potential (-), e.g. partition coefficient × porosity.
  /// Must be positive.
  double storage = 1;
  /// kappa = K·D (m²/s); zero makes the material impermeable.
  double conductivity_m2_s = 0;
  /// First-order removal rate k_sink (1/s), e.g. dermal clearance.
  double sink_rate_1_s = 0;
  /// Factor (-) on the surface transfer coefficient where this material is the top cell:
  /// 0 seals the surface there, 1 exposes it fully.
  double top_exchange = 1;
};

/// The most materials a voxel id (std::uint8_t) can name.
inline constexpr std::size_t k_max_materials = 256;

/// Throws std::invalid_argument when the table is empty or longer than k_max_materials, or a
/// value is out of range (storage ≤ 0, negative or non-finite coefficients).
void validate_materials(std::span<const Material> materials);

/// Throws std::invalid_argument naming the first voxel whose id is not below `material_count`.
void validate_material_ids(std::span<const std::uint8_t> ids, std::size_t material_count);

/// The upper face of the box (k = 0, the surface).
enum class TopBoundary {
  no_flux,   ///< nothing crosses the surface
  exchange,  ///< flux into the box = H·(u_outside − u_top), see top_exchange_conductance
};

/// The lower face of the box.
enum class BottomBoundary {
  no_flux,         ///< nothing leaves through the bottom
  zero_potential,  ///< u = 0 on the bottom face (a perfect sink below)
};

/// Boundary conditions of a diffusion problem; x and y are always periodic.
struct Diffusion3dBoundary {
  TopBoundary top = TopBoundary::exchange;
  /// h_top (m/s): the surface transfer coefficient, scaled per column by the top cell's
  /// Material::top_exchange. A very large value makes the surface potential u_outside.
  double top_transfer_m_s = 0;
  /// u_outside: the potential of what lies on the surface (the vehicle), set before each step.
  double outside_potential = 0;
  BottomBoundary bottom = BottomBoundary::no_flux;
};

/// What crossed the boundaries and what the sinks removed during one step, in amount units
/// (the unit of u times m³), all non-negative in the usual direction. For any step,
/// Σ s·u·V after − before = entered_top − left_bottom − removed_sink, to round-off.
struct StepBalance {
  double entered_top = 0;
  double left_bottom = 0;
  double removed_sink = 0;

  double net() const { return entered_top - left_bottom - removed_sink; }
  StepBalance& operator+=(const StepBalance& other) {
    entered_top += other.entered_top;
    left_bottom += other.left_bottom;
    removed_sink += other.removed_sink;
    return *this;
  }
};

/// Conductance per unit area (m/s) of the face between two cells, the two half-cells in series:
/// 1 / (half_a/kappa_a + half_b/kappa_b); zero when either side is impermeable.
/// `half_*_m`: distance from each cell centre to the face (m); `kappa_*`: m²/s.
inline double face_conductance(double half_a_m, double kappa_a, double half_b_m, double kappa_b) {
  if (kappa_a <= 0 || kappa_b <= 0) return 0;
  return 1.0 / (half_a_m / kappa_a + half_b_m / kappa_b);
}

/// Conductance per unit area (m/s) between the outside and the top cell's centre: the surface
/// film h in series with the top half-cell, 1 / (1/h + half/kappa). Putting the half-cell in
/// series (rather than h alone against the cell value) is what makes a large h a Dirichlet
/// condition on the face itself, and keeps the scheme second order in space there.
inline double top_exchange_conductance(double h_m_s, double half_m, double kappa_m2_s) {
  if (h_m_s <= 0 || kappa_m2_s <= 0) return 0;
  return 1.0 / (1.0 / h_m_s + half_m / kappa_m2_s);
}

/// Bytes that a Diffusion3d<real> of nx × ny × nz cells allocates: the potential, the material
/// ids, the material tables and the step's face tables for `materials` materials, the per-plane
/// balances and the per-thread sweep scratch for `threads` threads (`real_bytes`: sizeof(float)
/// or sizeof(double)). Per voxel it stays near real_bytes + 1 (about 9 bytes in double) for
/// grids of more than a few layers.
std::size_t diffusion3d_bytes(std::size_t nx, std::size_t ny, std::size_t nz,
                              std::size_t real_bytes, std::size_t threads = 2,
                              std::size_t materials = 6);

/// Throws std::length_error, with both figures in the message, when diffusion3d_bytes (for 2
/// threads) exceeds `budget_bytes`. The caller turns it into an input error.
void check_diffusion3d_memory(std::size_t nx, std::size_t ny, std::size_t nz,
                              std::size_t real_bytes, std::size_t budget_bytes);

namespace detail {

/// Lines per block of the x sweep (one cache line of lanes: 8 in double, 16 in float), width
/// of the strips of the y and z sweeps. Fixed numbers (never the thread count), so each line's
/// arithmetic is the same for any number of threads.
inline constexpr std::size_t x_block(std::size_t real_bytes) {
  return 64 / real_bytes;
}
inline constexpr std::size_t k_y_strip = 128;
inline constexpr std::size_t k_z_strip = 512;
/// Width of the strips of columns of the two-pass LOD step: each strip has its own column
/// classes, and its y lines are split (split_lines) as one block. Wider strips spend less on
/// each strip's set-up per row: 128 columns ran 12 % faster than 32 out of cache
/// (docs/performance.md).
inline constexpr std::size_t k_two_pass_strip = 128;
/// Grids smaller than this run each sweep on one thread: a step then takes less time than
/// waking a team (and far less than a team competing with other processes for the cores).
inline constexpr std::size_t k_min_parallel_voxels = std::size_t{1} << 15;
/// The two-pass step's threads meet at a barrier once per plane: below 128 × 128 cells a plane
/// is too little work between barriers, and two threads ran slower than one (96 × 96: 330
/// against 380–480 M/s; 128 × 128: 434 against 400; docs/performance.md, session 7).
inline constexpr std::size_t k_min_parallel_plane = std::size_t{1} << 14;
/// The most lanes one block of lines solves side by side (the widest of the strips above).
inline constexpr std::size_t k_max_block_lanes = k_y_strip;
/// Lines not of one material whose factors a thread keeps (OddLineTables).
inline constexpr std::size_t k_odd_line_tables = 16;
/// Per-lane arrays in a thread's scratch.
inline constexpr std::size_t k_lane_arrays = 8;

/// False inside an inactive OpenMP region (a team of one, as `parallel if (false)` makes): there
/// libgomp takes the kernels' own regions for nested ones and starts fresh threads for every one
/// of them (133,405 thread starts in one voxel3d run of the default example, before simulate()
/// stopped wrapping it so). The kernels' steps assert it in debug builds.
bool outside_inactive_parallel_regions();

/// Element counts of one thread's sweep scratch (see diffusion3d_sweeps.hpp).
struct ScratchSizes {
  std::size_t upper = 0;       ///< reals: eliminated upper diagonal, [position][lane]
  std::size_t correction = 0;  ///< reals: Sherman–Morrison correction vector, [position][lane]
  std::size_t gathered = 0;    ///< reals and ids: x lines gathered across, [i][line]
  std::size_t lanes = 0;       ///< reals: per-lane values (three arrays of this length)
  std::size_t sums = 0;        ///< doubles: per-lane sink sums
  std::size_t odd = 0;         ///< reals and ids: a block's odd lines, [position][line]
};

ScratchSizes scratch_sizes(std::size_t nx, std::size_t ny, std::size_t nz, std::size_t real_bytes);

}  // namespace detail

}  // namespace citsim::numerics
