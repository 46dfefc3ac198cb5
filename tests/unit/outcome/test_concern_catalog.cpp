// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "citsim/core/error.hpp"
#include "citsim/outcome/concern_catalog.hpp"

namespace citsim::outcome {
namespace {

TEST(ConcernCatalog, HasEveryConcernKindOfTheDesign) {
  const ConcernCatalog catalog(CITSIM_TEST_DATA_DIR);
  for (const char* id :
       {"fine_lines", "laxity", "texture", "enlarged_pores", "atrophic_acne_scar", "surgical_scar",
        "hyperpigmentation", "melasma", "stretch_marks", "hair_loss"}) {
    const ConcernScale& s = catalog.scale(id);
    EXPECT_LT(s.severity_min, s.severity_max) << id;
    EXPECT_FALSE(s.unit.empty()) << id;
    EXPECT_FALSE(s.source.empty()) << id;
  }
  EXPECT_FALSE(catalog.scale("hair_loss").lower_is_better);
  EXPECT_TRUE(catalog.scale("melasma").lower_is_better);
}

TEST(ConcernCatalog, SeverityOutsideTheScaleIsAnInputError) {
  const ConcernCatalog catalog(CITSIM_TEST_DATA_DIR);
  core::Concern concern{"atrophic_acne_scar", 9, {"s.toml", 12}};
  try {
    catalog.check(concern, "area[1].concerns[1].severity");
    FAIL();
  } catch (const core::InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("s.toml:12"), std::string::npos) << message;
    EXPECT_NE(message.find("from 1 to 4"), std::string::npos) << message;
  }
  concern.severity = 3;
  EXPECT_NO_THROW(catalog.check(concern, "k"));
}

}  // namespace
}  // namespace citsim::outcome
