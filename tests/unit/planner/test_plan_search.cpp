// SPDX-License-Identifier: MIT
// The plan search: constraints, ranking, skin-of-colour rules and the full pipeline of the
// chosen plan (compared with `simulate` on the same treatment).
#include <algorithm>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <omp.h>

#include "citsim/core/scenario.hpp"
#include "citsim/core/units.hpp"
#include "citsim/planner/planner.hpp"
#include "citsim/simulation/simulation.hpp"
#include "planner_fixtures.hpp"

namespace citsim::planner {
namespace {

namespace units = citsim::units;
using test::catalogs;
using test::patient_file;
using test::planner_catalog;

SearchLimits limits_for(const core::Scenario& scenario, std::size_t area) {
  const auto skin = catalogs().regions.skin_for(scenario.areas[area].region, scenario.patient);
  SearchLimits limits;
  limits.max_needle_m =
      max_safe_needle_m(skin, scenario.patient.fitzpatrick, 1.0, planner_catalog());
  return limits;
}

TEST(PlanSearch, RankingPutsTheBestScoreFirstAndTheScoreIsTheDocumentedFormula) {
  const auto scenario = core::parse_scenario(patient_file(), "p.toml");
  const auto search =
      search_area(scenario, 1, limits_for(scenario, 1), catalogs(), planner_catalog());
  ASSERT_GE(search.ranked.size(), 3u);
  EXPECT_EQ(
      search.evaluated,
      candidate_plans(scenario, 1, limits_for(scenario, 1), catalogs(), planner_catalog()).size());
  const auto& w = planner_catalog().score();
  for (std::size_t i = 0; i < search.ranked.size(); ++i) {
    const auto& p = search.ranked[i];
    const double expected = p.figures.improvement_pct / 100 -
                            w.downtime_per_day * p.figures.downtime_days_total -
                            w.pih * p.figures.pih_risk_cumulative - w.per_session * p.spec.sessions;
    EXPECT_NEAR(p.figures.score, expected, 1e-12);
    if (i > 0) {
      EXPECT_GE(search.ranked[i - 1].figures.score, p.figures.score);
    }
  }
  // The plans differ: a ranking among identical figures would test nothing.
  EXPECT_GT(search.ranked.front().figures.score, search.ranked.back().figures.score + 0.01);
}

TEST(PlanSearch, WhyNotNamesTheFiguresThatMadeAnAlternativeLose) {
  const auto scenario = core::parse_scenario(patient_file(), "p.toml");
  const auto search =
      search_area(scenario, 1, limits_for(scenario, 1), catalogs(), planner_catalog());
  ASSERT_GE(search.ranked.size(), 2u);
  const auto& worst = search.ranked.back();
  const std::string text = why_not(worst, search.ranked.front(), planner_catalog().score());
  EXPECT_NE(text.find(fmt::format("{:.3f}", worst.figures.score)), std::string::npos) << text;
  EXPECT_NE(text.find(fmt::format("{:.3f}", search.ranked.front().figures.score)),
            std::string::npos)
      << text;
}

TEST(PlanSearch, ConstraintsAndLimitsAreRespected) {
  const auto scenario = core::parse_scenario(
      patient_file("", "", "\n[constraints]\nmax_sessions = 2\nmax_downtime_days = 6\n"), "p.toml");
  SearchLimits limits = limits_for(scenario, 0);
  limits.max_sessions = 2;
  limits.max_downtime_days = 6;
  limits.max_passes = 3;
  limits.min_interval_s = 42 * units::day;
  const auto search = search_area(scenario, 0, limits, catalogs(), planner_catalog());
  ASSERT_FALSE(search.ranked.empty());
  for (const auto& p : search.ranked) {
    EXPECT_LE(p.spec.sessions, 2);
    EXPECT_LE(p.spec.passes, 3);
    EXPECT_GE(p.spec.interval_s, 42 * units::day);
    EXPECT_LE(p.figures.downtime_days_max, 6);
    EXPECT_LE(p.spec.planned_needle_m(), limits.max_needle_m * (1 + 1e-9));
  }
}

TEST(PlanSearch, ADowntimeLimitNoPlanMeetsLeavesNoPlanAndReportsTheGentlest) {
  const auto scenario = core::parse_scenario(patient_file(), "p.toml");
  SearchLimits limits = limits_for(scenario, 0);
  limits.max_downtime_days = -1;  // below what any plan, even one without downtime, can meet
  const auto search = search_area(scenario, 0, limits, catalogs(), planner_catalog());
  EXPECT_TRUE(search.ranked.empty());
  EXPECT_GT(search.evaluated, 0u);
  EXPECT_GE(search.least_downtime_days, 0);
  EXPECT_LT(search.least_downtime_days, 1e9);
}

TEST(PlanSearch, AnActiveSerumIsSearchedAgainstNoSerumAndWinsWhereItActs) {
  const auto scenario = core::parse_scenario(
      "[patient]\nage_years = 40\nfitzpatrick = 3\n[[area]]\nregion = \"cheek\"\n"
      "area_cm2 = 30\nconcerns = [{ kind = \"melasma\", severity = 12 }]\n"
      "[simulation]\ncohort_size = 16\n",
      "p.toml");
  const auto limits = limits_for(scenario, 0);
  const auto candidates = candidate_plans(scenario, 0, limits, catalogs(), planner_catalog());
  const auto with_serum = std::count_if(candidates.begin(), candidates.end(),
                                        [](const PlanSpec& p) { return !p.serum.empty(); });
  EXPECT_EQ(2 * with_serum, static_cast<long>(candidates.size()));

  const auto search = search_area(scenario, 0, limits, catalogs(), planner_catalog());
  ASSERT_FALSE(search.ranked.empty());
  const auto& best = search.ranked.front();
  EXPECT_EQ(best.spec.serum, "tranexamic_acid") << best.label;
  // The same plan without the serum: same injury, so the same downtime and risk, but less gain.
  const auto bare = std::find_if(search.ranked.begin(), search.ranked.end(), [&](const auto& p) {
    return p.spec.serum.empty() && p.spec.device_id == best.spec.device_id &&
           p.spec.needle_length_m == best.spec.needle_length_m &&
           p.spec.passes == best.spec.passes && p.spec.sessions == best.spec.sessions &&
           p.spec.interval_s == best.spec.interval_s;
  });
  ASSERT_NE(bare, search.ranked.end());
  EXPECT_LT(bare->figures.improvement_pct, best.figures.improvement_pct);
  EXPECT_DOUBLE_EQ(bare->figures.downtime_days_total, best.figures.downtime_days_total);
}

TEST(PlanSearch, FitzpatrickVGetsAGentlerPlanThanIIForTheSameArea) {
  auto chosen = [](int fitzpatrick) {
    const auto scenario = core::parse_scenario(patient_file("", "", "", fitzpatrick), "p.toml");
    const auto skin = catalogs().regions.skin_for("cheek", scenario.patient);
    SearchLimits limits;
    limits.max_needle_m = max_safe_needle_m(skin, fitzpatrick, 1.0, planner_catalog());
    if (fitzpatrick >= planner_catalog().skin_of_colour().from_type) {
      limits.max_passes = planner_catalog().skin_of_colour().max_passes;
      limits.min_interval_s = planner_catalog().skin_of_colour().min_interval_s;
    }
    const auto search = search_area(scenario, 0, limits, catalogs(), planner_catalog());
    EXPECT_FALSE(search.ranked.empty());
    return search.ranked.front();
  };
  const auto type2 = chosen(2);
  const auto type5 = chosen(5);
  EXPECT_LE(type5.spec.planned_needle_m(), type2.spec.planned_needle_m());
  EXPECT_GE(type5.spec.interval_s, type2.spec.interval_s);
  EXPECT_TRUE(type5.spec.planned_needle_m() < type2.spec.planned_needle_m() ||
              type5.spec.interval_s > type2.spec.interval_s)
      << type2.label << " vs " << type5.label;
  // The risk the model predicts for the chosen plans stays lower than type V would get with II's.
  EXPECT_GT(type5.figures.pih_risk_max, 0);
}

TEST(Plan, AbsoluteContraindicationGivesNoPlanButAResult) {
  const auto scenario = core::parse_scenario(patient_file(R"(history = ["pregnancy"])"), "p.toml");
  const auto result = make_plan(scenario, catalogs(), planner_catalog());
  EXPECT_FALSE(result.candidate);
  ASSERT_FALSE(result.reasons.empty());
  for (const auto& area : result.areas) {
    EXPECT_FALSE(area.candidate);
    EXPECT_FALSE(area.plan.has_value());
    EXPECT_FALSE(area.simulated.has_value());
    EXPECT_FALSE(area.reasons.empty());
  }
}

TEST(Plan, TheChosenPlanIsSimulatedAsRunWouldSimulateIt) {
  const auto scenario = core::parse_scenario(patient_file(), "p.toml");
  const auto result = make_plan(scenario, catalogs(), planner_catalog());
  ASSERT_TRUE(result.candidate);
  ASSERT_EQ(result.areas.size(), 2u);
  for (std::size_t a = 0; a < 2; ++a) {
    const auto& area = result.areas[a];
    ASSERT_TRUE(area.plan && area.simulated && area.care);
    EXPECT_LE(area.alternatives.size(), 2u);
    // The alternatives are other protocols, not the chosen settings on another cartridge.
    if (area.alternatives.size() == 2) {
      EXPECT_NE(area.alternatives[0].label.substr(area.alternatives[0].label.find(',')),
                area.alternatives[1].label.substr(area.alternatives[1].label.find(',')));
    }
    for (const auto& alternative : area.alternatives) {
      EXPECT_NE(alternative.label.substr(alternative.label.find(',')),
                area.plan->label.substr(area.plan->label.find(',')));
      EXPECT_LE(alternative.figures.score, area.plan->figures.score);
      EXPECT_FALSE(alternative.why_not.empty());
    }
    const auto& spec = area.plan->spec;
    ASSERT_EQ(area.simulated->sessions.size(), static_cast<std::size_t>(spec.sessions));
    EXPECT_EQ(area.simulated->outcomes.size(), area.area.concerns.size());
    // A plan with one depth is a scenario `run` takes: same streams, same sessions.
    const bool one_depth = std::all_of(spec.needle_length_m.begin(), spec.needle_length_m.end(),
                                       [&](double l) { return l == spec.needle_length_m[0]; });
    if (one_depth) {
      const auto run =
          simulation::simulate(plan_scenario(scenario, spec, planner_catalog()), catalogs());
      for (std::size_t s = 0; s < run.areas[a].sessions.size(); ++s) {
        EXPECT_EQ(run.areas[a].sessions[s].injury.mean_depth_m,
                  area.simulated->sessions[s].injury.mean_depth_m);
        EXPECT_EQ(run.areas[a].sessions[s].downtime_days,
                  area.simulated->sessions[s].downtime_days);
      }
      EXPECT_EQ(run.areas[a].outcomes[0].predicted, area.simulated->outcomes[0].predicted);
    }
    // Per session the simulated depth follows the planned needle length, inside the dermis.
    for (std::size_t s = 0; s < area.simulated->sessions.size(); ++s) {
      EXPECT_LE(area.simulated->sessions[s].injury.max_depth_m, area.skin.cutis_m());
      EXPECT_LE(area.simulated->sessions[s].injury.max_depth_m, spec.needle_length_m[s]);
    }
  }
}

TEST(Plan, TheResultDoesNotDependOnTheNumberOfThreads) {
  const auto scenario = core::parse_scenario(patient_file(), "p.toml");
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = make_plan(scenario, catalogs(), planner_catalog());
  omp_set_num_threads(2);
  const auto two = make_plan(scenario, catalogs(), planner_catalog());
  omp_set_num_threads(threads);
  ASSERT_EQ(one.areas.size(), two.areas.size());
  for (std::size_t a = 0; a < one.areas.size(); ++a) {
    EXPECT_EQ(one.areas[a].plan->label, two.areas[a].plan->label);
    EXPECT_EQ(one.areas[a].plan->figures.score, two.areas[a].plan->figures.score);
    EXPECT_EQ(one.areas[a].simulated->outcomes[0].ci95, two.areas[a].simulated->outcomes[0].ci95);
  }
}

TEST(Plan, ARampedPlanStartsShallowerAndTheSimulationFollowsIt) {
  // Type I stretch marks on the back (the thickest dermis): a deep cap, so the first session is
  // one step shallower.
  const std::string file = R"([patient]
age_years = 30
fitzpatrick = 1
[[area]]
region = "back"
area_cm2 = 100
concerns = [{ kind = "stretch_marks", severity = 2 }]
[simulation]
cohort_size = 8
)";
  const auto result =
      make_plan(core::parse_scenario(file, "p.toml"), catalogs(), planner_catalog());
  const auto& area = result.areas.at(0);
  ASSERT_TRUE(area.plan && area.simulated);
  const auto& lengths = area.plan->spec.needle_length_m;
  ASSERT_GE(lengths.size(), 2u);
  EXPECT_LT(lengths.front(), lengths.back());
  EXPECT_LT(area.simulated->sessions.front().injury.mean_depth_m,
            area.simulated->sessions.back().injury.mean_depth_m);
}

TEST(PatientFile, TreatmentTablesAndConcernsOutsideTheirRegionAreBadInput) {
  auto message_of = [](const std::string& text) -> std::string {
    try {
      check_patient_file(core::parse_scenario(text, "p.toml"), catalogs(), planner_catalog());
    } catch (const core::InputError& e) {
      return e.what();
    }
    return "";
  };
  const std::string with_device = message_of(patient_file() + "\n[device]\nkind = \"pen\"\n");
  EXPECT_NE(with_device.find("[device]"), std::string::npos) << with_device;
  EXPECT_NE(with_device.find("p.toml:"), std::string::npos) << with_device;
  EXPECT_NE(message_of(patient_file() + "\n[protocol]\nsessions = 2\n").find("protocol"),
            std::string::npos);
  // The planner treats living skin; excised skin is for in-vitro runs.
  auto excised = core::parse_scenario(patient_file(), "p.toml");
  excised.simulation.tissue = core::TissueState::excised;
  EXPECT_THROW(check_patient_file(excised, catalogs(), planner_catalog()), core::InputError);

  const std::string lips = R"([patient]
age_years = 40
fitzpatrick = 2
[[area]]
region = "perioral"
area_cm2 = 10
concerns = [{ kind = "hair_loss", severity = 120 }]
)";
  const std::string hair = message_of(lips);
  EXPECT_NE(hair.find("hair_loss"), std::string::npos) << hair;
  EXPECT_NE(hair.find("scalp"), std::string::npos) << hair;
  EXPECT_NE(hair.find("p.toml:7"), std::string::npos) << hair;
  EXPECT_EQ(message_of(patient_file()), "");
}

TEST(PatientFile, TheLoaderReadsAreaHistoryAndConstraints) {
  const auto scenario = core::parse_scenario(
      patient_file("", R"(history = ["cold_sore_area"])",
                   "\n[constraints]\nmax_sessions = 3\nmax_downtime_days = 5\n"),
      "p.toml");
  EXPECT_EQ(scenario.areas[0].history, std::vector<std::string>{"cold_sore_area"});
  ASSERT_TRUE(scenario.constraints.has_value());
  EXPECT_EQ(scenario.constraints->max_sessions, 3);
  EXPECT_DOUBLE_EQ(scenario.constraints->max_downtime_days, 5);
  EXPECT_THROW((void)core::parse_scenario(
                   patient_file("", "", "\n[constraints]\nmax_sessions = 0\n"), "p.toml"),
               core::InputError);
  try {
    (void)core::parse_scenario(patient_file("", "", "\n[constraints]\nmax_session = 3\n"),
                               "p.toml");
    FAIL() << "a misspelt constraint was accepted";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("max_sessions"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace citsim::planner
