// SPDX-License-Identifier: MIT
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citsim/core/error.hpp"
#include "citsim/core/scenario.hpp"
#include "citsim/core/units.hpp"

namespace citsim::core {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr const char* k_minimal = R"(
[patient]
age_years = 40
fitzpatrick = 2

[[area]]
region = "cheek"
area_cm2 = 30
)";

std::string message_of(const std::string& text) {
  try {
    parse_scenario(text, "test.toml");
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Scenario, MinimalScenarioGetsTheDefaults) {
  const Scenario s = parse_scenario(k_minimal, "test.toml");
  EXPECT_DOUBLE_EQ(s.patient.age_years, 40);
  EXPECT_EQ(s.patient.fitzpatrick, 2);
  EXPECT_EQ(s.patient.sex, Sex::unspecified);
  ASSERT_EQ(s.areas.size(), 1u);
  EXPECT_DOUBLE_EQ(s.areas[0].area_m2, 30 * units::cm2);
  EXPECT_FALSE(s.device.has_value());
  EXPECT_EQ(s.technique.passes, 4);
  EXPECT_EQ(s.protocol.sessions, 1);
  EXPECT_DOUBLE_EQ(s.protocol.interval_s, 28 * units::day);
  EXPECT_EQ(s.simulation.seed, 1u);
  EXPECT_DOUBLE_EQ(s.simulation.patch_side_m, 10 * units::mm);
}

TEST(Scenario, ConvertsFileUnitsToSi) {
  const Scenario s = parse_scenario(std::string(k_minimal) + R"(
[device]
kind = "roller"
needle_length_mm = 1.5
drum_diameter_mm = 20
tip_angle_deg = 30
[topical]
product = "niacinamide"
dose_mg_cm2 = 2
exposure_h = 12
[protocol]
sessions = 3
interval_days = 14
)",
                                    "test.toml");
  ASSERT_TRUE(s.device.has_value());
  EXPECT_EQ(s.device->kind, DeviceKind::roller);
  EXPECT_DOUBLE_EQ(*s.device->needle_length_m, 1.5e-3);
  EXPECT_DOUBLE_EQ(*s.device->drum_diameter_m, 20e-3);
  EXPECT_NEAR(*s.device->tip_angle_rad, 0.5235987756, 1e-9);
  ASSERT_TRUE(s.topical.has_value());
  EXPECT_DOUBLE_EQ(s.topical->dose_kg_m2, 2e-6 / 1e-4);
  EXPECT_DOUBLE_EQ(s.topical->exposure_s, 12 * 3600.0);
  EXPECT_DOUBLE_EQ(s.protocol.interval_s, 14 * 86400.0);
}

TEST(Scenario, InlineMoleculeIsRead) {
  const Scenario s = parse_scenario(std::string(k_minimal) + R"(
[topical]
product = { name = "naloxone", molecular_weight_da = 327.4, log_p = 2.09 }
)",
                                    "test.toml");
  ASSERT_TRUE(s.topical->inline_molecule.has_value());
  EXPECT_EQ(s.topical->product, "naloxone");
  EXPECT_DOUBLE_EQ(s.topical->inline_molecule->log_p, 2.09);
}

TEST(Scenario, OutOfRangeValueNamesFileLineKeyValueAndRange) {
  const std::string text =
      std::string(k_minimal) + "[device]\nkind = \"pen\"\nneedle_length_mm = 30\n";
  EXPECT_THAT(message_of(text),
              AllOf(HasSubstr("test.toml:11:"), HasSubstr("device.needle_length_mm"),
                    HasSubstr("30"), HasSubstr("from 0.1 to 3 mm")));
}

TEST(Scenario, RejectsImpossibleValues) {
  EXPECT_THAT(message_of(std::string(k_minimal) + "[technique]\npasses = 0\n"),
              HasSubstr("technique.passes"));
  EXPECT_THAT(message_of(R"([patient]
age_years = 40
fitzpatrick = 9
[[area]]
region = "cheek"
area_cm2 = 30
)"),
              AllOf(HasSubstr("patient.fitzpatrick"), HasSubstr("from 1 to 6")));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[topical]\nproduct = \"x\"\ndose_mg_cm2 = -1\n"),
              HasSubstr("topical.dose_mg_cm2"));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[protocol]\nsessions = 1.5\n"),
              AllOf(HasSubstr("protocol.sessions"), HasSubstr("whole number")));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[simulation]\npatch_mm = nan\n"),
              HasSubstr("simulation.patch_mm"));
}

