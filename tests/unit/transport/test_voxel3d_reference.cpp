// SPDX-License-Identifier: MIT
// voxel3d on the explicit 7-point reference kernel (Voxel3dKernel::explicit_reference) as the
// oracle for the default LOD kernel: on a tiny skin problem with one open channel, LOD's
// absorption converges to the reference's at first order in its step, and the first-order
// extrapolation of two LOD runs matches the reference within 0.5 %.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/units.hpp"
#include "citsim/transport/voxel3d.hpp"

namespace citsim::transport {
namespace {

namespace units = citsim::units;

constexpr double k_end_s = 60;

/// A 0.2 mm patch at 20 um voxels (10 x 10 columns) of cheek skin with its reticular dermis cut to
/// 150 um (53 depth cells), one 200 um channel of 30 um radius, a 2 mg/cm2 film of 1 %
/// niacinamide, occluded, for 60 s. The explicit limit (lumen voxels of the 2 um stratum corneum
/// cells) is about 2.5 ms: some 24 000 substeps, about 3 s in Release. By 60 s about 65 % of the
/// dose has entered, most of it through the channel.
class Voxel3dReferenceTest : public ::testing::Test {
 protected:
  TransportParameters parameters = TransportParameters::read(
      core::DataFile(std::filesystem::path(CITSIM_TEST_DATA_DIR) / "transport.toml", "model"));

  Voxel3dInput input(double end_s = k_end_s) const {
    const anatomy::RegionCatalog regions{CITSIM_TEST_DATA_DIR};
    const MoleculeCatalog molecules{CITSIM_TEST_DATA_DIR};
    core::Topical topical;
    topical.product = "niacinamide";
    auto skin = regions.reference("cheek");
    skin.reticular_dermis_m = 150 * units::um;
    Voxel3dInput in;
    in.base.skin = skin;
    in.base.molecule = molecule_in_skin(parameters, molecules.resolve(topical), skin);
    const double dose = 2 * units::mg / units::cm2;
    const double density = parameters.vehicle_density_kg_m3;
    in.base.applications = {{0.0, 0.01 * dose, dose / density}};
    in.base.exposure_s = 12 * units::hour;
    in.base.occluded = true;
    in.base.active_concentration_kg_m3 = 0.01 * density;
    in.base.sample_times_s = {0.0, end_s / 2, end_s};
    in.radius_m = [](double, double) { return 30e-6; };
    in.patch_side_m = 0.2e-3;
    in.voxel_m = 20e-6;
    // Occluded channels close over about a day; with the default seed this one stays open.
    in.channels = {{0.1e-3, 0.1e-3, 0.0, 200e-6, 20 * units::hour}};
    return in;
  }

