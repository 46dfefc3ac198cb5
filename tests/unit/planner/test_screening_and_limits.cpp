// SPDX-License-Identifier: MIT
// Screening, the depth cap and the care plan: rules of data/contraindications.toml,
// data/planner.toml and data/care.toml applied to patient files.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "citsim/core/scenario.hpp"
#include "citsim/core/units.hpp"
#include "citsim/planner/planner.hpp"
#include "planner_fixtures.hpp"

namespace citsim::planner {
namespace {

namespace units = citsim::units;
using test::catalogs;
using test::patient_file;
using test::planner_catalog;

const FlagCheck& check_of(const Screening& screening, const std::string& flag) {
  for (const auto& check : screening.checks) {
    if (check.contraindication->id == flag) return check;
  }
  throw std::runtime_error("no check for " + flag);
}

TEST(Screening, EveryContraindicationIsCheckedAndReportsWhetherPresent) {
  const auto scenario = core::parse_scenario(patient_file(), "p.toml");
  const auto screening = screen(scenario, planner_catalog());
  EXPECT_EQ(screening.checks.size(), planner_catalog().contraindications().size());
  EXPECT_TRUE(screening.patient_candidate);
  EXPECT_TRUE(std::none_of(screening.checks.begin(), screening.checks.end(),
                           [](const FlagCheck& c) { return c.present; }));
  for (const auto& check : screening.checks) EXPECT_FALSE(check.source.empty());
}

TEST(Screening, AnAbsolutePatientFlagMakesThePatientAndEveryAreaNoCandidate) {
  const auto scenario =
      core::parse_scenario(patient_file(R"(history = ["isotretinoin_6mo"])"), "p.toml");
  const auto screening = screen(scenario, planner_catalog());
  EXPECT_FALSE(screening.patient_candidate);
  ASSERT_EQ(screening.patient_reasons.size(), 1u);
  EXPECT_NE(screening.patient_reasons[0].find("Isotretinoin"), std::string::npos);
  EXPECT_TRUE(check_of(screening, "isotretinoin_6mo").present);
  for (const auto& area : screening.areas) EXPECT_FALSE(area.candidate);
}

TEST(Screening, AnAreaFlagExcludesOnlyItsArea) {
  const auto scenario =
      core::parse_scenario(patient_file("", R"(history = ["active_acne"])"), "p.toml");
  const auto screening = screen(scenario, planner_catalog());
  EXPECT_TRUE(screening.patient_candidate);
  ASSERT_EQ(screening.areas.size(), 2u);
  EXPECT_FALSE(screening.areas[0].candidate);  // the cheek has the flag
  EXPECT_TRUE(screening.areas[1].candidate);
  const auto& check = check_of(screening, "active_acne");
  EXPECT_TRUE(check.present);
  EXPECT_EQ(check.areas, std::vector<std::string>{"cheek"});
}

TEST(Screening, AnAreaFlagInThePatientHistoryAppliesToEveryArea) {
  const auto scenario = core::parse_scenario(patient_file(R"(history = ["open_wound"])"), "p.toml");
  const auto screening = screen(scenario, planner_catalog());
  EXPECT_TRUE(screening.patient_candidate);
  for (const auto& area : screening.areas) EXPECT_FALSE(area.candidate);
  EXPECT_EQ(check_of(screening, "open_wound").areas.size(), 2u);
}

TEST(Screening, ARelativeFlagTightensTheLimitsAndAddsAPrecaution) {
  const auto plain = screen(core::parse_scenario(patient_file(), "p.toml"), planner_catalog());
  const auto scenario =
      core::parse_scenario(patient_file(R"(history = ["anticoagulants"])"), "p.toml");
  const auto screening = screen(scenario, planner_catalog());
  const auto* flag = planner_catalog().find("anticoagulants");
  ASSERT_NE(flag, nullptr);
  for (std::size_t a = 0; a < screening.areas.size(); ++a) {
    const auto& area = screening.areas[a];
    EXPECT_TRUE(area.candidate);
    EXPECT_DOUBLE_EQ(area.depth_factor, *flag->depth_factor);
    EXPECT_EQ(area.max_passes, *flag->max_passes);
    ASSERT_EQ(area.precautions.size(), 1u);
    EXPECT_EQ(area.precautions[0].text, flag->effect);
    EXPECT_TRUE(plain.areas[a].precautions.empty());
  }
}

TEST(Screening, UnknownOrMisplacedFlagsAreBadInputNamingTheAllowedOnes) {
  try {
    (void)screen(core::parse_scenario(patient_file(R"(history = ["pregnant"])"), "p.toml"),
                 planner_catalog());
    FAIL() << "an unknown flag was accepted";
  } catch (const core::InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("p.toml:"), std::string::npos) << message;
    EXPECT_NE(message.find("pregnant"), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean 'pregnancy'"), std::string::npos) << message;
    EXPECT_NE(message.find("keloid_tendency"), std::string::npos) << message;
  }
  // A patient-wide flag does not belong to one area.
  EXPECT_THROW(
      (void)screen(core::parse_scenario(patient_file("", R"(history = ["pregnancy"])"), "p.toml"),
                   planner_catalog()),
      core::InputError);
}

TEST(DepthCap, ThinRegionsGetShallowerCapsThanThickOnes) {
  const core::Patient patient{34, 3, core::Sex::female, {}};
  auto cap = [&](const std::string& region) {
    return max_safe_needle_m(catalogs().regions.skin_for(region, patient), 3, 1.0,
                             planner_catalog());
  };
  EXPECT_LT(cap("periorbital"), cap("cheek"));
  EXPECT_LE(cap("perioral"), cap("cheek"));
  EXPECT_LT(cap("nose"), cap("cheek"));
  EXPECT_LE(cap("periorbital"), 0.5 * units::mm);
  EXPECT_GT(cap("cheek"), 0);
}

// The safety rule over every region, Fitzpatrick type, age, sex and relative-flag factor: the cap
// is a length of the grid, inside the modelled dermis (dermis_fraction of its lower boundary)
// and below the region's cap; and no candidate plan goes past it.
RC_GTEST_PROP(DepthCap, NeverPastTheModelledDermisOrTheRegionCap, ()) {
  const auto regions = catalogs().regions.ids();
  const auto region = *rc::gen::elementOf(regions);
  const int fitzpatrick = *rc::gen::inRange(1, 7);
  const double age = *rc::gen::inRange(18, 90);
  const auto sex = *rc::gen::element(core::Sex::female, core::Sex::male, core::Sex::unspecified);
  const double factor = *rc::gen::element(1.0, 0.85, 0.75, 0.5);
  const core::Patient patient{age, fitzpatrick, sex, {}};
  const auto skin = catalogs().regions.skin_for(region, patient);
  const double cap = max_safe_needle_m(skin, fitzpatrick, factor, planner_catalog());
  const auto& grid = planner_catalog().search().needle_lengths_m;
  RC_ASSERT(cap <= planner_catalog().dermis_fraction() * skin.cutis_m() * (1 + 1e-9));
  RC_ASSERT(cap <= planner_catalog().region_cap_m(region) * (1 + 1e-9));
  RC_ASSERT(cap < skin.cutis_m());
  if (cap > 0) RC_ASSERT(std::find(grid.begin(), grid.end(), cap) != grid.end());

  core::Scenario scenario;
  scenario.patient = patient;
  scenario.areas.push_back({region, {}, 10 * units::cm2, {}, {}, {}});
  SearchLimits limits;
  limits.max_needle_m = cap;
  for (const auto& spec : candidate_plans(scenario, 0, limits, catalogs(), planner_catalog())) {
    for (double length : spec.needle_length_m) RC_ASSERT(length <= cap * (1 + 1e-9));
  }
}

TEST(DepthCap, EveryRegionAndFitzpatrickTypeStaysInsideTheDermisAtAnyAge) {
  for (const auto& region : catalogs().regions.ids()) {
    for (int type = 1; type <= 6; ++type) {
      for (double age : {18.0, 35.0, 60.0, 90.0}) {
        const core::Patient patient{age, type, core::Sex::female, {}};
        const auto skin = catalogs().regions.skin_for(region, patient);
        const double cap = max_safe_needle_m(skin, type, 1.0, planner_catalog());
        EXPECT_GT(cap, 0) << region << " type " << type << " age " << age;
        EXPECT_LE(cap, planner_catalog().dermis_fraction() * skin.cutis_m() * (1 + 1e-9))
            << region << " type " << type << " age " << age;
        EXPECT_LE(cap, planner_catalog().region_cap_m(region) * (1 + 1e-9)) << region;
      }
    }
  }
}

TEST(DepthCap, DarkerSkinGetsAShallowerCap) {
  const core::Patient patient{34, 2, core::Sex::female, {}};
  const auto skin = catalogs().regions.skin_for("cheek", patient);
  EXPECT_LT(max_safe_needle_m(skin, 5, 1.0, planner_catalog()),
            max_safe_needle_m(skin, 2, 1.0, planner_catalog()));
}

TEST(Care, TheSterilizationChecklistFollowsTheDevice) {
  auto has = [](const std::vector<CareItem>& items, const std::string& word) {
    return std::any_of(items.begin(), items.end(),
                       [&](const CareItem& i) { return i.step.find(word) != std::string::npos; });
  };
  const auto pen = care_plan(planner_catalog(), core::DeviceKind::pen, 1e-3, 3);
  const auto roller = care_plan(planner_catalog(), core::DeviceKind::roller, 1e-3, 3);
  EXPECT_TRUE(has(pen.sterilization, "cartridge"));
  EXPECT_FALSE(has(roller.sterilization, "cartridge"));
  EXPECT_TRUE(has(roller.sterilization, "roller"));
  EXPECT_FALSE(has(pen.sterilization, "roller"));
  for (const auto* plan : {&pen, &roller}) {
    EXPECT_FALSE(plan->pre.empty());
    EXPECT_FALSE(plan->post.empty());
    for (const auto& item : plan->post) {
      EXPECT_LE(item.day_from, item.day_to);
      EXPECT_FALSE(item.reason.empty());
      EXPECT_FALSE(item.source.empty());
    }
  }
}

TEST(Care, DeeperNeedlingNeedsNumbingAndLongerPostCare) {
  const auto shallow = care_plan(planner_catalog(), core::DeviceKind::pen, 0.25e-3, 0);
  const auto deep = care_plan(planner_catalog(), core::DeviceKind::pen, 1.5e-3, 0);
  auto find = [](const std::vector<CareItem>& items, const std::string& word) {
    return std::find_if(items.begin(), items.end(),
                        [&](const CareItem& i) { return i.step.find(word) != std::string::npos; });
  };
  EXPECT_EQ(find(shallow.pre, "anaesthetic"), shallow.pre.end());
  EXPECT_NE(find(deep.pre, "anaesthetic"), deep.pre.end());
  const auto sun_shallow = find(shallow.post, "direct sun");
  const auto sun_deep = find(deep.post, "direct sun");
  ASSERT_NE(sun_shallow, shallow.post.end());
  ASSERT_NE(sun_deep, deep.post.end());
  EXPECT_GT(sun_deep->day_to, sun_shallow->day_to);
  // A step tied to the downtime lasts at least as long as the predicted redness.
  const auto long_downtime = care_plan(planner_catalog(), core::DeviceKind::pen, 0.25e-3, 9.2);
  EXPECT_GE(find(long_downtime.post, "direct sun")->day_to, 10);
}

}  // namespace
}  // namespace citsim::planner
