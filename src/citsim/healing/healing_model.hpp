// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <span>

#include "citsim/healing/healing_parameters.hpp"

namespace citsim::healing {

/// The unknowns of the kinetic model, all dimensionless. Mediators and cells count in units of
/// the response to the reference injury (0 at rest); fibroblasts and matrix are excesses over, or
/// values relative to, the patient's baseline (docs/model.md, "Healing").
enum Var : std::size_t {
  k_damage,              ///< wound debris and injured tissue, in reference injuries
  k_neutrophils,         ///< excess neutrophils
  k_macrophages,         ///< excess macrophages
  k_pdgf,                ///< platelet-derived growth factor
  k_tgf,                 ///< active TGF-beta
  k_mmp,                 ///< matrix metalloproteinases (and elastase) over baseline
  k_fibroblast_active,   ///< proliferating fibroblasts over baseline density
  k_fibroblast_matrix,   ///< matrix-synthesising fibroblasts over baseline density
  k_collagen3,           ///< collagen III relative to baseline
  k_collagen1_immature,  ///< new, not yet cross-linked collagen I, in units of baseline collagen I
  k_collagen1_mature,    ///< cross-linked collagen I relative to baseline
  k_elastin,             ///< elastic fibres relative to baseline
  k_scar,                ///< scar-type (disorganised) matrix, in units of baseline collagen I
  k_inflammation_dose,   ///< running integral of neutrophils + macrophages, in unit-days
  k_growth_factor_dose,  ///< running integral of PDGF + TGF-beta, in unit-days
  k_state_size
};

using State = std::array<double, k_state_size>;

/// The state of untreated skin: no injury, matrix at baseline.
State baseline_state();

/// One session's injury as the healing model sees it.
struct InjuryDose {
  double dermal_damage_fraction = 0;  ///< channel volume in the dermis per dermis volume
  double bleeding_fraction = 0;       ///< fraction of channels past the capillary loops
  double mean_channel_depth_m = 0;    ///< mean depth of the session's channels (side effects)
  double channels_per_m2 = 0;         ///< channels through the stratum corneum (side effects)
};

/// The right-hand side and the session jumps of the healing cascade for one patient.
class HealingModel {
 public:
  /// `response` scales fibroblast proliferation and matrix synthesis (age, inter-patient
  /// variability; 1 = the reference adult).
  HealingModel(const HealingParameters& parameters, double response);

  /// dy/dt in 1/s. Every loss term is proportional to its own variable, so a non-negative state
  /// stays non-negative.
  void rhs(std::span<const double> y, std::span<double> dydt) const;

  /// A session: damage and platelet growth factors jump, matrix in the channels is destroyed.
  void apply_injury(const InjuryDose& dose, State& y) const;

  /// Total dermal collagen relative to baseline (types I and III, the rest unchanged, scar
  /// matrix counted as collagen I).
  [[nodiscard]] double total_collagen_rel(std::span<const double> y) const;

  [[nodiscard]] const HealingParameters& parameters() const { return m_p; }
  [[nodiscard]] double response() const { return m_response; }

 private:
  HealingParameters m_p;
  double m_response;
};

}  // namespace citsim::healing
