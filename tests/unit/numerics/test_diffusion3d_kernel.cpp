// SPDX-License-Identifier: MIT
// The seam between voxel3d and its kernels (numerics/diffusion3d_kernel.hpp).
#include "citsim/numerics/diffusion3d_kernel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "diffusion3d_cases.hpp"

namespace citsim::numerics {
namespace {

using testing::fill_bump;
using testing::graded_dz;
using testing::paint_layers;

/// A kernel without materials_changed(): the concept must turn it away.
struct WithoutMaterialsChanged {
  const Grid3d& grid() const;
  std::span<double> potential();
  std::span<std::uint8_t> material_ids();
  void set_materials(std::vector<Material>);
  StepBalance step(double);
  double amount() const;
};
/// One whose step returns nothing to balance the books with.
struct WithoutBalance {
  const Grid3d& grid() const;
  std::span<double> potential();
  std::span<std::uint8_t> material_ids();
  void materials_changed();
  void set_materials(std::vector<Material>);
  void step(double);
  double amount() const;
};
static_assert(!Diffusion3dKernel<WithoutMaterialsChanged>);
static_assert(!Diffusion3dKernel<WithoutBalance>);
static_assert(!Diffusion3dKernel<Diffusion3d<float>>, "voxel3d's field is in double");

Diffusion3dBoundary open_top() {
  Diffusion3dBoundary boundary;
  boundary.top_transfer_m_s = 2e-6;
  boundary.outside_potential = 1.0;
  boundary.bottom = BottomBoundary::zero_potential;
  return boundary;
}

enum class Built { implicit, lod, explicit_taken, explicit_counted };

/// Which kernel with_diffusion3d_kernel built for `kind` (the explicit one: whether a step
/// moved the field).
Built built_for(Diffusion3dKernelKind kind) {
  const Grid3d grid(6, 5, 20e-6, graded_dz(2, 4, 5e-6, 1.4));
  return with_diffusion3d_kernel(
      kind, grid, testing::mild_materials(), open_top(), [](auto& kernel) {
        using Kernel = std::decay_t<decltype(kernel)>;
        if constexpr (std::is_same_v<Kernel, Diffusion3dImplicit>) {
          return Built::implicit;
        } else if constexpr (std::is_same_v<Kernel, Diffusion3d<double>>) {
          return Built::lod;
        } else {
          static_assert(std::is_same_v<Kernel, ExplicitSubsteps>);
          const double before = kernel.amount();
          kernel.step(1e-3);
          return kernel.amount() == before ? Built::explicit_counted : Built::explicit_taken;
        }
      });
}

TEST(Diffusion3dKernel, EachKindBuildsItsKernel) {
  EXPECT_EQ(built_for(Diffusion3dKernelKind::implicit), Built::implicit);
  EXPECT_EQ(built_for(Diffusion3dKernelKind::lod), Built::lod);
  EXPECT_EQ(built_for(Diffusion3dKernelKind::explicit_reference), Built::explicit_taken);
  EXPECT_EQ(built_for(Diffusion3dKernelKind::explicit_reference_count_only),
            Built::explicit_counted);
}

TEST(Diffusion3dKernel, ExplicitSubstepsAreTheReferenceStepsAtItsLimit) {
  const Grid3d grid(10, 8, 20e-6, graded_dz(2, 8, 5e-6, 1.4));
  Diffusion3dReference reference(grid, testing::mild_materials(), open_top());
  ExplicitSubsteps substeps(grid, testing::mild_materials(), open_top(), false);
  paint_layers(grid, reference.material_ids(), 2, 6, 7);
  paint_layers(grid, substeps.material_ids(), 2, 6, 7);
  substeps.materials_changed();
  fill_bump(grid, reference.potential(), 0.5);
  fill_bump(grid, substeps.potential(), 0.5);
  const double limit = reference.stable_time_step_s();
  const double dt = 7.3 * limit;  // 8 substeps
  StepBalance by_hand;
  for (int i = 0; i < 8; ++i) by_hand += reference.step(dt / 8);
  const StepBalance taken = substeps.step(dt);
  EXPECT_EQ(substeps.substeps(), 8u);
  EXPECT_EQ(taken.entered_top, by_hand.entered_top);
  EXPECT_EQ(taken.removed_sink, by_hand.removed_sink);
  const auto expected = reference.potential();
  const auto got = substeps.potential();
  for (std::size_t c = 0; c < grid.size(); ++c) ASSERT_EQ(got[c], expected[c]) << "cell " << c;
  EXPECT_EQ(substeps.amount(), reference.amount());
}

TEST(Diffusion3dKernel, CountedSubstepsLeaveTheFieldAndFollowChangedMaterials) {
  const Grid3d grid(6, 5, 20e-6, graded_dz(2, 4, 5e-6, 1.4));
  ExplicitSubsteps counted(grid, testing::mild_materials(), open_top(), true);
  paint_layers(grid, counted.material_ids(), 2, 3, 5);
  fill_bump(grid, counted.potential(), 0.5);
  const std::vector<double> before(counted.potential().begin(), counted.potential().end());
  Diffusion3dReference probe(grid, testing::mild_materials(), open_top());
  paint_layers(grid, probe.material_ids(), 2, 3, 5);
  const double limit = probe.stable_time_step_s();
  const StepBalance balance = counted.step(3.5 * limit);
  EXPECT_EQ(counted.substeps(), 4u);
  EXPECT_EQ(balance.entered_top, 0.0);
  const auto after = counted.potential();
  for (std::size_t c = 0; c < grid.size(); ++c) ASSERT_EQ(after[c], before[c]);
  // Faster materials shorten the limit, and the substeps follow.
  std::vector<Material> faster = testing::mild_materials();
  for (Material& material : faster) material.conductivity_m2_s *= 8;
  counted.set_materials(faster);
  probe.set_materials(faster);
  const double shorter = probe.stable_time_step_s();
  ASSERT_LT(shorter, limit);
  counted.step(3.5 * limit);
  EXPECT_EQ(counted.substeps(), 4u + static_cast<std::uint64_t>(std::ceil(3.5 * limit / shorter)));
}

TEST(Diffusion3dKernel, MemoryFiguresAreEachKernelsOwn) {
  EXPECT_EQ(diffusion3d_kernel_bytes(Diffusion3dKernelKind::implicit, 40, 30, 20),
            diffusion3d_implicit_bytes(40, 30, 20));
  EXPECT_EQ(diffusion3d_kernel_bytes(Diffusion3dKernelKind::lod, 40, 30, 20),
            diffusion3d_bytes(40, 30, 20, sizeof(double)));
  EXPECT_EQ(diffusion3d_kernel_bytes(Diffusion3dKernelKind::explicit_reference, 40, 30, 20),
            40u * 30u * 20u * 17u);
}

}  // namespace
}  // namespace citsim::numerics
