// SPDX-License-Identifier: MIT
// Scarring emerges through the whole chain: the same pen session laid densely (a slow glide)
// turns the healing toward scar-type matrix; at the catalogue's glide it stays regenerative.
#include <gtest/gtest.h>

#include <algorithm>

#include <fmt/format.h>

#include "citsim/core/scenario.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::simulation {
namespace {

const Catalogs& catalogs() {
  static const Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

struct Course {
  double dermal_damage = 0;
  double peak_scar = 0;
  double final_collagen_gain = 0;  ///< total collagen over baseline at the end
};

/// The default example's cheek course (pen-12 at 0.75 mm, 4 crosshatch passes, 4 sessions 28
/// days apart, 180 days of follow-up), with an optional glide speed.
Course cheek_course(const std::string& glide) {
  const auto scenario = core::parse_scenario(fmt::format(R"([patient]
age_years = 34
fitzpatrick = 3
[[area]]
region = "cheek"
area_cm2 = 4
[device]
kind = "pen"
model = "pen-12"
needle_length_mm = 0.75
{}
[technique]
passes = 4
pattern = "crosshatch"
[protocol]
sessions = 4
interval_days = 28
follow_up_days = 180
)",
                                                         glide),
                                             "s.toml");
  const auto result = simulate(scenario, catalogs());
  const auto& area = result.areas.front();
  const healing::HealingModel model(catalogs().healing, 1.0);
  Course c;
  c.dermal_damage = area.sessions.front().dermal_damage_fraction;
  for (const auto& s : area.healing.samples)
    c.peak_scar = std::max(c.peak_scar, s.y[healing::k_scar]);
  c.final_collagen_gain = model.total_collagen_rel(area.healing.samples.back().y) - 1;
  return c;
}

TEST(ScarringChain, DenseSessionsTurnTowardScar) {
  const auto catalogue = cheek_course("");
  const auto slow = cheek_course("glide_speed_mm_s = 10");
  // A 10 mm/s glide lays about 13x the punctures of the catalogue's glide.
  EXPECT_GT(slow.dermal_damage, 8 * catalogue.dermal_damage);
  // Scar-type matrix grows faster than the injury (TGF-beta above its threshold) ...
  EXPECT_GT(slow.peak_scar, 5 * catalogue.peak_scar);
  // ... and the scar share of the new matrix goes from a few percent to a large part.
  EXPECT_LT(catalogue.peak_scar, 0.1 * catalogue.final_collagen_gain);
  EXPECT_GT(slow.peak_scar, 0.2 * slow.final_collagen_gain);
}

}  // namespace
}  // namespace citsim::simulation
