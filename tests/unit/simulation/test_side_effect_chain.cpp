// SPDX-License-Identifier: MIT
// Side effects through the whole chain: downtime and PIH risk grow with depth, PIH risk with
// density and skin type (docs/model.md, "Outcome", side effects).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "citsim/core/scenario.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::simulation {
namespace {

const Catalogs& catalogs() {
  static const Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

SessionResult first_session(const std::string& device, int fitzpatrick = 3) {
  const auto scenario = core::parse_scenario(fmt::format(R"([patient]
age_years = 35
fitzpatrick = {}
[[area]]
region = "cheek"
area_cm2 = 1
[device]
{}
[technique]
passes = 4
[protocol]
sessions = 1
follow_up_days = 30
)",
                                                         fitzpatrick, device),
                                             "s.toml");
  return simulate(scenario, catalogs()).areas.front().sessions.front();
}

std::string roller(double length_mm) {
  return fmt::format("kind = \"roller\"\nmodel = \"roller-192\"\nneedle_length_mm = {}", length_mm);
}

TEST(SideEffectChain, DeeperNeedlesLongerDowntimeAndMorePih) {
  double downtime = 0;
  double pih = 0;
  for (double length_mm : {0.5, 1.0, 1.5, 2.5}) {
    const auto s = first_session(roller(length_mm));
    EXPECT_GT(s.downtime_days, downtime) << length_mm;
    EXPECT_GT(s.pih_risk, pih) << length_mm;
    downtime = s.downtime_days;
    pih = s.pih_risk;
  }
}

TEST(SideEffectChain, DenserSessionsMorePihDarkerSkinMorePih) {
  const std::string pen = "kind = \"pen\"\nmodel = \"pen-12\"\nneedle_length_mm = 1.0";
  const auto catalogue = first_session(pen);
  const auto dense = first_session(pen + "\nglide_speed_mm_s = 20");
  EXPECT_GT(dense.dermal_damage_fraction, 3 * catalogue.dermal_damage_fraction);
  EXPECT_GT(dense.pih_risk, catalogue.pih_risk);
  EXPECT_GT(first_session(pen, 5).pih_risk, catalogue.pih_risk);
}

TEST(SideEffectChain, NoDeviceNoSideEffects) {
  const auto scenario = core::parse_scenario(R"([patient]
age_years = 35
fitzpatrick = 6
[[area]]
region = "cheek"
area_cm2 = 1
[protocol]
sessions = 1
follow_up_days = 30
)",
                                             "s.toml");
  const auto s = simulate(scenario, catalogs()).areas.front().sessions.front();
  EXPECT_EQ(s.downtime_days, 0.0);
  EXPECT_EQ(s.pih_risk, 0.0);
}

}  // namespace
}  // namespace citsim::simulation
