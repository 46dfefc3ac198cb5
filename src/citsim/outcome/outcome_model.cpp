// SPDX-License-Identifier: MIT
#include "citsim/outcome/outcome_model.hpp"

#include <algorithm>
#include <cmath>

#include "citsim/core/units.hpp"

namespace citsim::outcome {

namespace {

constexpr double k_ug_cm2 = units::ug / units::cm2;  // kg/m^2 per ug/cm^2

}  // namespace

OutcomeParameters OutcomeParameters::read(const std::filesystem::path& data_dir,
                                          const ConcernCatalog& concerns) {
  const core::DataFile file(data_dir / "outcomes.toml", "concern");
  OutcomeParameters p;
  for (const auto& scale : concerns.concerns()) {
    auto e = file.entry(scale.id);
    ConcernResponse r;
    r.sensitivity = e.number("sensitivity", {0, 100, ""});
    r.elastin_weight = e.number("elastin_weight", {0, 10, ""});
    r.scar_penalty = e.number("scar_penalty", {0, 1000, ""});
    e.finish();
    p.concerns[scale.id] = r;
  }
  {
    auto e = file.section("hair");
    p.hair.hairs_per_growth_factor_dose_m2 =
        e.number("hairs_per_growth_factor_dose", {0, 1e3, "hairs/cm2"}) / units::cm2;
    p.hair.max_needling_gain_m2 =
        e.number("max_needling_gain_hairs_cm2", {0, 300, ""}) / units::cm2;
    p.hair.minoxidil_max_gain_m2 =
        e.number("minoxidil_max_gain_hairs_cm2", {0, 300, ""}) / units::cm2;
    p.hair.minoxidil_time_constant_s =
        e.number("minoxidil_time_constant_days", {1, 1000, "days"}) * units::day;
    p.hair.minoxidil_half_effect_kg_m2_s =
        e.number("minoxidil_half_effect_ug_cm2_day", {1e-6, 1e6, "ug/cm2/day"}) * k_ug_cm2 /
        units::day;
    e.finish();
  }
  {
    auto e = file.section("topicals");
    p.tranexamic_half_effect_kg_m2 =
        e.number("tranexamic_half_effect_ug_cm2", {1e-6, 1e6, "ug/cm2"}) * k_ug_cm2;
    p.tranexamic_max_fraction = e.number("tranexamic_max_fraction", {0, 1, ""});
    e.finish();
  }
  {
    auto e = file.section("cohort");
    p.cohort.response_cv = e.number("response_cv", {0, 2, ""});
    p.cohort.age_sd_years = e.number("age_sd_years", {0, 30, "years"});
    p.cohort.severity_cv = e.number("severity_cv", {0, 1, ""});
    e.finish();
  }
  {
    auto e = file.section("downtime");
    p.downtime.epidermal_s = e.number("epidermal_days", {0, 30, "days"}) * units::day;
    p.downtime.dermal_fill_m_per_s =
        e.number("dermal_fill_mm_per_day", {1e-3, 100, "mm/day"}) * units::mm / units::day;
    e.finish();
  }
  {
    auto e = file.section("pih");
    p.pih.intercept = e.number("intercept", {-30, 10, ""});
    p.pih.per_fitzpatrick_type = e.number("per_fitzpatrick_type", {0, 5, ""});
    p.pih.per_log_inflammation = e.number("per_log_inflammation", {0, 10, ""});
    e.finish();
  }
  return p;
}

bool topical_acts_on(const std::string& molecule, const std::string& concern) {
  if (molecule == "minoxidil") return concern == "hair_loss";
  if (molecule == "tranexamic_acid") return concern == "melasma" || concern == "hyperpigmentation";
  return false;
}

double predict_endpoint(const OutcomeParameters& parameters, const ConcernScale& scale,
                        double baseline, const healing::HealingModel& model,
                        const healing::HealingTrajectory& trajectory, double assessment_s,
                        const TopicalExposure& topical) {
  const auto& y = trajectory.at(assessment_s).y;
  if (scale.id == "hair_loss") {
    // Needling recruits miniaturised follicles in proportion to the growth factors it released
    // (saturating); minoxidil adds its own recruitment, with an Emax in the delivered rate.
    const auto& hair = parameters.hair;
    const double gf = y[healing::k_growth_factor_dose];
    const double needling =
        hair.max_needling_gain_m2 *
        -std::expm1(-hair.hairs_per_growth_factor_dose_m2 * gf / hair.max_needling_gain_m2);
    double minoxidil = 0;
    if (topical.molecule == "minoxidil" && topical.duration_s > 0) {
      const double rate = topical.delivered_kg_m2 / topical.duration_s;
      // Used at home every day, it acts until the assessment; otherwise only while delivered.
      const double acting_s = topical.daily ? assessment_s : topical.duration_s;
      minoxidil = hair.minoxidil_max_gain_m2 * rate / (rate + hair.minoxidil_half_effect_kg_m2_s) *
                  -std::expm1(-acting_s / hair.minoxidil_time_constant_s);
    }
    return std::clamp(baseline + (needling + minoxidil) * units::cm2, scale.severity_min,
                      scale.severity_max);
  }
  const auto& r = parameters.concerns.at(scale.id);
  const double gain = std::max(
      0.0, (model.total_collagen_rel(y) - 1) + r.elastin_weight * (y[healing::k_elastin] - 1));
  double kept = std::exp(-r.sensitivity * gain);  // fraction of the severity left
  if ((scale.id == "melasma" || scale.id == "hyperpigmentation") &&
      topical.molecule == "tranexamic_acid") {
    // Tranexamic acid acts on melanogenesis independently of the dermis: its effect multiplies.
    const double dose = topical.per_session_kg_m2;
    kept *= 1 - parameters.tranexamic_max_fraction * dose /
                    (dose + parameters.tranexamic_half_effect_kg_m2);
  }
  const double floor = scale.severity_min;
  const double predicted = floor + kept * (baseline - floor) + r.scar_penalty * y[healing::k_scar];
  return std::clamp(predicted, scale.severity_min, scale.severity_max);
}

double downtime_days(const OutcomeParameters& parameters, const healing::InjuryDose& dose) {
  if (dose.channels_per_m2 <= 0) return 0.0;
  // Redness and swelling last while the wounds are open: the epidermis closes first, the
  // dermal part of a channel fills from its base, so deeper channels stay visible longer.
  const auto& p = parameters.downtime;
  return (p.epidermal_s + dose.mean_channel_depth_m / p.dermal_fill_m_per_s) / units::day;
}

double pih_risk(const OutcomeParameters& parameters, int fitzpatrick,
                double inflammation_dose_rel) {
  const auto& p = parameters.pih;
  const double logit = p.intercept + p.per_fitzpatrick_type * (fitzpatrick - 1) +
                       p.per_log_inflammation * std::log1p(std::max(0.0, inflammation_dose_rel));
  return 1 / (1 + std::exp(-logit));
}

}  // namespace citsim::outcome
