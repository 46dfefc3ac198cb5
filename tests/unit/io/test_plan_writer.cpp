// SPDX-License-Identifier: MIT
// result.json of `citsim plan`: the contract's keys, and the chosen plan's simulated area
// written by the same code as `run`'s.
#include <gtest/gtest.h>

#include "citsim/core/scenario.hpp"
#include "citsim/io/plan_writer.hpp"
#include "citsim/io/result_writer.hpp"
#include "citsim/planner/planner.hpp"

namespace citsim::io {
namespace {

const simulation::Catalogs& catalogs() {
  static const simulation::Catalogs instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

const planner::PlannerCatalog& planner_catalog() {
  static const planner::PlannerCatalog instance(CITSIM_TEST_DATA_DIR);
  return instance;
}

constexpr const char* k_patient = R"([patient]
age_years = 45
fitzpatrick = 2
history = ["anticoagulants"]
[[area]]
region = "cheek"
area_cm2 = 30
concerns = [{ kind = "melasma", severity = 10 }]
[[area]]
region = "forehead"
area_cm2 = 40
concerns = [{ kind = "fine_lines", severity = 2 }]
history = ["active_acne"]
[constraints]
max_sessions = 3
[simulation]
cohort_size = 8
)";

TEST(PlanWriter, TheDocumentFollowsTheContract) {
  const auto result =
      planner::make_plan(core::parse_scenario(k_patient, "p.toml"), catalogs(), planner_catalog());
  const auto doc = plan_json(result);
  EXPECT_EQ(doc["command"], "plan");
  EXPECT_EQ(doc["candidate"], true);
  EXPECT_FALSE(doc["reasons"].empty());
  EXPECT_EQ(doc["constraints"]["max_sessions"], 3);
  EXPECT_EQ(doc["constraints"]["max_downtime_days"], 14.0);
  EXPECT_FALSE(doc["scenario"].contains("protocol"));
  EXPECT_EQ(doc["screening"].size(), planner_catalog().contraindications().size());
  for (const auto& check : doc["screening"]) {
    for (const char* key :
         {"flag", "name", "kind", "scope", "present", "areas", "effect", "source"})
      EXPECT_TRUE(check.contains(key)) << key;
    if (check["flag"] == "active_acne") {
      EXPECT_EQ(check["present"], true);
      EXPECT_EQ(check["areas"], nlohmann::ordered_json::array({"forehead"}));
    }
  }

  const auto& cheek = doc["areas"][0];
  EXPECT_EQ(cheek["candidate"], true);
  const auto& plan = cheek["plan"];
  for (const char* key :
       {"label", "device", "device_kind", "needle_length_mm", "passes", "pattern", "pressure",
        "sessions", "interval_days", "serum", "predicted_improvement_pct", "downtime_days_total",
        "downtime_days_max", "pih_risk_max", "score"})
    EXPECT_TRUE(plan.contains(key)) << key;
  EXPECT_EQ(plan["serum"], "tranexamic_acid");  // melasma's serum
  EXPECT_LE(plan["sessions"].get<int>(), 3);
  EXPECT_LE(plan["passes"].get<int>(), 3);  // the anticoagulant limit
  for (const auto& alternative : cheek["alternatives"])
    EXPECT_TRUE(alternative.contains("why_not"));
  EXPECT_FALSE(cheek["precautions"].empty());
  for (const char* key : {"pre", "sterilization", "post"})
    EXPECT_FALSE(cheek["care"][key].empty()) << key;
  // The simulated area is run's own JSON for it.
  const auto as_run = area_json(*result.areas[0].simulated);
  for (const char* key : {"sessions", "timeline", "outcomes", "skin", "absorption"})
    EXPECT_EQ(cheek[key], as_run[key]) << key;

  const auto& forehead = doc["areas"][1];
  EXPECT_EQ(forehead["candidate"], false);
  EXPECT_FALSE(forehead["reasons"].empty());
  for (const char* key : {"plan", "alternatives", "sessions", "timeline", "outcomes"})
    EXPECT_FALSE(forehead.contains(key)) << key;
}

}  // namespace
}  // namespace citsim::io
