// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "citsim/numerics/diffusion3d_kernel.hpp"
#include "citsim/transport/homogenized.hpp"

namespace citsim::transport {

/// One channel at its real place in the patch.
struct PlacedChannel {
  double x_m = 0;
  double y_m = 0;
  double start_s = 0;  ///< when its session made it
  double depth_m = 0;
  double half_life_s = 0;
};

/// A snapshot of the concentration field (kg/m^3 of the aqueous reference phase) at one time.
struct FieldSnapshot {
  double t_s = 0;
  std::vector<float> concentration;
};

/// The kernel that advances the voxel3d field (numerics/diffusion3d_kernel.hpp lists them).
using Voxel3dKernel = numerics::Diffusion3dKernelKind;

struct Voxel3dInput {
  /// The skin, molecule, film, applications and sample times; `channels` is not used here.
  HomogenizedInput base;
  std::vector<PlacedChannel> channels;
  /// Lumen radius at depth z of a channel of depth d (the injury stage's profile).
  std::function<double(double depth_m, double z_m)> radius_m;
  double patch_side_m = 0;  ///< the simulated square, periodic in x and y
  double voxel_m = 0;       ///< lateral voxel size
  std::uint64_t seed = 1;   ///< draws each channel's closure time
  std::size_t memory_budget_bytes = 0;
  std::vector<double> snapshot_times_s;  ///< when to keep the field (for fields.h5)
  Voxel3dKernel kernel = Voxel3dKernel::implicit;
  /// While channels are open, no step longer than this (s); 0 keeps the default limit (a fifth
  /// of the shortest half-life). The LOD splitting error grows with the step where a lumen runs
  /// beside slow tissue (docs/model.md, "The voxel3d fidelity").
  double channel_step_s = 0;
  /// Each step of the default sequence is taken by the kernel as this many equal steps; events
  /// (closures, drying, the reservoir's top-up) stay at the default steps' ends, so doubling it
  /// estimates the kernel's own time error (bench/bench_time_to_solution). 1 keeps the defaults;
  /// the explicit reference ignores it (it takes substeps at its stability limit).
  std::size_t step_division = 1;
};

struct Voxel3dResult {
  HomogenizedResult absorption;  ///< samples as the homogenized model reports them
  std::size_t nx = 0;
  std::size_t nz = 0;
  double voxel_m = 0;
  std::vector<double> z_faces_m;
  std::vector<FieldSnapshot> snapshots;
  /// Steps the kernel took: absorption.steps for LOD and implicit, the substeps for the
  /// explicit reference.
  std::uint64_t kernel_steps = 0;
  /// Conjugate-gradient iterations of the implicit kernel, all steps together.
  std::uint64_t kernel_iterations = 0;
  /// Channels that opened in the patch, all sessions together.
  std::size_t channels = 0;
};

/// Bytes the voxel3d run of this input would take (grid, ids, scratch).
std::size_t voxel3d_bytes(const Voxel3dInput& input);

/// The voxel3d fidelity (docs/model.md, "Transport"): the finite-volume kernel of
/// numerics/diffusion3d over the patch, layers as materials, each channel a column of lumen
/// voxels that reverts to tissue when the channel closes (at a time drawn from its half-life),
/// the film coupled through the surface. Throws core::InputError when the grid would exceed the
/// memory budget, naming both figures.
Voxel3dResult simulate_voxel3d(const Voxel3dInput& input, const TransportParameters& parameters);

}  // namespace citsim::transport
