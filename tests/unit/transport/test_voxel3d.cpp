// SPDX-License-Identifier: MIT
// The voxel3d fidelity: on intact skin it must reproduce the homogenized model (both are then
// the same 1D problem), conserve mass with channels opening and closing, refuse a grid beyond
// its memory budget, and give the same bits for any number of threads.
#include <omp.h>

#include <cmath>

#include <gtest/gtest.h>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/error.hpp"
#include "citsim/core/units.hpp"
#include "citsim/transport/voxel3d.hpp"

namespace citsim::transport {
namespace {

namespace units = citsim::units;

class Voxel3dTest : public ::testing::Test {
 protected:
  anatomy::RegionCatalog regions{CITSIM_TEST_DATA_DIR};
  MoleculeCatalog molecules{CITSIM_TEST_DATA_DIR};
  TransportParameters parameters = TransportParameters::read(
      core::DataFile(std::filesystem::path(CITSIM_TEST_DATA_DIR) / "transport.toml", "model"));

  Voxel3dInput input(const std::string& id, bool occluded) {
    core::Topical topical;
    topical.product = id;
    const auto& skin = regions.reference("cheek");
    Voxel3dInput in;
    in.base.skin = skin;
    in.base.molecule = molecule_in_skin(parameters, molecules.resolve(topical), skin);
    const double dose = 2 * units::mg / units::cm2;
    in.base.applications = {{0.0, 0.01 * dose, dose / parameters.vehicle_density_kg_m3}};
    in.base.exposure_s = 12 * units::hour;
    in.base.occluded = occluded;
    in.base.active_concentration_kg_m3 = 0.01 * parameters.vehicle_density_kg_m3;
    for (double h : {0.0, 0.5, 1.0, 4.0, 12.0, 24.0})
      in.base.sample_times_s.push_back(h * units::hour);
    in.radius_m = [](double, double) { return 30e-6; };
    in.patch_side_m = 0.6e-3;
    in.voxel_m = 20e-6;
    return in;
  }
};

TEST_F(Voxel3dTest, IntactSkinMatchesTheHomogenizedModel) {
  // Without channels both fidelities solve the same layered problem; they differ only in their
  // depth grids and in the film's own diffusion resistance (10 um of water, negligible).
  for (const char* id : {"niacinamide", "caffeine", "minoxidil"}) {
    for (bool occluded : {false, true}) {
      const auto in = input(id, occluded);
      const auto voxel = simulate_voxel3d(in, parameters).absorption.samples;
      const auto layered = simulate_homogenized(in.base, parameters).samples;
      ASSERT_EQ(voxel.size(), layered.size());
      for (std::size_t i = 1; i < voxel.size(); ++i) {
        EXPECT_NEAR(voxel[i].absorbed(), layered[i].absorbed(), 0.01 * layered[i].absorbed())
            << id << " occluded " << occluded << " at " << voxel[i].t_s / units::hour << " h";
      }
    }
  }
}

TEST_F(Voxel3dTest, MassBalanceWithChannelsOpeningAndClosing) {
  auto in = input("egf", false);
  in.channels = {{0.1e-3, 0.2e-3, 0.0, 500e-6, 600},
                 {0.45e-3, 0.4e-3, 0.0, 300e-6, 1200},
                 {0.3e-3, 0.5e-3, 2 * units::hour, 400e-6, 900}};
  in.base.applications.push_back(
      {2 * units::hour, in.base.applications[0].active_kg_m2, in.base.applications[0].film_m});
  in.base.sample_times_s = {0.0, 1 * units::hour, 3 * units::hour};
  const auto result = simulate_voxel3d(in, parameters);
  EXPECT_LT(result.absorption.mass_balance_error, 1e-10);
  EXPECT_GT(result.absorption.samples.back().absorbed(), 0);  // EGF only enters via channels
}

TEST_F(Voxel3dTest, RefusesAGridBeyondTheBudgetWithTheFigures) {
  auto in = input("niacinamide", true);
  in.memory_budget_bytes = 1000;
  try {
    (void)simulate_voxel3d(in, parameters);
    FAIL() << "no error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("GB"), std::string::npos) << e.what();
  }
  EXPECT_GT(voxel3d_bytes(in), 1000u);
}

TEST_F(Voxel3dTest, SameBitsForOneAndTwoThreads) {
  auto in = input("niacinamide", true);
  in.patch_side_m = 0.6e-3;
  in.voxel_m = 20e-6;  // 30 x 30 columns: above the kernels' threshold for threads
  in.channels = {{0.15e-3, 0.15e-3, 0.0, 500e-6, 3600}, {0.45e-3, 0.35e-3, 0.0, 400e-6, 3600}};
  in.base.sample_times_s = {0.0, 0.1 * units::hour};
  for (Voxel3dKernel kernel : {Voxel3dKernel::implicit, Voxel3dKernel::lod}) {
    in.kernel = kernel;
    omp_set_num_threads(1);
    const auto one = simulate_voxel3d(in, parameters).absorption.samples.back();
    omp_set_num_threads(2);
    const auto two = simulate_voxel3d(in, parameters).absorption.samples.back();
    EXPECT_EQ(one.in_viable_tissue, two.in_viable_tissue);
    EXPECT_EQ(one.in_stratum_corneum, two.in_stratum_corneum);
  }
}

}  // namespace
}  // namespace citsim::transport
