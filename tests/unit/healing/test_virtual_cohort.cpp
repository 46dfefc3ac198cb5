// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <omp.h>

#include "citsim/core/units.hpp"
#include "citsim/simulation/simulation.hpp"

namespace citsim::outcome {
namespace {

namespace units = citsim::units;

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

CohortInput lotfi_like(int size) {
  CohortInput in;
  in.patient.age_years = 30;
  in.patient.fitzpatrick = 3;
  in.concerns = {{"atrophic_acne_scar", 3, {}}, {"fine_lines", 2, {}}, {"hair_loss", 120, {}}};
  for (int i = 0; i < 3; ++i) in.sessions.push_back({i * 28 * units::day, {0.0197, 1.0}});
  in.end_s = in.assessment_s = (2 * 28 + 60) * units::day;
  in.size = size;
  in.seed = 7;
  return in;
}

TEST(VirtualCohort, SameResultWhateverTheThreadCount) {
  const auto in = lotfi_like(64);
  omp_set_num_threads(1);
  const auto one =
      simulate_cohort(in, catalogs().healing, catalogs().outcomes, catalogs().concerns);
  omp_set_num_threads(2);
  const auto two =
      simulate_cohort(in, catalogs().healing, catalogs().outcomes, catalogs().concerns);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t c = 0; c < one.size(); ++c) {
    EXPECT_EQ(one[c].predicted, two[c].predicted);
    EXPECT_EQ(one[c].ci95, two[c].ci95);
  }
}

TEST(VirtualCohort, ImprovesInTheGoodDirectionWithAnInterval) {
  const auto out =
      simulate_cohort(lotfi_like(64), catalogs().healing, catalogs().outcomes, catalogs().concerns);
  ASSERT_EQ(out.size(), 3u);
  for (const auto& o : out) {
    EXPECT_GT(o.improvement_pct, 0) << o.concern;
    EXPECT_LE(o.ci95[0], o.predicted) << o.concern;
    EXPECT_GE(o.ci95[1], o.predicted) << o.concern;
  }
  EXPECT_LT(out[0].predicted, 3.0);
  EXPECT_GT(out[2].predicted, 120.0);  // hair: higher is better
  EXPECT_EQ(out[2].unit, "hairs/cm2");
}

TEST(Outcome, PihRiskRisesWithFitzpatrickTypeAndInflammation) {
  const auto& p = catalogs().outcomes;
  EXPECT_LT(pih_risk(p, 2, 5), pih_risk(p, 5, 5));
  EXPECT_LT(pih_risk(p, 4, 1), pih_risk(p, 4, 20));
  EXPECT_GT(pih_risk(p, 6, 100), 0);
  EXPECT_LT(pih_risk(p, 6, 100), 1);
}

}  // namespace
}  // namespace citsim::outcome
