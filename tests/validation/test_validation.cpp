// SPDX-License-Identifier: MIT
// Every validation case that must pass (analytic, calibration, check) is a test; the known gaps
// are reported by `citsim validate` and in docs/model.md, not asserted.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace citsim::validation
