// SPDX-License-Identifier: MIT
// Every validation case that must pass (analytic, calibration, check) is a test; the known gaps
// are reported by `citsim validate` and in docs/model.md, not asserted.
#include <gtest/gtest.h>

#include <cmath>

#include "citsim/validation/validation.hpp"

namespace citsim::validation {
namespace {

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

TEST(Validation, EveryCaseThatMustPassPasses) {
  const auto cases = run_cases(catalogs());
  ASSERT_GE(cases.size(), 15u);
  for (const auto& c : cases) {
    if (c.role == Role::known_gap) continue;
    EXPECT_TRUE(c.passed) << c.name << ": measured " << c.measured << " " << c.unit
                          << ", reference " << c.reference << " (" << c.tolerance << ")";
  }
}

TEST(Validation, CalibratedParameterInDataMatchesTheFit) {
  // data/injury.toml's membrane_prestrain is the Donnelly 2011 fit; re-fitting must agree to 2%.
  const double fitted = calibrate_membrane_prestrain(catalogs());
  const double in_data = catalogs().injury.penetration().membrane_prestrain;
  EXPECT_NEAR(fitted, in_data, 0.02 * in_data);
}

TEST(Validation, SideEffectCoefficientsInDataMatchTheFit) {
  // data/outcomes.toml's downtime and PIH coefficients are these fits (rounded); re-fitting with
  // the current injury and healing stages must agree to 2%.
  const auto fit = fit_side_effects(catalogs());
  const auto& p = catalogs().outcomes;
  const double day = 86400;
  EXPECT_NEAR(fit.downtime_epidermal_days, p.downtime.epidermal_s / day,
              0.02 * p.downtime.epidermal_s / day);
  const double fill_mm_per_day = p.downtime.dermal_fill_m_per_s * day * 1e3;
  EXPECT_NEAR(fit.downtime_dermal_fill_mm_per_day, fill_mm_per_day, 0.02 * fill_mm_per_day);
  EXPECT_NEAR(fit.pih_intercept, p.pih.intercept, 0.02 * std::abs(p.pih.intercept));
  EXPECT_NEAR(fit.pih_per_fitzpatrick_type, p.pih.per_fitzpatrick_type,
              0.02 * p.pih.per_fitzpatrick_type);
}

}  // namespace
}  // namespace citsim::validation
