// SPDX-License-Identifier: MIT
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "citsim/numerics/diffusion3d.hpp"
#include "citsim/numerics/diffusion3d_implicit.hpp"
#include "citsim/numerics/diffusion3d_problem.hpp"
#include "citsim/numerics/diffusion3d_reference.hpp"
#include "citsim/numerics/grid3d.hpp"

/// The seam between the voxel3d physics (transport/voxel3d) and the kernels that advance its
/// field. The physics sees a kernel only through Diffusion3dKernel and picks one by
/// Diffusion3dKernelKind; a new kernel (a GPU one, say) is a class here that satisfies the
/// concept, an enumerator, a line in with_diffusion3d_kernel and one in diffusion3d_kernel_bytes,
/// and nothing in transport/ changes. Diffusion3dReference stays the oracle: tests run voxel3d on
/// each kernel and compare with it.
namespace citsim::numerics {

/// What voxel3d asks of a kernel. potential() and material_ids() are host memory that the
/// kernel owns, valid for its life: the caller reads and writes them between steps (doses, a
/// drying film, channels that open and close) and calls materials_changed() after changing ids;
/// a kernel that computes elsewhere copies them in and out around step(). set_materials replaces
/// the table the ids index (a film that dries changes its storage). step(dt_s) advances by dt_s
/// seconds and returns what crossed the boundaries and what the sinks removed.
///
/// Optional, detected by voxel3d where present: `substeps()` (a kernel that splits each step
/// into steps of its own choosing counts them, and takes voxel3d's steps undivided) and
/// `total_iterations()` (an iterative kernel's count).
template <class Kernel>
concept Diffusion3dKernel = requires(Kernel& kernel, const Kernel& held, double dt_s,
                                     std::vector<Material> materials) {
  { held.grid() } -> std::same_as<const Grid3d&>;
  { kernel.potential() } -> std::same_as<std::span<double>>;
  { kernel.material_ids() } -> std::same_as<std::span<std::uint8_t>>;
  kernel.materials_changed();
  kernel.set_materials(std::move(materials));
  { kernel.step(dt_s) } -> std::same_as<StepBalance>;
  { held.amount() } -> std::same_as<double>;
};

/// The kernels voxel3d can run on.
enum class Diffusion3dKernelKind {
  /// Diffusion3dImplicit: backward Euler on the unsplit 7-point system (conjugate gradients),
  /// any step and no splitting error (the default). 21 bytes a voxel.
  implicit,
  /// Diffusion3d<double>: implicit LOD line sweeps, any step, but a splitting error that grows
  /// with the step where a lumen runs beside slow tissue. 9 bytes a voxel.
  lod,
  /// Diffusion3dReference, the explicit 7-point oracle, through ExplicitSubsteps: each step is
  /// split into equal substeps no longer than its stable_time_step_s(), recomputed whenever a
  /// material changes. With a channel open that is milliseconds (lumen voxels in the 2 um cells
  /// of the stratum corneum); for tests and the time-to-solution benchmark. Single-threaded,
  /// about 17 bytes a voxel.
  explicit_reference,
  /// As explicit_reference, but the substeps are only counted (ExplicitSubsteps::substeps()),
  /// never taken: the field does not move, so the absorption it gives is meaningless. The step
  /// sequence does not depend on the field, so this is the count a full explicit run would take
  /// (bench/bench_time_to_solution extrapolates the reference's cost from it).
  explicit_reference_count_only,
};

/// The explicit reference behind the kernel interface: a step of any length is taken as equal
/// substeps no longer than the reference's stability limit, or only counted.
class ExplicitSubsteps {
 public:
  ExplicitSubsteps(Grid3d grid, std::vector<Material> materials, Diffusion3dBoundary boundary,
                   bool count_only);

  [[nodiscard]] const Grid3d& grid() const { return m_reference.grid(); }
  std::span<double> potential() { return m_reference.potential(); }
  std::span<std::uint8_t> material_ids() { return m_reference.material_ids(); }
  void set_materials(std::vector<Material> materials);
  /// To be called after material ids were changed through material_ids().
  void materials_changed() { m_limit_known = false; }
  StepBalance step(double dt_s);
  [[nodiscard]] double amount() const { return m_reference.amount(); }

  /// Substeps taken (or counted) so far.
  [[nodiscard]] std::uint64_t substeps() const { return m_substeps; }

 private:
  Diffusion3dReference m_reference;
  bool m_count_only;
  bool m_limit_known = false;
  double m_limit_s = 0;
  std::uint64_t m_substeps = 0;
};

static_assert(Diffusion3dKernel<Diffusion3dImplicit>);
static_assert(Diffusion3dKernel<Diffusion3d<double>>);
static_assert(Diffusion3dKernel<ExplicitSubsteps>);

/// Bytes the kernel of `kind` needs on an nx × ny × nz grid (for 2 threads), so that a grid
/// too large for memory is refused before it is allocated.
std::size_t diffusion3d_kernel_bytes(Diffusion3dKernelKind kind, std::size_t nx, std::size_t ny,
                                     std::size_t nz);

/// Builds the kernel of `kind` on (grid, materials, boundary) and returns visit(kernel).
/// `visit` is generic (a lambda taking `auto&`) and is instantiated for every kind.
template <class Visitor>
decltype(auto) with_diffusion3d_kernel(Diffusion3dKernelKind kind, Grid3d grid,
                                       std::vector<Material> materials,
                                       Diffusion3dBoundary boundary, Visitor&& visit) {
  switch (kind) {
    case Diffusion3dKernelKind::implicit: {
      Diffusion3dImplicit kernel(std::move(grid), std::move(materials), boundary);
      return visit(kernel);
    }
    case Diffusion3dKernelKind::lod: {
      Diffusion3d<double> kernel(std::move(grid), std::move(materials), boundary);
      return visit(kernel);
    }
    case Diffusion3dKernelKind::explicit_reference:
    case Diffusion3dKernelKind::explicit_reference_count_only:
      break;
  }
  ExplicitSubsteps kernel(std::move(grid), std::move(materials), boundary,
                          kind == Diffusion3dKernelKind::explicit_reference_count_only);
  return visit(kernel);
}

}  // namespace citsim::numerics
