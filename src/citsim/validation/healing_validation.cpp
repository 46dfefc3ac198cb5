// SPDX-License-Identifier: MIT
// Healing and outcome cases against the published figures (docs/model.md, "Healing" and
// "Outcome"). Tolerances are fixed here; which figures calibrated the model and which are held
// out is each case's role.
#include <algorithm>

#include "citsim/core/units.hpp"
#include "citsim/simulation/simulation.hpp"
#include "citsim/validation/case_builders.hpp"

namespace citsim::validation::detail {

namespace {

namespace units = citsim::units;

/// The reference injury of data/healing.toml (1.5 mm roller-192 x 15 passes on the cheek, as
/// the injury stage gives it). Trial protocols are run with it: most trials used 1.5 mm rollers,
/// and their devices' settings are not in the reference set.
constexpr healing::InjuryDose k_reference = k_reference_injury;

std::vector<healing::ScheduledInjury> schedule(int sessions, double interval_days,
                                               healing::InjuryDose dose = k_reference) {
  std::vector<healing::ScheduledInjury> out;
  for (int i = 0; i < sessions; ++i) out.push_back({i * interval_days * units::day, dose});
  return out;
}

healing::HealingTrajectory trajectory(const simulation::Catalogs& catalogs, int sessions,
                                      double interval_days, double end_day, double age_years,
                                      healing::InjuryDose dose = k_reference) {
  const healing::HealingModel model(catalogs.healing, catalogs.healing.age_response(age_years));
  const auto s = schedule(sessions, interval_days, dose);
  return healing::simulate_protocol(model, s, end_day * units::day);
}

double total_collagen(const simulation::Catalogs& catalogs, const healing::HealingTrajectory& t,
                      double day) {
  const healing::HealingModel model(catalogs.healing, 1.0);
  return model.total_collagen_rel(t.at(day * units::day).y);
}

double peak_day(const healing::HealingTrajectory& t, healing::Var v, double within_days) {
  double best = -1;
  double day = 0;
  for (const auto& s : t.samples) {
    if (s.t_s > within_days * units::day) break;
    if (s.y[v] > best) {
      best = s.y[v];
      day = s.t_s / units::day;
    }
  }
  return day;
}

/// One concern's cohort outcome for a trial protocol.
outcome::ConcernOutcome trial(const simulation::Catalogs& catalogs, const std::string& concern,
                              double baseline, int sessions, double interval_days,
                              double assessment_day, double age_years,
                              const outcome::TopicalExposure& topical = {},
                              healing::InjuryDose dose = k_reference) {
  outcome::CohortInput in;
  in.patient.age_years = age_years;
  in.patient.fitzpatrick = 3;
  in.concerns = {{concern, baseline, {}}};
  in.sessions = schedule(sessions, interval_days, dose);
  in.end_s = in.assessment_s = assessment_day * units::day;
  in.size = 200;
  in.seed = 20240601;
  in.topical = topical;
  return outcome::simulate_cohort(in, catalogs.healing, catalogs.outcomes, catalogs.concerns)
      .front();
}

void tissue_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  const std::string lotfi = "Lotfi R et al. J Egypt Women's Dermatol Soc 2013;10(3):152-159";
  // Lotfi 2013: 5 monthly sessions, biopsies assumed one month after the last.
  const auto five = trajectory(catalogs, 5, 30, 150, 30);
  out.push_back(within_fraction("healing_lotfi2013_collagen", Role::calibration,
                                "collagen gain, 5 monthly 1.5 mm sessions, +1 month",
                                100 * (total_collagen(catalogs, five, 150) - 1), 53.2, 0.2, "%",
                                lotfi));
  out.push_back(within_fraction("healing_lotfi2013_elastin", Role::calibration,
                                "elastic fibre gain, 5 monthly 1.5 mm sessions, +1 month",
                                100 * (five.at(150 * units::day).y[healing::k_elastin] - 1), 65.4,
                                0.2, "%", lotfi));

