// SPDX-License-Identifier: MIT
// Downtime and PIH risk per session (docs/model.md, "Outcome", side effects).
#include <gtest/gtest.h>

#include <cmath>

#include "citsim/core/units.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::outcome {
namespace {

namespace units = citsim::units;

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

healing::InjuryDose channels_at(double depth_m, double per_cm2) {
  healing::InjuryDose dose;
  dose.mean_channel_depth_m = depth_m;
  dose.channels_per_m2 = per_cm2 / units::cm2;
  return dose;
}

TEST(Downtime, NoChannelsNoDowntime) {
  EXPECT_EQ(downtime_days(catalogs().outcomes, healing::InjuryDose{}), 0.0);
}

TEST(Downtime, EpidermisThenDermalFillAtTheFileRate) {
  // The closed form with the file's coefficients: an epidermal part plus depth over fill rate.
  const auto& p = catalogs().outcomes.downtime;
  const double depth = 1.2e-3;
  EXPECT_NEAR(downtime_days(catalogs().outcomes, channels_at(depth, 200)),
              (p.epidermal_s + depth / p.dermal_fill_m_per_s) / units::day, 1e-12);
}

TEST(Downtime, DeeperChannelsStayVisibleLonger) {
  const auto& p = catalogs().outcomes;
  double previous = 0;
  for (double depth_mm : {0.1, 0.5, 1.0, 2.0}) {
    const double days = downtime_days(p, channels_at(depth_mm * units::mm, 200));
    EXPECT_GT(days, previous) << depth_mm;
    previous = days;
  }
  // One millimetre deeper adds the time the fill rate needs for it (about 2 days).
  EXPECT_NEAR(downtime_days(p, channels_at(2 * units::mm, 200)) -
                  downtime_days(p, channels_at(1 * units::mm, 200)),
              units::mm / p.downtime.dermal_fill_m_per_s / units::day, 1e-12);
}

TEST(Pih, RiskRisesWithFitzpatrickTypeAndInflammation) {
  const auto& p = catalogs().outcomes;
  for (int type = 1; type < 6; ++type) EXPECT_LT(pih_risk(p, type, 8), pih_risk(p, type + 1, 8));
  EXPECT_LT(pih_risk(p, 4, 1), pih_risk(p, 4, 20));
  EXPECT_GT(pih_risk(p, 6, 100), 0);
  EXPECT_LT(pih_risk(p, 6, 100), 1);
}

TEST(Pih, MatchesTheLogisticForm) {
  const auto& p = catalogs().outcomes;
  const double logit = p.pih.intercept + 3 * p.pih.per_fitzpatrick_type +
                       p.pih.per_log_inflammation * std::log(1 + 8.0);
  EXPECT_NEAR(pih_risk(p, 4, 8.0), 1 / (1 + std::exp(-logit)), 1e-15);
}

}  // namespace
}  // namespace citsim::outcome
