// SPDX-License-Identifier: MIT
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/units.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/injury/injury_model.hpp"

namespace citsim::injury {
namespace {

class InjuryTest : public ::testing::Test {
 protected:
  anatomy::RegionCatalog regions{CITSIM_TEST_DATA_DIR};
  device::DeviceCatalog devices{CITSIM_TEST_DATA_DIR};
  InjuryModel model{CITSIM_TEST_DATA_DIR};
  const anatomy::SkinModel& cheek = regions.reference("cheek");

  double depth(const device::DeviceSpec& d, const anatomy::SkinModel& skin,
               core::Pressure pressure = core::Pressure::moderate) {
    const auto setup = setup_penetration(model.penetration(), d, skin, pressure);
    return penetration_depth_m(setup, d, skin, skin.young_modulus_pa);
  }
};

TEST_F(InjuryTest, RealDepthIsLessThanTheNeedleAndGrowsWithIt) {
  auto roller = devices.spec("roller-192");
  double previous = 0;
  for (double mm : {0.75, 1.0, 1.5, 2.0}) {
    roller.needle.length_m = mm * units::mm;
    const double d = depth(roller, cheek);
    EXPECT_LT(d, roller.needle.length_m) << mm;
    EXPECT_GT(d, previous) << mm;
    previous = d;
  }
}

TEST_F(InjuryTest, FasterInsertionTentsLess) {
  // The same needle entering at a pen's speed stiffens the skin more than at a roller's.
  const auto& pen = devices.spec("pen-12");
  auto slow = pen;
  slow.stamps_per_s = 2;
  EXPECT_GT(depth(pen, cheek), depth(slow, cheek));
  const auto fast_setup =
      setup_penetration(model.penetration(), pen, cheek, core::Pressure::moderate);
  const auto slow_setup =
      setup_penetration(model.penetration(), slow, cheek, core::Pressure::moderate);
  EXPECT_GT(fast_setup.rate_stiffening, slow_setup.rate_stiffening);
}

TEST_F(InjuryTest, StifferAndThickerSkinTentsLess) {
  const auto& pen = devices.spec("pen-12");
  anatomy::SkinModel stiff = cheek;
  stiff.young_modulus_pa *= 2;
  EXPECT_GT(depth(pen, stiff), depth(pen, cheek));
  anatomy::SkinModel thick = cheek;
  thick.reticular_dermis_m *= 2;
  EXPECT_GT(depth(pen, thick), depth(pen, cheek));
}

TEST_F(InjuryTest, TentingFollowsTheMembraneFormula) {
  const auto& roller = devices.spec("roller-192");
  const auto& p = model.penetration();
  const auto s = setup_penetration(p, roller, cheek, core::Pressure::moderate);
  const double a = roller.needle.radius_m();
  // Rings 2.5 mm apart: the drum holds the skin 1.25 mm from each needle.
  EXPECT_NEAR(s.support_radius_m, 0.5 * roller.drum_width_m / roller.rows, 1e-12);
  const double tension =
      p.membrane_prestrain * cheek.young_modulus_pa * cheek.cutis_m() * s.rate_stiffening;
  EXPECT_NEAR(
      s.tenting_m,
      s.puncture_force_n * std::log(s.support_radius_m / a) / (2 * std::numbers::pi * tension),
      1e-15);
  const double tip_area = std::numbers::pi * std::pow(roller.needle.tip_radius_m, 2);
  EXPECT_NEAR(s.puncture_force_n,
              p.puncture_force_floor_n + p.puncture_force_per_tip_area_pa * tip_area, 1e-15);
}

TEST_F(InjuryTest, DenserNeedlesHoldTheSkinCloser) {
  // A denser cartridge leaves less room to tent between needles.
  const auto& sparse = devices.spec("pen-12");
  auto dense = sparse;
  dense.cartridge_diameter_m *= 0.5;
  const auto& p = model.penetration();
  EXPECT_LT(setup_penetration(p, dense, cheek, core::Pressure::moderate).support_radius_m,
            setup_penetration(p, sparse, cheek, core::Pressure::moderate).support_radius_m);
  EXPECT_GT(depth(dense, cheek), depth(sparse, cheek));
}

TEST_F(InjuryTest, TooLittleHandForceDoesNotPierce) {
  auto stamp = devices.spec("stamp-35");
  stamp.needles = 2000;  // 2000 needles share a light hand's force
  stamp.footprint_width_m = stamp.footprint_height_m = 0.05;
  const auto s = setup_penetration(model.penetration(), stamp, cheek, core::Pressure::light);
  EXPECT_FALSE(s.pierces);
  EXPECT_EQ(penetration_depth_m(s, stamp, cheek, cheek.young_modulus_pa), 0.0);
}

TEST_F(InjuryTest, FirmerPressureReachesDeeper) {
  const auto& roller = devices.spec("roller-192");
  EXPECT_GT(depth(roller, cheek, core::Pressure::firm),
            depth(roller, cheek, core::Pressure::light));
}

TEST_F(InjuryTest, ChannelRadiusFollowsTheConeAndRecoils) {
  const auto& needle = devices.spec("roller-192").needle;
  const auto& p = model.penetration();
  const double d = 800e-6;
  EXPECT_NEAR(channel_radius_m(p, needle, d, d), p.channel_recoil_ratio * needle.tip_radius_m,
              1e-15);
  EXPECT_NEAR(channel_radius_m(p, needle, d, 0.0), p.channel_recoil_ratio * needle.radius_m(),
              1e-15);
  EXPECT_EQ(channel_radius_m(p, needle, d, d + 1e-6), 0.0);
}

TEST_F(InjuryTest, BleedingExactlyWhenChannelsPassTheLoops) {
  auto roller = devices.spec("roller-192");
  core::Technique technique;
  core::Rng rng(5);
  const auto punctures = device::generate_punctures(roller, technique, 10e-3, rng);
  const auto injury =
      model.simulate(punctures, roller, cheek, core::Pressure::moderate, false, rng);
  ASSERT_FALSE(injury.channels.empty());
  std::size_t bleeding = 0;
  for (const auto& c : injury.channels) {
    EXPECT_EQ(c.bleeds, c.depth_m > cheek.capillary_loop_depth_m);
    EXPECT_GT(c.depth_m, cheek.stratum_corneum_m);
    EXPECT_LE(c.depth_m, roller.needle.length_m);
    bleeding += c.bleeds;
  }
  EXPECT_DOUBLE_EQ(injury.bleeding_fraction,
                   static_cast<double>(bleeding) / static_cast<double>(injury.channels.size()));
  EXPECT_LE(injury.channels_per_m2, injury.punctures_per_m2);
  EXPECT_GE(injury.max_depth_m, injury.mean_depth_m);
}

TEST_F(InjuryTest, DamagedVolumeOfCylindricalChannelsIsExact) {
  // A blunt (180 degree) tip makes the channel a cylinder: volume = N pi r^2 crossed.
  device::DeviceSpec d = devices.spec("stamp-35");
  d.needle.tip_angle_rad = std::numbers::pi * 0.9999;
  d.needle.tip_radius_m = d.needle.radius_m();
  core::Technique technique;
  core::Rng rng(1);
  const auto punctures = device::generate_punctures(d, technique, 10e-3, rng);
  const auto injury = model.simulate(punctures, d, cheek, core::Pressure::moderate, false, rng);
  const double r = model.penetration().channel_recoil_ratio * d.needle.radius_m();
  const auto& pd = injury.layers[2];
  ASSERT_EQ(pd.layer, anatomy::Layer::papillary_dermis);
  double crossed = 0;
  for (const auto& c : injury.channels)
    crossed += cheek.crossed_m(anatomy::Layer::papillary_dermis, c.depth_m);
  const double area = 1e-4;
  const double expected = std::numbers::pi * r * r * crossed / (area * cheek.papillary_dermis_m);
  EXPECT_NEAR(pd.damaged_volume_fraction, expected, 1e-9 * expected);
}

TEST(Resealing, HalfLifeScalesWithDepthAndOcclusion) {
  ResealingParameters p;
  p.reference_depth_m = 500e-6;
  p.half_life_open_s = 1000;
  p.depth_exponent = 0.5;
  p.occlusion_factor = 40;
  EXPECT_DOUBLE_EQ(channel_half_life_s(p, 500e-6, false), 1000);
  EXPECT_DOUBLE_EQ(channel_half_life_s(p, 2000e-6, false), 2000);
  EXPECT_DOUBLE_EQ(channel_half_life_s(p, 500e-6, true), 40000);
  EXPECT_EQ(channel_half_life_s(p, 0, false), 0);
}

TEST(Resealing, OpenFractionIsExponentialAndPopulationHalfLifeIsExact) {
  const std::vector<double> same = {3600, 3600, 3600};
  EXPECT_NEAR(open_fraction(same, 3600), 0.5, 1e-15);
  EXPECT_NEAR(open_fraction(same, 7200), 0.25, 1e-15);
  EXPECT_NEAR(population_half_life_s(same), 3600, 1e-6);
  // Two populations: the half-open time t solves (2^(-t/a) + 2^(-t/b)) / 2 = 1/2.
  const std::vector<double> mixed = {1000, 4000};
  const double t = population_half_life_s(mixed);
  EXPECT_NEAR(0.5 * (std::exp2(-t / 1000) + std::exp2(-t / 4000)), 0.5, 1e-9);
  EXPECT_EQ(population_half_life_s({}), 0);
}

}  // namespace
}  // namespace citsim::injury
