// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>

#include "citsim/core/data_table.hpp"

namespace citsim::healing {

/// Parameters of the wound-healing cascade (data/healing.toml; docs/model.md, "Healing").
/// Rates in 1/s (the file gives them per day); everything else dimensionless: cells and
/// mediators in units of the response to the reference injury, matrix relative to baseline.
struct HealingParameters {
  // Injury → state jumps.
  double reference_damage_fraction = 0;  ///< dermal damaged volume fraction of the unit injury
  double platelet_tgf_bolus = 0;
  double platelet_pdgf_bolus = 0;
  double platelet_release_max = 0;  ///< in reference injuries
  double matrix_loss_per_damage = 0;
  // Inflammation.
  double damage_clearance = 0;
  double damage_clearance_by_macrophages = 0;
  double neutrophil_recruitment = 0;
  double neutrophil_damage_half_saturation = 0;
  double neutrophil_removal = 0;
  double macrophage_recruitment = 0;
  double macrophage_removal = 0;
  double pdgf_decay = 0;
  double pdgf_from_macrophages = 0;
  double tgf_decay = 0;
  double tgf_from_macrophages = 0;
  double mmp_decay = 0;
  double mmp_from_neutrophils = 0;
  double mmp_from_macrophages = 0;
  // Fibroblasts.
  double fibroblast_proliferation = 0;
  double activated_quiescence = 0;
  double fibroblast_capacity_rel = 0;
  double signal_half_saturation = 0;
  double matrix_phenotype = 0;
  double matrix_quiescence = 0;
  // Collagen.
  double type1_share = 0;
  double type3_share = 0;
  double collagen_baseline_turnover = 0;  ///< ln 2 / half-life
  double type3_synthesis = 0;
  double type1_synthesis = 0;
  double type3_remodeling = 0;
  double replacement_fraction = 0;
  double crosslinking = 0;
  double mmp_degradation_immature = 0;
  double mmp_degradation_mature = 0;
  double collagen_capacity_rel = 0;
  // Elastin.
  double elastin_synthesis = 0;
  double elastin_turnover = 0;  ///< ln 2 / half-life
  double elastase_degradation = 0;
  // Scar-type matrix.
  double scar_tgf_threshold = 0;
  double scar_hill_exponent = 0;
  double scar_synthesis = 0;
  double scar_remodeling = 0;
  // Age.
  double reference_age_years = 0;
  double response_loss_per_year = 0;
  double minimum_response = 0;

  /// Reads [model.injury], [model.inflammation], [model.fibroblasts], [model.collagen],
  /// [model.elastin], [model.scar] and [model.age]; every number needs its source.
  static HealingParameters read(const core::DataFile& file);
  static HealingParameters read(const std::filesystem::path& data_dir);

  /// The response multiplier (fibroblast proliferation and matrix synthesis) at an age.
  [[nodiscard]] double age_response(double age_years) const;
};

}  // namespace citsim::healing
