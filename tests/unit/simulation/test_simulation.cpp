// SPDX-License-Identifier: MIT
#include <string>

#include <gtest/gtest.h>

#include "citsim/core/scenario.hpp"
#include "citsim/core/units.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::simulation {
namespace {

const Catalogs& catalogs() {
  static const Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

constexpr const char* k_two_areas = R"([patient]
age_years = 50
fitzpatrick = 4
[[area]]
region = "cheek"
area_cm2 = 30
[[area]]
region = "neck"
area_cm2 = 20
[device]
kind = "pen"
model = "pen-16"
needle_length_mm = 0.75
[protocol]
sessions = 3
interval_days = 21
)";

TEST(Simulation, SessionsFollowTheProtocol) {
  const auto result = simulate(core::parse_scenario(k_two_areas, "s.toml"), catalogs());
  ASSERT_EQ(result.areas.size(), 2u);
  ASSERT_EQ(result.areas[1].sessions.size(), 3u);
  EXPECT_DOUBLE_EQ(result.areas[1].sessions[2].day, 42);
  EXPECT_EQ(result.areas[1].skin.region, "neck");
  ASSERT_TRUE(result.device.has_value());
  EXPECT_DOUBLE_EQ(result.device->needle.length_m, 0.75e-3);
}

TEST(Simulation, SameSeedSameResultOtherSeedOtherResult) {
  const auto scenario = core::parse_scenario(k_two_areas, "s.toml");
  const auto first = simulate(scenario, catalogs());
  const auto second = simulate(scenario, catalogs());
  EXPECT_EQ(first.areas[0].sessions[0].injury.mean_depth_m,
            second.areas[0].sessions[0].injury.mean_depth_m);
  // Each area and session draws from its own stream: two areas do not share punctures.
  EXPECT_NE(first.areas[0].sessions[0].punctures, first.areas[1].sessions[0].punctures);
  auto reseeded = scenario;
  reseeded.simulation.seed = 99;
  EXPECT_NE(simulate(reseeded, catalogs()).areas[0].sessions[0].punctures,
            first.areas[0].sessions[0].punctures);
}

TEST(Simulation, CheckRejectsAnUnknownRegionBeforeAnyWork) {
  auto scenario = core::parse_scenario(k_two_areas, "s.toml");
  scenario.areas[1].region = "elbow";
  int sessions_run = 0;
  EXPECT_THROW(simulate(scenario, catalogs(), [&] { ++sessions_run; }), core::InputError);
  EXPECT_EQ(sessions_run, 0);
}

TEST(Simulation, OcclusionSlowsResealing) {
  auto scenario = core::parse_scenario(
      std::string(k_two_areas) + "[topical]\nproduct = \"niacinamide\"\n", "s.toml");
  const double open =
      simulate(scenario, catalogs()).areas[0].sessions[0].injury.channel_half_life_s;
  scenario.topical->occluded = true;
  const double occluded =
      simulate(scenario, catalogs()).areas[0].sessions[0].injury.channel_half_life_s;
  EXPECT_NEAR(occluded / open, catalogs().injury.resealing().occlusion_factor, 1e-9);
}

TEST(Simulation, ExcisedSkinClearsNothingAndKeepsTheBooks) {
  // One roller session with niacinamide on the back, the film washed off after 1 h. Living skin
  // clears part of what crossed into the dermis; excised skin (a diffusion cell) has no blood
  // flow: what crossed stays in the skin unless it reaches the receptor below the dermis.
  const std::string text = R"([patient]
age_years = 40
fitzpatrick = 2
[[area]]
region = "back"
area_cm2 = 1
[device]
kind = "roller"
model = "roller-192"
needle_length_mm = 0.5
[topical]
product = "niacinamide"
occluded = true
exposure_h = 1
)";
  auto scenario = core::parse_scenario(text, "s.toml");
  const auto living = *simulate(scenario, catalogs()).areas[0].absorption;
  scenario.simulation.tissue = core::TissueState::excised;
  const auto excised = *simulate(scenario, catalogs()).areas[0].absorption;
  for (const auto* curves : {&living, &excised}) {
    EXPECT_LT(curves->mass_balance_error, 1e-11);
  }
  for (const auto* curve : {&excised.with_channels, &excised.intact}) {
    for (const auto& s : *curve) {
      // Nothing is cleared in the tissue: all that left the skin left through its bottom, and
      // the rest of what was applied is on it, in it, or washed off with the film.
      EXPECT_EQ(s.cleared, s.out_bottom) << "at " << s.t_s << " s";
      EXPECT_NEAR(
          s.on_surface + s.washed_off + s.in_stratum_corneum + s.in_viable_tissue + s.out_bottom,
          s.applied, 1e-11 * s.applied);
    }
  }
  const auto& lived = living.with_channels.back();
  const auto& kept = excised.with_channels.back();
  EXPECT_GT(lived.cleared, 2 * lived.out_bottom);
  // Without clearance more of the active is left in the skin at the end (72 h).
  EXPECT_GT(kept.in_viable_tissue, lived.in_viable_tissue);
}

TEST(Simulation, Voxel3dAreasRunOutsideAnyParallelRegion) {
  // voxel3d keeps the threads for its kernel, so the areas run one after the other; they must
  // not run inside an inactive OpenMP region either, where libgomp would start fresh threads for
  // each of the kernel's regions (a debug build's kernel asserts it). Two tiny areas, one hour.
  const std::string text = std::string(k_two_areas) + R"(
[topical]
product = "niacinamide"
occluded = true
exposure_h = 1
[simulation]
transport = "voxel3d"
voxel_patch_mm = 0.1
voxel_um = 20
)";
  auto scenario = core::parse_scenario(text, "s.toml");
  scenario.protocol.sessions = 1;
  const auto result = simulate(scenario, catalogs());
  ASSERT_EQ(result.areas.size(), 2U);
  for (const auto& area : result.areas) {
    ASSERT_TRUE(area.absorption.has_value());
    EXPECT_LT(area.absorption->mass_balance_error, 1e-6);
    EXPECT_GT(area.absorption->with_channels.back().in_viable_tissue, 0.0);
  }
}

}  // namespace
}  // namespace citsim::simulation
