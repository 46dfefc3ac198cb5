// SPDX-License-Identifier: MIT
#include "citsim/healing/healing_parameters.hpp"

#include <algorithm>
#include <cmath>

#include "citsim/core/units.hpp"

namespace citsim::healing {

namespace {

constexpr double k_year_s = 365.25 * units::day;

/// A rate given per day in the file, in 1/s.
double per_day(core::DataFile::Entry& entry, std::string_view key, double max_per_day = 100) {
  return entry.number(key, {0, max_per_day, "/day"}) / units::day;
}

}  // namespace

HealingParameters HealingParameters::read(const core::DataFile& file) {
  HealingParameters p;
  {
    auto e = file.entry("injury");
    p.reference_damage_fraction = e.number("reference_damage_fraction", {1e-6, 0.5, ""});
    p.platelet_tgf_bolus = e.number("platelet_tgf_bolus", {0, 100, ""});
    p.platelet_pdgf_bolus = e.number("platelet_pdgf_bolus", {0, 100, ""});
    p.platelet_release_max = e.number("platelet_release_max", {0.01, 1e3, ""});
    p.matrix_loss_per_damage = e.number("matrix_loss_per_damage", {0, 1, ""});
    e.finish();
  }
  {
    auto e = file.entry("inflammation");
    p.damage_clearance = per_day(e, "damage_clearance_per_day");
    p.damage_clearance_by_macrophages = per_day(e, "damage_clearance_by_macrophages_per_day");
    p.neutrophil_recruitment = per_day(e, "neutrophil_recruitment_per_day");
    p.neutrophil_damage_half_saturation =
        e.number("neutrophil_damage_half_saturation", {1e-3, 100, ""});
    p.neutrophil_removal = per_day(e, "neutrophil_removal_per_day");
    p.macrophage_recruitment = per_day(e, "macrophage_recruitment_per_day");
    p.macrophage_removal = per_day(e, "macrophage_removal_per_day");
    p.pdgf_decay = per_day(e, "pdgf_decay_per_day");
    p.pdgf_from_macrophages = per_day(e, "pdgf_from_macrophages_per_day");
    p.tgf_decay = per_day(e, "tgf_decay_per_day");
    p.tgf_from_macrophages = per_day(e, "tgf_from_macrophages_per_day");
    p.mmp_decay = per_day(e, "mmp_decay_per_day");
    p.mmp_from_neutrophils = per_day(e, "mmp_from_neutrophils_per_day");
    p.mmp_from_macrophages = per_day(e, "mmp_from_macrophages_per_day");
    e.finish();
  }
  {
    auto e = file.entry("fibroblasts");
    p.fibroblast_proliferation = per_day(e, "proliferation_per_day");
    p.activated_quiescence = per_day(e, "activated_quiescence_per_day");
    p.fibroblast_capacity_rel = e.number("capacity_rel", {1.01, 20, ""});
    p.signal_half_saturation = e.number("signal_half_saturation", {1e-3, 100, ""});
    p.matrix_phenotype = per_day(e, "matrix_phenotype_per_day");
    p.matrix_quiescence = per_day(e, "matrix_quiescence_per_day");
    e.finish();
  }
  {
    auto e = file.entry("collagen");
    p.type1_share = e.number("type1_share", {0.01, 1, ""});
    p.type3_share = e.number("type3_share", {0.01, 1, ""});
    p.collagen_baseline_turnover =
        std::log(2.0) / (e.number("baseline_half_life_years", {0.1, 200, "years"}) * k_year_s);
    p.type3_synthesis = per_day(e, "type3_synthesis_per_day");
    p.type1_synthesis = per_day(e, "type1_synthesis_per_day");
    p.type3_remodeling = per_day(e, "type3_remodeling_per_day");
    p.replacement_fraction = e.number("replacement_fraction", {0, 1, ""});
    p.crosslinking = per_day(e, "crosslinking_per_day");
    p.mmp_degradation_immature = per_day(e, "mmp_degradation_immature_per_day");
    p.mmp_degradation_mature = per_day(e, "mmp_degradation_mature_per_day");
    p.collagen_capacity_rel = e.number("capacity_rel", {1.01, 10, ""});
    if (p.type1_share + p.type3_share > 1) {
      e.reader().fail("type3_share", std::to_string(p.type3_share),
                      "type1_share + type3_share must not exceed 1");
    }
    e.finish();
  }
  {
    auto e = file.entry("elastin");
    p.elastin_synthesis = per_day(e, "synthesis_per_day");
    p.elastin_turnover =
        std::log(2.0) / (e.number("half_life_years", {0.1, 500, "years"}) * k_year_s);
    p.elastase_degradation = per_day(e, "elastase_degradation_per_day");
    e.finish();
  }
  {
    auto e = file.entry("scar");
    p.scar_tgf_threshold = e.number("tgf_threshold", {1e-3, 1e3, ""});
    p.scar_hill_exponent = e.number("hill_exponent", {1, 16, ""});
    p.scar_synthesis = per_day(e, "synthesis_per_day");
    p.scar_remodeling = per_day(e, "remodeling_per_day");
    e.finish();
  }
  {
    auto e = file.entry("age");
    p.reference_age_years = e.number("reference_age_years", {0, 120, "years"});
    p.response_loss_per_year = e.number("response_loss_per_year", {0, 0.1, "/year"});
    p.minimum_response = e.number("minimum_response", {0, 1, ""});
    e.finish();
  }
  return p;
}

HealingParameters HealingParameters::read(const std::filesystem::path& data_dir) {
  return read(core::DataFile(data_dir / "healing.toml", "model"));
}

double HealingParameters::age_response(double age_years) const {
  // Younger than the reference gains nothing: no figure supports a stronger young response.
  const double years_over = std::max(0.0, age_years - reference_age_years);
  return std::max(minimum_response, 1.0 - response_loss_per_year * years_over);
}

}  // namespace citsim::healing
