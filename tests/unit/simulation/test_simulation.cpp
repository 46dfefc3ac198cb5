// SPDX-License-Identifier: MIT
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

}  // namespace
}  // namespace citsim::simulation
