// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/error.hpp"

namespace citsim::anatomy {
namespace {

class RegionCatalogTest : public ::testing::Test {
 protected:
  RegionCatalog regions{CITSIM_TEST_DATA_DIR};
  core::Patient patient(double age, core::Sex sex = core::Sex::unspecified) {
    core::Patient p;
    p.age_years = age;
    p.fitzpatrick = 3;
    p.sex = sex;
    return p;
  }
};

TEST_F(RegionCatalogTest, HasTheSixteenRegionsOfTheDesign) {
  for (const char* id :
       {"forehead", "periorbital", "nose", "cheek", "perioral", "chin", "brow", "jawline", "neck",
        "decolletage", "hand_dorsum", "scalp", "abdomen", "thigh", "upper_arm", "back"}) {
    EXPECT_NO_THROW((void)regions.reference(id)) << id;
  }
}

TEST_F(RegionCatalogTest, EveryRegionIsAnatomicallyConsistent) {
  for (const auto& id : regions.ids()) {
    const SkinModel& s = regions.reference(id);
    EXPECT_GT(s.stratum_corneum_m, 0) << id;
    EXPECT_GT(s.capillary_loop_depth_m, s.epidermis_m()) << id;
    EXPECT_LT(s.capillary_loop_depth_m, s.epidermis_m() + s.papillary_dermis_m) << id;
    EXPECT_GT(s.young_modulus_pa, 1e3) << id;
    for (const char* key : {"stratum_corneum_um", "viable_epidermis_um", "papillary_dermis_um",
                            "reticular_dermis_um", "capillary_loop_depth_um"}) {
      EXPECT_FALSE(regions.source(id, key).empty()) << id << " " << key;
    }
  }
}

TEST_F(RegionCatalogTest, EyelidIsThinnestAndBackHasTheThickestDermis) {
  const double eyelid = regions.reference("periorbital").cutis_m();
  const double back = regions.reference("back").dermis_m();
  for (const auto& id : regions.ids()) {
    EXPECT_GE(regions.reference(id).cutis_m(), eyelid) << id;
    EXPECT_LE(regions.reference(id).dermis_m(), back) << id;
  }
}

TEST_F(RegionCatalogTest, LayersTileTheSkinWithoutGaps) {
  const SkinModel& s = regions.reference("cheek");
  const auto layers = s.layers();
  EXPECT_DOUBLE_EQ(layers.front().top_m, 0.0);
  for (std::size_t i = 1; i < layers.size(); ++i) {
    EXPECT_DOUBLE_EQ(layers[i].top_m, layers[i - 1].bottom_m);
  }
  EXPECT_EQ(s.layer_at(1e-6), Layer::stratum_corneum);
  EXPECT_EQ(s.layer_at(s.epidermis_m() + 1e-6), Layer::papillary_dermis);
  EXPECT_EQ(s.layer_at(1.0), Layer::hypodermis);
  EXPECT_DOUBLE_EQ(s.crossed_m(Layer::papillary_dermis, 1.0), s.papillary_dermis_m);
  EXPECT_DOUBLE_EQ(s.crossed_m(Layer::reticular_dermis, 0.0), 0.0);
}

TEST_F(RegionCatalogTest, ReferenceAgeLeavesTheSkinUnchanged) {
  const double ref = regions.modifiers().reference_age_years;
  const SkinModel s = regions.skin_for("cheek", patient(ref));
  const SkinModel& r = regions.reference("cheek");
  EXPECT_DOUBLE_EQ(s.reticular_dermis_m, r.reticular_dermis_m);
  EXPECT_DOUBLE_EQ(s.young_modulus_pa, r.young_modulus_pa);
  EXPECT_DOUBLE_EQ(s.collagen_rel, 1.0);
}

TEST_F(RegionCatalogTest, OlderSkinIsThinnerStifferAndHasLessCollagen) {
  const SkinModel young = regions.skin_for("cheek", patient(25));
  const SkinModel old = regions.skin_for("cheek", patient(70));
  EXPECT_LT(old.dermis_m(), young.dermis_m());
  EXPECT_LT(old.viable_epidermis_m, young.viable_epidermis_m);
  EXPECT_GT(old.young_modulus_pa, young.young_modulus_pa);
  EXPECT_LT(old.collagen_rel, young.collagen_rel);
  // 35 years past the reference at 1%/year.
  EXPECT_NEAR(old.collagen_rel, 1 - 0.01 * (70 - regions.modifiers().reference_age_years), 1e-12);
}

TEST_F(RegionCatalogTest, SexSplitsTheDermisAroundTheAverage) {
  const double ref = regions.modifiers().reference_age_years;
  const SkinModel f = regions.skin_for("cheek", patient(ref, core::Sex::female));
  const SkinModel m = regions.skin_for("cheek", patient(ref, core::Sex::male));
  const SkinModel u = regions.skin_for("cheek", patient(ref));
  EXPECT_NEAR(f.dermis_m() / m.dermis_m(), regions.modifiers().female_dermis_factor, 1e-12);
  EXPECT_NEAR(0.5 * (f.dermis_m() + m.dermis_m()), u.dermis_m(), 1e-12);
}

TEST_F(RegionCatalogTest, UnknownRegionIsAnInputErrorWithASuggestion) {
  try {
    (void)regions.skin_for("cheeck", patient(40), {"s.toml", 7}, "area[1].region");
    FAIL() << "no error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'cheek'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("s.toml:7"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace citsim::anatomy
