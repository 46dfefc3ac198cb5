// SPDX-License-Identifier: MIT
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "citsim/core/scenario.hpp"
#include "citsim/io/atomic_file.hpp"
#include "citsim/io/result_writer.hpp"

namespace citsim::io {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class IoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("citsim_io_" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(IoTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  write_file_atomically(dir / "a.txt", "first");
  write_file_atomically(dir / "a.txt", "second");
  EXPECT_EQ(read(dir / "a.txt"), "second");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
}

TEST_F(IoTest, AtomicWriteIntoAMissingFolderThrowsAndWritesNothing) {
  EXPECT_THROW(write_file_atomically(dir / "missing" / "a.txt", "x"), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "missing"));
}

/// A minimal report template: the page's data placeholder in a script element.
constexpr const char* k_template =
    "<html><script id=\"citsim-data\" type=\"application/json\">__CITSIM_REPORT_DATA__"
    "</script></html>";

constexpr const char* k_scenario = R"([patient]
age_years = 40
fitzpatrick = 2
[[area]]
region = "cheek"
area_cm2 = 30
concerns = [{ kind = "fine_lines", severity = 2 }]
[device]
kind = "roller"
model = "roller-192"
needle_length_mm = 1.0
[topical]
product = "niacinamide"
[protocol]
sessions = 2
interval_days = 30
)";

TEST_F(IoTest, RunOutputsHoldTheDesignKeys) {
  const simulation::Catalogs catalogs(CITSIM_TEST_DATA_DIR);
  const auto scenario = core::parse_scenario(k_scenario, "s.toml");
  const auto result = simulation::simulate(scenario, catalogs);
  write_run_outputs(dir, result, k_template);

  const auto json = nlohmann::json::parse(read(dir / "result.json"));
  EXPECT_TRUE(json.contains("citsim_version"));
  EXPECT_TRUE(json.contains("git_hash"));
  EXPECT_EQ(json["scenario"]["device"]["model"], "roller-192");
  EXPECT_EQ(json["scenario"]["technique"]["passes"], 4);  // a default, filled in
  ASSERT_EQ(json["areas"].size(), 1u);
  const auto& sessions = json["areas"][0]["sessions"];
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[1]["day"], 30.0);
  for (const char* key :
       {"punctures_per_cm2", "mean_depth_um", "max_depth_um", "bleeding", "channel_half_life_h"}) {
    EXPECT_TRUE(sessions[0].contains(key)) << key;
  }
  EXPECT_GT(sessions[0]["punctures_per_cm2"].get<double>(), 0);
  EXPECT_GT(sessions[0]["absorbed_ug_cm2"].get<double>(), 0);
  EXPECT_GT(sessions[0]["enhancement_ratio"].get<double>(), 1);
  EXPECT_LT(json["areas"][0]["absorption_mass_balance_error"].get<double>(), 1e-11);

  const std::string csv = read(dir / "timeline.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "area,region,session,day,hours_after_session,open_channels_per_cm2,absorbed_ug_cm2,"
            "intact_absorbed_ug_cm2,collagen_I_rel,collagen_III_rel,elastin_rel");
  // The healing timeline: every day from the first session to the end of the follow-up.
  const auto& timeline = json["areas"][0]["timeline"];
  for (const char* key : {"day", "collagen_I_rel", "collagen_III_rel", "elastin_rel"}) {
    ASSERT_TRUE(timeline.contains(key)) << key;
    EXPECT_EQ(timeline[key].size(), timeline["day"].size()) << key;
  }
  const auto days = static_cast<long>(timeline["day"].size());
  EXPECT_EQ(days, 30 + 180 + 1);
  EXPECT_GT(timeline["collagen_I_rel"].back().get<double>(), 1);
  // Transport rows (17 per session) plus the days not already among them (0-3 after each).
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 17 + days - 2 * 4);
  for (const char* key : {"downtime_days", "pih_risk"}) {
    EXPECT_TRUE(sessions[0].contains(key)) << key;
  }
  EXPECT_TRUE(json["areas"][0]["outcomes"].is_array());

  const auto config = core::load_scenario(dir / "config.toml");
  EXPECT_EQ(config.protocol.sessions, 2);

  // The report embeds the same document as result.json.
  const std::string html = read(dir / "report.html");
  const std::string open = "type=\"application/json\">";
  const auto from = html.find(open) + open.size();
  EXPECT_EQ(nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from)), json);

  // What the report's charts need: open fractions per session, absorption curves, sources.
  const auto& open_fraction = sessions[0]["open_fraction"];
  ASSERT_TRUE(open_fraction.is_object());
  EXPECT_EQ(open_fraction["hours_after_session"].size(), open_fraction["fraction"].size());
  EXPECT_DOUBLE_EQ(open_fraction["fraction"][0].get<double>(), 1.0);
  double previous = 1.0;
  for (const auto& f : open_fraction["fraction"]) {
    EXPECT_LE(f.get<double>(), previous);
    previous = f.get<double>();
  }
  const auto& absorption = json["areas"][0]["absorption"];
  EXPECT_EQ(absorption["day"].size(), absorption["absorbed_ug_cm2"].size());
  EXPECT_EQ(absorption["day"].size(), absorption["intact_absorbed_ug_cm2"].size());
  EXPECT_GT(absorption["absorbed_ug_cm2"].back().get<double>(),
            absorption["intact_absorbed_ug_cm2"].back().get<double>());
  ASSERT_FALSE(json["sources"].empty());
  for (const auto& source : json["sources"]) {
    EXPECT_FALSE(source["citation"].get<std::string>().empty());
    EXPECT_EQ(source["file"].get<std::string>().find('/'), std::string::npos);  // no paths
  }
}

TEST_F(IoTest, NoDeviceMeansNoPunctures) {
  const simulation::Catalogs catalogs(CITSIM_TEST_DATA_DIR);
  const auto scenario = core::parse_scenario(
      "[patient]\nage_years = 40\nfitzpatrick = 2\n[[area]]\nregion = \"neck\"\narea_cm2 = 5\n",
      "s.toml");
  const auto result = simulation::simulate(scenario, catalogs);
  const auto json = result_json(result);
  EXPECT_EQ(json["areas"][0]["sessions"][0]["punctures_per_cm2"], 0.0);
  EXPECT_EQ(json["areas"][0]["sessions"][0]["bleeding"], false);
  EXPECT_EQ(json["areas"][0]["sessions"][0]["layers"][4]["layer"], "hypodermis");
  EXPECT_EQ(json["areas"][0]["sessions"][0]["layers"][4]["channels_per_cm2"], 0.0);
  EXPECT_TRUE(json["areas"][0]["sessions"][0]["open_fraction"].is_null());
}

}  // namespace
}  // namespace citsim::io
