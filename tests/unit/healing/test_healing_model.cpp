// SPDX-License-Identifier: MIT
// The healing cascade: what must emerge (each a comparison of two simulated protocols),
// positivity, conservation, and the integrator's error handling.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "citsim/core/error.hpp"
#include "citsim/core/units.hpp"
#include "citsim/healing/protocol.hpp"

namespace citsim::healing {
namespace {

namespace units = citsim::units;

const HealingParameters& parameters() {
  static const HealingParameters p = HealingParameters::read(CITSIM_TEST_DATA_DIR);
  return p;
}

/// The reference injury: 1.5 mm roller-192 x 15 passes on the cheek, all channels bleeding.
constexpr InjuryDose k_reference{0.0197, 1.0};

HealingTrajectory run(int sessions, double interval_days, double follow_up_days,
                      InjuryDose dose = k_reference, double response = 1.0) {
  const HealingModel model(parameters(), response);
  std::vector<ScheduledInjury> schedule;
  for (int i = 0; i < sessions; ++i) schedule.push_back({i * interval_days * units::day, dose});
  const double end = ((sessions - 1) * interval_days + follow_up_days) * units::day;
  return simulate_protocol(model, schedule, end);
}

double value_at(const HealingTrajectory& t, double day, Var v) {
  return t.at(day * units::day).y[v];
}

double collagen1(const HealingTrajectory& t, double day) {
  return value_at(t, day, k_collagen1_mature) + value_at(t, day, k_collagen1_immature);
}

double total_collagen(const HealingTrajectory& t, double day) {
  const HealingModel model(parameters(), 1.0);
  return model.total_collagen_rel(t.at(day * units::day).y);
}

/// Day of the largest value of a variable within the first `days`.
double peak_day(const HealingTrajectory& t, Var v, double days) {
  double best = -1;
  double day = 0;
  for (const auto& s : t.samples) {
    if (s.t_s > days * units::day) break;
    if (s.y[v] > best) {
      best = s.y[v];
      day = s.t_s / units::day;
    }
  }
  return day;
}

TEST(HealingModel, UntreatedSkinStaysAtBaseline) {
  const auto t = run(1, 28, 365, InjuryDose{});
  for (const auto& s : t.samples) {
    for (std::size_t v = 0; v < k_state_size; ++v)
      EXPECT_NEAR(s.y[v], baseline_state()[v], 1e-12) << v;
  }
}

TEST(HealingModel, PhasesFollowTheClinicalOrder) {
  const auto t = run(1, 28, 365);
  // Inflammation within days, fibroblasts and collagen III within weeks, collagen I over months.
  EXPECT_LE(peak_day(t, k_neutrophils, 60), 3.0);
  const double macrophages = peak_day(t, k_macrophages, 60);
  EXPECT_GT(macrophages, peak_day(t, k_neutrophils, 60));
  EXPECT_LE(macrophages, 7.0);
  const double fibroblasts = peak_day(t, k_fibroblast_active, 60);
  EXPECT_GE(fibroblasts, 3.0);
  EXPECT_LE(fibroblasts, 21.0);
  const double collagen3 = peak_day(t, k_collagen3, 120);
  EXPECT_GE(collagen3, 7.0);
  EXPECT_LE(collagen3, 56.0);
  EXPECT_GT(collagen1(t, 90), collagen1(t, 28));
  EXPECT_GT(collagen1(t, 180), collagen1(t, 90));
  // Collagen III returns towards baseline while collagen I has replaced it.
  EXPECT_LT(value_at(t, 365, k_collagen3), value_at(t, collagen3, k_collagen3));
}

TEST(HealingModel, StaysNonNegativeUnderAHeavyProtocol) {
  const auto t = run(6, 7, 365, InjuryDose{0.5, 1.0});
  for (const auto& s : t.samples) {
    for (std::size_t v = 0; v < k_state_size; ++v) EXPECT_GE(s.y[v], -1e-7) << v;
  }
}

TEST(HealingModel, TooDenseAnInjuryTurnsTowardsScar) {
  const auto regular = run(4, 28, 180);
  const auto dense = run(4, 28, 180, InjuryDose{0.4, 1.0});
  const double end = 3 * 28 + 180;
  const double regular_scar = value_at(regular, end, k_scar) / (total_collagen(regular, end) - 1);
  const double dense_scar = value_at(dense, end, k_scar) / (total_collagen(dense, end) - 1);
  EXPECT_GT(dense_scar, 5 * regular_scar);
}

TEST(HealingModel, TooShortAnIntervalGivesLess) {
  const auto weekly = run(4, 7, 180);
  const auto monthly = run(4, 28, 180);
  EXPECT_GT(total_collagen(monthly, 3 * 28 + 180), total_collagen(weekly, 3 * 7 + 180));
  EXPECT_GT(value_at(monthly, 3 * 28 + 180, k_elastin), value_at(weekly, 3 * 7 + 180, k_elastin));
}

TEST(HealingModel, MoreSessionsSaturate) {
  std::vector<double> gain;
  for (int n : {1, 2, 4, 8})
    gain.push_back(total_collagen(run(n, 28, 180), (n - 1) * 28 + 180) - 1);
  EXPECT_GT(gain[1], gain[0]);
  EXPECT_GT(gain[3], gain[2]);
  // Per added session, the gain shrinks.
  EXPECT_LT((gain[3] - gain[2]) / 4, (gain[2] - gain[1]) / 2);
  EXPECT_LT((gain[2] - gain[1]) / 2, gain[1] - gain[0]);
}

TEST(HealingModel, OlderSkinRespondsLess) {
  const auto young = run(4, 28, 180, k_reference, parameters().age_response(35));
  const auto old = run(4, 28, 180, k_reference, parameters().age_response(65));
  EXPECT_LT(total_collagen(old, 264), total_collagen(young, 264));
  EXPECT_GT(total_collagen(old, 264), 1.0);
}

TEST(HealingModel, ReplacementOfCollagenThreeByOneConservesMass) {
  // Only remodeling and cross-linking: collagen III above baseline is replaced by collagen I of
  // the same mass, so total collagen stays constant while its composition changes.
  HealingParameters p = parameters();
  p.collagen_baseline_turnover = 0;
  p.mmp_degradation_mature = 0;
  p.mmp_degradation_immature = 0;
  const HealingModel model(p, 1.0);
  State y = baseline_state();
  y[k_collagen3] = 2.0;
  y[k_fibroblast_matrix] = 0;
  const double before = model.total_collagen_rel(y);
  numerics::OdeBdf ode(k_state_size,
                       [&](double, std::span<const double> in, std::span<double> out) {
                         model.rhs(in, out);
                         return 0;
                       });
  ode.reset(0, y);
  ode.advance(365 * units::day, y, 365 * units::day);
  EXPECT_LT(y[k_collagen3], 1.01);
  EXPECT_GT(y[k_collagen1_mature], 1.1);
  EXPECT_NEAR(model.total_collagen_rel(y), before, 1e-6);
}

TEST(OdeBdf, AFailingRightHandSideIsAnErrorNamingCvode) {
  numerics::OdeBdf ode(1, [](double t, std::span<const double>, std::span<double> out) {
    out[0] = 1;
    return t > 0.5 ? -1 : 0;
  });
  std::array<double, 1> y{0};
  ode.reset(0, y);
  try {
    ode.advance(1.0, y, 1.0);
    FAIL() << "no error";
  } catch (const core::InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("CVODE"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CV_RHSFUNC_FAIL"), std::string::npos) << e.what();
  }
}

TEST(OdeBdf, TooManyStepsIsAnError) {
  numerics::OdeTolerances tight;
  tight.max_steps = 5;
  numerics::OdeBdf ode(
      1,
      [](double t, std::span<const double>, std::span<double> out) {
        out[0] = std::cos(100 * t);
        return 0;
      },
      tight);
  std::array<double, 1> y{0};
  ode.reset(0, y);
  EXPECT_THROW(ode.advance(100.0, y, 100.0), core::InternalError);
}

TEST(OdeBdf, StiffDecayMatchesTheExactSolution) {
  // y' = -1e4 (y - cos t): stiff; BDF with large steps stays on the slow manifold.
  numerics::OdeBdf ode(1, [](double t, std::span<const double> in, std::span<double> out) {
    out[0] = -1e4 * (in[0] - std::cos(t));
    return 0;
  });
  std::array<double, 1> y{1};
  ode.reset(0, y);
  ode.advance(10.0, y, 10.0);
  const double exact = (1e8 * std::cos(10.0) + 1e4 * std::sin(10.0)) / (1e8 + 1);
  EXPECT_NEAR(y[0], exact, 1e-4);
  EXPECT_LT(ode.steps(), 2000);
}

TEST(HealingParameters, AValueOutOfRangeNamesFileKeyAndRange) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "citsim_healing_bad";
  std::filesystem::create_directories(dir);
  std::ifstream in(std::filesystem::path(CITSIM_TEST_DATA_DIR) / "healing.toml");
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const std::string key = "tgf_decay_per_day = 15";
  s.replace(s.find(key), key.size(), "tgf_decay_per_day = -15");
  std::ofstream(dir / "healing.toml") << s;
  try {
    (void)HealingParameters::read(dir);
    FAIL() << "no error";
  } catch (const core::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("healing.toml"), std::string::npos) << what;
    EXPECT_NE(what.find("tgf_decay_per_day"), std::string::npos) << what;
    EXPECT_NE(what.find("-15"), std::string::npos) << what;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace citsim::healing
