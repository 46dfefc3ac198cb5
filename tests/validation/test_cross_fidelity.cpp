// SPDX-License-Identifier: MIT
// Cross-fidelity: voxel3d (the resolved 3D field around each real channel) and the homogenized
// double-porosity model must agree on the cumulative uptake at 1 h and 24 h, for three molecules
// (small hydrophilic, small amphiphilic, and a polymer that crosses the stratum corneum only
// through channels) and two channel patterns (a roller's sparse deep channels and a pen's denser
// shallow ones), under an infinite dose so the comparison is not blurred by the film.
//
// Tolerance, stated before the comparison: 10 %, for the discretization of the lumen by voxel3d
// and the homogenized model's pseudo-steady exchange. The voxel sizes are chosen so that the
// lumen's voxel count keeps its cross-section (pi r^2 / dx^2 = 7.07 -> 7 voxels of 20 um for
// r = 30 um, 2.01 -> 2 of 25 um for r = 20 um); at 25 um the roller's lumen is 5 voxels, 10 %
// too wide, and voxel3d then reads 9-15 % high. Measured with these grids (docs/model.md,
// "Cross-fidelity"): roller +1.5 to +6.5 %, pen -5.8 to -6.5 %.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/units.hpp"
#include "citsim/transport/voxel3d.hpp"

namespace citsim::transport {
namespace {

struct Pattern {
  const char* name;
  double spacing_m;  // one channel per spacing², periodic
  double depth_m;
  double radius_m;
  double voxel_m;
};

constexpr Pattern k_roller{"roller", 1.0e-3, 500e-6, 30e-6, 20e-6};
constexpr Pattern k_pen{"pen", 0.5e-3, 300e-6, 20e-6, 25e-6};

class CrossFidelityTest : public ::testing::TestWithParam<std::string> {
 protected:
  anatomy::RegionCatalog regions{CITSIM_TEST_DATA_DIR};
  MoleculeCatalog molecules{CITSIM_TEST_DATA_DIR};
  TransportParameters parameters = TransportParameters::read(
      core::DataFile(std::filesystem::path(CITSIM_TEST_DATA_DIR) / "transport.toml", "model"));

  void compare(const Pattern& pattern) {
    core::Topical topical;
    topical.product = GetParam();
    const auto& skin = regions.reference("cheek");
    Voxel3dInput in;
    in.base.skin = skin;
    in.base.molecule = molecule_in_skin(parameters, molecules.resolve(topical), skin);
    in.base.infinite_dose = true;
    in.base.occluded = true;
    in.base.active_concentration_kg_m3 = 0.01 * parameters.vehicle_density_kg_m3;
    const double dose = 2 * units::mg / units::cm2;
    in.base.applications = {{0.0, 0.01 * dose, dose / parameters.vehicle_density_kg_m3}};
    in.base.exposure_s = 48 * units::hour;
    in.base.sample_times_s = {0.0, 1 * units::hour, 24 * units::hour};
    const double radius = pattern.radius_m;
    in.radius_m = [radius](double, double) { return radius; };
    in.patch_side_m = pattern.spacing_m;
    in.voxel_m = pattern.voxel_m;
    // Channels that stay open, so both fidelities see the same lumens all day.
    in.channels = {{0.5 * pattern.spacing_m, 0.5 * pattern.spacing_m, 0.0, pattern.depth_m, 1e12}};
    HomogenizedInput layered = in.base;
    ChannelSet set;
    set.channels_per_m2 = 1.0 / (pattern.spacing_m * pattern.spacing_m);
    set.depth_m = pattern.depth_m;
    set.half_life_s = 1e12;
    set.radius_m = [radius](double) { return radius; };
    set.open_fraction = [](double) { return 1.0; };
    layered.channels = {set};

    const auto voxel = simulate_voxel3d(in, parameters).absorption.samples;
    const auto homogenized = simulate_homogenized(layered, parameters).samples;
    ASSERT_EQ(voxel.size(), homogenized.size());
    for (std::size_t s = 1; s < voxel.size(); ++s) {
      const double v = voxel[s].absorbed() / (units::ug / units::cm2);
      const double h = homogenized[s].absorbed() / (units::ug / units::cm2);
      std::printf("%s, %s, %2.0f h: voxel3d %.4g, homogenized %.4g ug/cm2 (%+.1f %%)\n",
                  GetParam().c_str(), pattern.name, voxel[s].t_s / units::hour, v, h,
                  100 * (v / h - 1));
      ASSERT_GT(h, 0);
      EXPECT_NEAR(v, h, 0.10 * h) << pattern.name << " at " << voxel[s].t_s / units::hour << " h";
    }
  }
};

TEST_P(CrossFidelityTest, RollerChannels) {
  compare(k_roller);
}

TEST_P(CrossFidelityTest, PenChannels) {
  compare(k_pen);
}

INSTANTIATE_TEST_SUITE_P(Molecules, CrossFidelityTest,
                         ::testing::Values("niacinamide", "tranexamic_acid", "hyaluronic_acid_lmw"),
                         [](const auto& instance) { return instance.param; });

}  // namespace
}  // namespace citsim::transport