  // Aust 2008: marked increase of collagen and elastin 6 months after treatment; "marked" is
  // read as at least +20% (fixed before the comparison), one session.
  const auto one = trajectory(catalogs, 1, 30, 180, 45);
  const double aust = 100 * (std::min(total_collagen(catalogs, one, 180),
                                      one.at(180 * units::day).y[healing::k_elastin]) -
                             1);
  out.push_back(within_range("healing_aust2008_6_months", Role::check,
                             "smaller of collagen and elastin gain, 6 months after one session",
                             aust, 20, 1000, "%",
                             "Aust MC et al. Plast Reconstr Surg 2008;121(4):1421-1429"));

  // Phases (Liebl 2012): inflammation within days, proliferation from about day 5 for about
  // 8 weeks, remodeling (collagen III replaced by collagen I) from 8 weeks to a year.
  const auto single = trajectory(catalogs, 1, 30, 365, 35);
  const std::string liebl = "Liebl H, Kloth LC. J Am Coll Clin Wound Spec 2012;4(1):2-6";
  out.push_back(within_range("healing_phases_inflammation_peak", Role::check,
                             "day of the neutrophil peak",
                             peak_day(single, healing::k_neutrophils, 60), 0, 3, "day", liebl));
  out.push_back(within_range("healing_phases_collagen3_peak", Role::check,
                             "day of the collagen III peak",
                             peak_day(single, healing::k_collagen3, 200), 7, 56, "day", liebl));
  const double c1_56 = single.at(56 * units::day).y[healing::k_collagen1_mature] +
                       single.at(56 * units::day).y[healing::k_collagen1_immature];
  const double c1_180 = single.at(180 * units::day).y[healing::k_collagen1_mature] +
                        single.at(180 * units::day).y[healing::k_collagen1_immature];
  out.push_back(within_range("healing_phases_collagen1_rises", Role::check,
                             "collagen I at day 180 over day 56 (remodeling: must exceed 1)",
                             c1_180 / c1_56, 1.0001, 100, "x", liebl));
  // Noh 2018: TGF-beta1 peaks at days 4-6 (platelet-rich plasma on fibroblasts); the platelet
  // burst at day 0 is excluded, the macrophage-driven peak is compared, within [2, 8] days.
  double tgf_day = 0;
  double tgf_best = -1;
  for (const auto& s : single.samples) {
    if (s.t_s < 1 * units::day || s.t_s > 20 * units::day) continue;
    if (s.y[healing::k_tgf] > tgf_best) {
      tgf_best = s.y[healing::k_tgf];
      tgf_day = s.t_s / units::day;
    }
  }
  out.push_back(within_range("healing_noh2018_tgf_peak", Role::check,
                             "day of the macrophage TGF-beta peak", tgf_day, 2, 8, "day",
                             "Noh KC et al. Clin Orthop Surg 2018;10(2):240-247"));
  // Zeitter 2014 (rats): needling 4 times instead of once raised collagen I at 10 weeks; the
  // interval was not stated in the reference set: weekly is taken.
  const auto once = trajectory(catalogs, 1, 7, 70, 35);
  const auto four = trajectory(catalogs, 4, 7, 70, 35);
  const auto c1 = [](const healing::HealingTrajectory& t) {
    const auto& y = t.at(70 * units::day).y;
    return y[healing::k_collagen1_mature] + y[healing::k_collagen1_immature];
  };
  out.push_back(within_range("healing_zeitter2014_repeated", Role::check,
                             "collagen I at 10 weeks, 4 sessions over 1 (must exceed 1)",
                             c1(four) / c1(once), 1.0001, 100, "x",
                             "Zeitter S et al. Burns 2014;40(5):966-973"));
}

void outcome_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  const std::string ablon = "Ablon G. J Clin Aesthet Dermatol 2018;11(8):29-34";
  // Ablon 2018: 4 sessions 30 days apart, day 150, age 35-75 (55 taken); baselines are not in
  // the reference set: 2.5 wrinkles and texture, 2 laxity taken. Tolerance: the 99% CI.
  const auto fine = trial(catalogs, "fine_lines", 2.5, 4, 30, 150, 55);
  out.push_back(within_range("outcome_ablon2018_wrinkles", Role::calibration,
                             "wrinkle grade change", fine.baseline - fine.predicted, 1.11, 1.34,
                             "grades", ablon));
  const auto lax = trial(catalogs, "laxity", 2, 4, 30, 150, 55);
  out.push_back(within_range("outcome_ablon2018_laxity", Role::calibration, "laxity grade change",
                             lax.baseline - lax.predicted, 0.93, 1.26, "grades", ablon));
  const auto tex = trial(catalogs, "texture", 2.5, 4, 30, 150, 55);
  out.push_back(within_range("outcome_ablon2018_texture", Role::calibration, "texture grade change",
                             tex.baseline - tex.predicted, 1.33, 1.75, "grades", ablon));
  // Majid 2009: 34/36 improved by 1-2 grades, 2 months after the last of 3 monthly sessions.
  const auto acne = trial(catalogs, "atrophic_acne_scar", 3, 3, 30, 60 + 60, 30);
  out.push_back(within_range("outcome_majid2009_acne", Role::calibration,
                             "Goodman-Baron grade change from 3", acne.baseline - acne.predicted, 1,
                             2, "grades", "Majid I. J Cutan Aesthet Surg 2009;2(1):26-30"));
  // Park 2012: 43.8% marked-to-excellent (at least 50% better) after 3 sessions 4 weeks apart;
  // read as a mean improvement in [35, 55]%, assessed 1 month after the last session.
  const auto striae = trial(catalogs, "stretch_marks", 3, 3, 28, 56 + 28, 30);
  out.push_back(within_range("outcome_park2012_striae", Role::calibration,
                             "mean stretch-mark improvement", striae.improvement_pct, 35, 55, "%",
                             "Park KY et al. Dermatol Surg 2012;38(11):1823-1828"));
  // Lima 2017: MASI -70% at day 45 after 2 sessions 30 days apart; tolerance +-10 points.
  const auto melasma = trial(catalogs, "melasma", 12, 2, 30, 45, 40);
  out.push_back(within_range("outcome_lima2017_melasma", Role::calibration, "MASI improvement",
                             melasma.improvement_pct, 60, 80, "%",
                             "Lima EVA et al. BMC Dermatol 2017;17:14"));
  // Scalp needling alone: +10.8 hairs/cm2 three months after 4 monthly sessions; +-30%.
  const auto scalp = trial(catalogs, "hair_loss", 120, 4, 30, 90 + 90, 35);
  out.push_back(within_fraction("outcome_scalp_needling_hair", Role::calibration,
                                "hair density gain", scalp.predicted - scalp.baseline, 10.8, 0.3,
                                "hairs/cm2", "split-scalp trial, PMC7759059"));
  // Hoffmann 2005: topical minoxidil alone, +21.3 hairs/cm2 at 3 months (calibration) and +34
  // at 6 months (held out); +-20%. The delivered rate is the transport stage's for 5% minoxidil,
  // 2 mg/cm2 twice a day on intact scalp (computed by the topical run below).
  const std::string minox = R"(
[patient]
age_years = 35
fitzpatrick = 2
[[area]]
region = "scalp"
area_cm2 = 1
[topical]
product = "minoxidil"
concentration_pct = 5
dose_mg_cm2 = 2
exposure_h = 12
daily_applications = 2
[protocol]
sessions = 1
follow_up_days = 1
)";
  const auto run = simulation::simulate(core::parse_scenario(minox, "validation"), catalogs);
  const auto& curve = run.areas.front().absorption->with_channels;
  outcome::TopicalExposure topical;
  topical.molecule = "minoxidil";
  topical.delivered_kg_m2 = curve.back().absorbed();
  topical.duration_s = curve.back().t_s;
  topical.daily = true;
  const std::string hoffmann = "Hoffmann R. Dermatology 2005;211:54-62";
  for (const auto& [months, figure, role] :
       {std::tuple{3, 21.3, Role::calibration}, std::tuple{6, 34.0, Role::check}}) {
    const auto hair =
        trial(catalogs, "hair_loss", 120, 1, 1, 30.0 * months, 35, topical, healing::InjuryDose{});
    out.push_back(within_fraction(fmt::format("outcome_hoffmann2005_minoxidil_{}mo", months), role,
                                  "hair density gain, topical minoxidil alone",
                                  hair.predicted - hair.baseline, figure, 0.2, "hairs/cm2",
                                  hoffmann));
  }
}

}  // namespace

void healing_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  tissue_cases(catalogs, out);
  outcome_cases(catalogs, out);
  side_effect_cases(catalogs, out);
}

}  // namespace citsim::validation::detail