  /// The LOD run with steps of at most `step_s` while the channel is open.
  Voxel3dResult lod(double step_s) const {
    auto in = input();
    in.kernel = Voxel3dKernel::lod;
    in.channel_step_s = step_s;
    return simulate_voxel3d(in, parameters);
  }
};

TEST_F(Voxel3dReferenceTest, ImplicitKernelMatchesTheReferenceAtStepsLodCannotTake) {
  // The default kernel (backward Euler, unsplit) has only its time error, which vanishes as the
  // uptake turns quasi-steady; at its default steps (from 1 s, growing 25 % a step, here 16
  // steps in 60 s) it must agree with the explicit oracle within 5 %, where LOD at the same
  // steps is off by almost half. Measured: implicit -3.2 / -2.6 %, LOD -48 / -46 % at 30 / 60 s
  // (the uptake is still a fast transient here, where backward Euler's own error is largest).
  auto in = input();
  in.kernel = Voxel3dKernel::explicit_reference;
  const auto reference = simulate_voxel3d(in, parameters).absorption.samples;
  in.kernel = Voxel3dKernel::implicit;
  const auto implicit = simulate_voxel3d(in, parameters);
  in.kernel = Voxel3dKernel::lod;
  const auto split = simulate_voxel3d(in, parameters);
  ASSERT_EQ(implicit.absorption.samples.size(), reference.size());
  for (std::size_t s = 1; s < reference.size(); ++s) {
    const double exact = reference[s].absorbed();
    const double unsplit = implicit.absorption.samples[s].absorbed();
    const double lod_value = split.absorption.samples[s].absorbed();
    std::printf("at %.0f s: reference %.5g, implicit %+.2f %%, lod %+.2f %%\n", reference[s].t_s,
                exact, 100 * (unsplit / exact - 1), 100 * (lod_value / exact - 1));
    EXPECT_NEAR(unsplit, exact, 0.05 * exact) << "at " << reference[s].t_s << " s";
    EXPECT_GT(std::abs(lod_value - exact), 5 * std::abs(unsplit - exact));
  }
  EXPECT_LT(implicit.absorption.mass_balance_error, 1e-8);
  EXPECT_GT(implicit.kernel_iterations, implicit.kernel_steps);
}

TEST_F(Voxel3dReferenceTest, LodConvergesToTheExplicitReferenceAtFirstOrder) {
  // LOD is first order in time, A(h) = A + C h + O(h^2), with a large C beside the lumen
  // (docs/model.md): its error against the reference must halve with its step, and the
  // first-order extrapolation 2 A(h/2) - A(h) must leave only the O(h^2) term (the reference's
  // own error, first order at a 200 times smaller step, is below that). Measured, at 30 s and
  // 60 s: errors -16.0/-8.5/-4.4 % and -11.5/-5.9/-3.0 % at h = 0.5/0.25/0.125 s, orders
  // 0.90/0.95 and 0.95/0.98; extrapolations -1.10/-0.28 % and -0.40/-0.08 %, a quarter at half
  // the step as an O(h^2) remainder should be. Tolerances: order 1 +- 0.2; the extrapolation
  // from the two smaller steps within 0.5 % (its measured remainder, 0.28 % at worst, was checked
  // to fall fourfold per halving, so the bound does not rest on a lucky cancellation).
  const std::vector<double> steps_s = {0.5, 0.25, 0.125};
  auto in = input();
  in.kernel = Voxel3dKernel::explicit_reference;
  const auto reference = simulate_voxel3d(in, parameters).absorption.samples;
  std::vector<Voxel3dResult> runs;
  for (double step : steps_s) runs.push_back(lod(step));
  for (std::size_t s = 1; s < reference.size(); ++s) {
    const double exact = reference[s].absorbed();
    ASSERT_GT(exact, 0);
    std::vector<double> error;
    for (const auto& run : runs) {
      ASSERT_EQ(run.absorption.samples.size(), reference.size());
      error.push_back(run.absorption.samples[s].absorbed() - exact);
    }
    for (std::size_t i = 0; i + 1 < error.size(); ++i) {
      const double order = std::log2(error[i] / error[i + 1]);
      EXPECT_NEAR(order, 1.0, 0.2) << "steps " << steps_s[i] << " s and " << steps_s[i + 1]
                                   << " s at " << reference[s].t_s << " s";
    }
    const double finest = runs.back().absorption.samples[s].absorbed();
    const double coarser = runs[runs.size() - 2].absorption.samples[s].absorbed();
    EXPECT_NEAR(2 * finest - coarser, exact, 0.005 * exact) << "at " << reference[s].t_s << " s";
  }
}

TEST_F(Voxel3dReferenceTest, DividingTheImplicitStepsConvergesAtFirstOrder) {
  // step_division takes every default step as that many equal kernel steps, events staying at
  // the default steps' ends (as for the reference): the implicit kernel's error must then halve
  // with each doubling (backward Euler), so halving studies (bench_time_to_solution) estimate
  // it. (An earlier step scale shrank only the first step; the 25 % growth brought the steps
  // back to the same sizes, and the error did not fall.) Tolerance: order 1 +- 0.2 between
  // divisions 1, 2 and 4, and the error at 4 within a third of that at 1.
  auto in = input();
  in.kernel = Voxel3dKernel::explicit_reference;
  const auto reference = simulate_voxel3d(in, parameters).absorption.samples;
  in.kernel = Voxel3dKernel::implicit;
  const std::vector<std::size_t> divisions = {1, 2, 4};
  std::vector<Voxel3dResult> runs;
  for (std::size_t division : divisions) {
    in.step_division = division;
    runs.push_back(simulate_voxel3d(in, parameters));
    EXPECT_EQ(runs.back().kernel_steps, division * runs.front().absorption.steps);
    EXPECT_EQ(runs.back().absorption.steps, runs.front().absorption.steps);
  }
  for (std::size_t s = 1; s < reference.size(); ++s) {
    const double exact = reference[s].absorbed();
    std::vector<double> error;
    for (const auto& run : runs) error.push_back(run.absorption.samples[s].absorbed() - exact);
    std::printf("at %.0f s: implicit, steps divided by 1 / 2 / 4: %+.3f / %+.3f / %+.3f %%\n",
                reference[s].t_s, 100 * error[0] / exact, 100 * error[1] / exact,
                100 * error[2] / exact);
    for (std::size_t i = 0; i + 1 < error.size(); ++i) {
      EXPECT_NEAR(std::log2(error[i] / error[i + 1]), 1.0, 0.2)
          << "divisions " << divisions[i] << " and " << divisions[i + 1] << " at "
          << reference[s].t_s << " s";
    }
    EXPECT_LT(std::abs(error[2]), std::abs(error[0]) / 3);
  }
}

TEST_F(Voxel3dReferenceTest, WithADryingFilmBothPathsKeepTheBooksAndAgree) {
  // Open to the air the film dries, and voxel3d rescales the film's potential through the
  // kernel's field at each step's end. The reference once swapped its buffers each substep, so
  // after an odd count the rescaling went to a stale copy: here 0.52 % of the dose lost by 60 s
  // (0.22 % on the time-to-solution problem with its channels kept open, where the implicit
  // kernel converged 0.4 % away from it at 180 s). Tolerances:
  // both books close to 1e-10 of the dose; the implicit kernel at 4 divisions within 1 % of the
  // reference, nearer than at 1 division.
  auto in = input();
  in.base.occluded = false;
  in.kernel = Voxel3dKernel::explicit_reference;
  const auto reference = simulate_voxel3d(in, parameters);
  EXPECT_LT(reference.absorption.mass_balance_error, 1e-10);
  in.kernel = Voxel3dKernel::implicit;
  const auto coarse = simulate_voxel3d(in, parameters);
  in.step_division = 4;
  const auto fine = simulate_voxel3d(in, parameters);
  EXPECT_LT(fine.absorption.mass_balance_error, 1e-10);
  const double exact = reference.absorption.samples.back().absorbed();
  const double at_1 = coarse.absorption.samples.back().absorbed();
  const double at_4 = fine.absorption.samples.back().absorbed();
  std::printf("drying film, 60 s: reference %.6g, implicit %+.3f %% (1 division), %+.3f %% (4)\n",
              exact, 100 * (at_1 / exact - 1), 100 * (at_4 / exact - 1));
  EXPECT_NEAR(at_4, exact, 0.01 * exact);
  EXPECT_LT(std::abs(at_4 - exact), std::abs(at_1 - exact));
}

TEST_F(Voxel3dReferenceTest, ExplicitPathConservesMassAndCountsItsSubsteps) {
  auto in = input(5.0);
  in.kernel = Voxel3dKernel::explicit_reference;
  const auto taken = simulate_voxel3d(in, parameters);
  EXPECT_LT(taken.absorption.mass_balance_error, 1e-12);
  EXPECT_GT(taken.absorption.samples.back().absorbed(), 0);
  // Each step is split at the stability limit (about 2.5 ms here): hundreds of kernel steps per
  // step, and as many as the count-only mode predicts without taking them.
  EXPECT_GT(taken.kernel_steps, 100 * taken.absorption.steps);
  EXPECT_GT(taken.kernel_steps, static_cast<std::uint64_t>(5.0 / 3e-3));
  in.kernel = Voxel3dKernel::explicit_reference_count_only;
  const auto counted = simulate_voxel3d(in, parameters);
  EXPECT_EQ(counted.kernel_steps, taken.kernel_steps);
  EXPECT_EQ(counted.absorption.steps, taken.absorption.steps);
  const auto lod_run = lod(0.0);
  EXPECT_EQ(lod_run.kernel_steps, lod_run.absorption.steps);
}

}  // namespace
}  // namespace citsim::transport
