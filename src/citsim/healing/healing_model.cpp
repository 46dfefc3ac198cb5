// SPDX-License-Identifier: MIT
#include "citsim/healing/healing_model.hpp"

#include <algorithm>
#include <cmath>

#include "citsim/core/error.hpp"
#include "citsim/core/units.hpp"

namespace citsim::healing {

State baseline_state() {
  State y{};
  y[k_collagen3] = 1;
  y[k_collagen1_mature] = 1;
  y[k_elastin] = 1;
  return y;
}

HealingModel::HealingModel(const HealingParameters& parameters, double response)
    : m_p(parameters), m_response(response) {
  if (!(response > 0)) throw core::InternalError("HealingModel: response must be positive");
}

double HealingModel::total_collagen_rel(std::span<const double> y) const {
  const double other = 1 - m_p.type1_share - m_p.type3_share;
  return m_p.type1_share * (y[k_collagen1_mature] + y[k_collagen1_immature] + y[k_scar]) +
         m_p.type3_share * y[k_collagen3] + other;
}

void HealingModel::rhs(std::span<const double> y, std::span<double> dydt) const {
  const auto& p = m_p;
  const double damage = y[k_damage];
  const double neutrophils = y[k_neutrophils];
  const double macrophages = y[k_macrophages];
  const double pdgf = y[k_pdgf];
  const double tgf = y[k_tgf];
  const double mmp = y[k_mmp];
  const double active = y[k_fibroblast_active];
  const double matrix = y[k_fibroblast_matrix];
  const double collagen3 = y[k_collagen3];
  const double immature = y[k_collagen1_immature];
  const double mature = y[k_collagen1_mature];
  const double elastin = y[k_elastin];
  const double scar = y[k_scar];

  // Inflammation: damage recruits neutrophils (saturating: a limited vascular supply), whose
  // signals recruit macrophages; macrophages clear debris and sustain PDGF and TGF-beta.
  dydt[k_damage] = -(p.damage_clearance + p.damage_clearance_by_macrophages * macrophages) * damage;
  dydt[k_neutrophils] =
      p.neutrophil_recruitment * damage / (p.neutrophil_damage_half_saturation + damage) -
      p.neutrophil_removal * neutrophils;
  dydt[k_macrophages] = p.macrophage_recruitment * neutrophils - p.macrophage_removal * macrophages;
  dydt[k_pdgf] = p.pdgf_from_macrophages * macrophages - p.pdgf_decay * pdgf;
  dydt[k_tgf] = p.tgf_from_macrophages * macrophages - p.tgf_decay * tgf;
  dydt[k_mmp] = p.mmp_from_neutrophils * neutrophils + p.mmp_from_macrophages * macrophages -
                p.mmp_decay * mmp;

  // Fibroblasts grow logistically towards the capacity of granulation tissue while growth
  // factors signal (Olsen 1995), turn to matrix synthesis, then return to quiescence.
  const double signal = (pdgf + tgf) / (p.signal_half_saturation + pdgf + tgf);
  const double fibroblasts = 1 + active + matrix;
  const double room = std::max(0.0, 1 - fibroblasts / p.fibroblast_capacity_rel);
  dydt[k_fibroblast_active] =
      m_response * p.fibroblast_proliferation * signal * fibroblasts * room -
      (p.matrix_phenotype + p.activated_quiescence) * active;
  dydt[k_fibroblast_matrix] = p.matrix_phenotype * active - p.matrix_quiescence * matrix;

  // Fibroblasts add matrix only while it has room: dense matrix stops synthesis, so repeated
  // sessions saturate.
  const double excess = total_collagen_rel(y) - 1;
  const double matrix_room = std::clamp(1 - excess / (p.collagen_capacity_rel - 1), 0.0, 1.0);
  const double synthesis = m_response * matrix_room;

  // Collagen III: laid down first, mostly by proliferating fibroblasts. Remodeling returns it to
  // baseline; what it loses above baseline is replaced by collagen I of the same mass, and below
  // baseline (after injury) it regrows from the resident fibroblasts.
  const double replaced = p.type3_remodeling * std::max(0.0, collagen3 - 1);
  dydt[k_collagen3] = synthesis * p.type3_synthesis * (active + 0.3 * matrix) +
                      p.type3_remodeling * (1 - collagen3) -
                      p.mmp_degradation_mature * mmp * collagen3;
  const double mass_ratio = p.type3_share / p.type1_share;
  dydt[k_collagen1_immature] = synthesis * p.type1_synthesis * (matrix + 0.3 * active) +
                               p.replacement_fraction * mass_ratio * replaced -
                               (p.crosslinking + p.mmp_degradation_immature * mmp) * immature;
  dydt[k_collagen1_mature] = p.collagen_baseline_turnover * (1 - mature) +
                             p.crosslinking * immature - p.mmp_degradation_mature * mmp * mature;

  // Elastin: new tropoelastin from matrix fibroblasts; neutrophil elastase degrades fibres.
  dydt[k_elastin] = p.elastin_turnover * (1 - elastin) + synthesis * p.elastin_synthesis * matrix -
                    p.elastase_degradation * neutrophils * elastin;

  // Scar-type matrix: switch-like above a TGF-beta threshold (Dale 1996: excess TGF-beta1).
  const double tn = std::pow(tgf / p.scar_tgf_threshold, p.scar_hill_exponent);
  dydt[k_scar] =
      synthesis * p.scar_synthesis * (tn / (1 + tn)) * (active + matrix) - p.scar_remodeling * scar;

  dydt[k_inflammation_dose] = (neutrophils + macrophages) / units::day;
  dydt[k_growth_factor_dose] = (pdgf + tgf) / units::day;
}

void HealingModel::apply_injury(const InjuryDose& dose, State& y) const {
  // Channels that overlap damage the same tissue twice: the damaged fraction of the dermis is
  // 1 - exp(-channel volume fraction) (Poisson overlap), which the injury stage's sum exceeds
  // at dense settings.
  const double damaged = -std::expm1(-std::max(0.0, dose.dermal_damage_fraction));
  const double units_of_reference = damaged / m_p.reference_damage_fraction;
  y[k_damage] += units_of_reference;
  // Platelets come from the capillary loops, and each loop bleeds once: the platelet release
  // saturates at `platelet_release_max` reference injuries however dense the channels.
  const double bleeding = units_of_reference * std::clamp(dose.bleeding_fraction, 0.0, 1.0);
  const double released =
      m_p.platelet_release_max * -std::expm1(-bleeding / m_p.platelet_release_max);
  y[k_pdgf] += m_p.platelet_pdgf_bolus * released;
  y[k_tgf] += m_p.platelet_tgf_bolus * released;
  const double kept = 1 - std::clamp(m_p.matrix_loss_per_damage * damaged, 0.0, 1.0);
  for (Var v : {k_collagen3, k_collagen1_immature, k_collagen1_mature, k_elastin, k_scar})
    y[v] *= kept;
}

}  // namespace citsim::healing