TEST(Scenario, WrongTypeIsAnError) {
  EXPECT_THAT(message_of(std::string(k_minimal) +
                         "[device]\nkind = \"pen\"\nneedle_length_mm = \"long\"\n"),
              AllOf(HasSubstr("device.needle_length_mm"), HasSubstr("'long'")));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[technique]\npressure = 3\n"),
              HasSubstr("technique.pressure"));
}

TEST(Scenario, UnknownKeySuggestsTheNearestKnownKey) {
  const std::string message =
      message_of(std::string(k_minimal) + "[device]\nkind = \"pen\"\nneedle_lenght_mm = 1\n");
  EXPECT_THAT(message, AllOf(HasSubstr("unknown key 'device.needle_lenght_mm'"),
                             HasSubstr("did you mean 'needle_length_mm'")));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[protocoll]\nsessions = 2\n"),
              HasSubstr("did you mean 'protocol'"));
}

TEST(Scenario, UnknownChoiceSuggestsTheNearest) {
  EXPECT_THAT(message_of(std::string(k_minimal) + "[technique]\npattern = \"crosshach\"\n"),
              HasSubstr("did you mean 'crosshatch'"));
}

TEST(Scenario, TissueIsLivingUnlessExcisedIsAsked) {
  EXPECT_EQ(parse_scenario(k_minimal, "test.toml").simulation.tissue, TissueState::living);
  const Scenario s =
      parse_scenario(std::string(k_minimal) + "[simulation]\ntissue = \"excised\"\n", "test.toml");
  EXPECT_EQ(s.simulation.tissue, TissueState::excised);
  std::ostringstream text;
  text << effective_config(s);
  EXPECT_EQ(parse_scenario(text.str(), "again.toml").simulation.tissue, TissueState::excised);
}

TEST(Scenario, BadTissueNamesFileKeyValueAndChoices) {
  EXPECT_THAT(message_of(std::string(k_minimal) + "[simulation]\ntissue = \"in_vitro\"\n"),
              AllOf(HasSubstr("test.toml:10:"), HasSubstr("simulation.tissue"),
                    HasSubstr("\"in_vitro\""), HasSubstr("living"), HasSubstr("excised")));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[simulation]\ntissue = \"excized\"\n"),
              HasSubstr("did you mean 'excised'"));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[simulation]\ntissue = true\n"),
              HasSubstr("simulation.tissue"));
}

TEST(Scenario, MissingRequiredPiecesAreNamed) {
  EXPECT_THAT(message_of("[patient]\nage_years = 40\nfitzpatrick = 2\n"),
              HasSubstr("at least one [[area]]"));
  EXPECT_THAT(message_of("[[area]]\nregion = \"cheek\"\narea_cm2 = 3\n"), HasSubstr("patient"));
  EXPECT_THAT(message_of(std::string(k_minimal) + "[device]\nmodel = \"pen-12\"\n"),
              HasSubstr("device.kind"));
}

TEST(Scenario, SyntaxErrorNamesLineAndColumn) {
  EXPECT_THAT(message_of("[patient\nage_years = 1\n"),
              AllOf(HasSubstr("test.toml:1:"), HasSubstr("TOML syntax error")));
}

TEST(Scenario, MissingFileIsAnInputError) {
  EXPECT_THROW(load_scenario("/nonexistent/scenario.toml"), InputError);
}

TEST(Scenario, EffectiveConfigRoundTrips) {
  const Scenario s = parse_scenario(std::string(k_minimal) + R"(
[device]
kind = "pen"
model = "pen-12"
needle_length_mm = 1.25
[topical]
product = "minoxidil"
daily_applications = 2
)",
                                    "a.toml");
  std::ostringstream text;
  text << effective_config(s);
  const Scenario again = parse_scenario(text.str(), "b.toml");
  std::ostringstream text_again;
  text_again << effective_config(again);
  EXPECT_EQ(text.str(), text_again.str());
  EXPECT_DOUBLE_EQ(*again.device->needle_length_m, 1.25e-3);
  EXPECT_EQ(again.topical->daily_applications, 2);
}

}  // namespace
}  // namespace citsim::core
