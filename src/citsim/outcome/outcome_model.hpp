// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "citsim/core/data_table.hpp"
#include "citsim/healing/protocol.hpp"
#include "citsim/outcome/concern_catalog.hpp"

namespace citsim::outcome {

/// How one concern's endpoint follows the tissue (data/outcomes.toml, [concern.<id>]).
struct ConcernResponse {
  double sensitivity = 0;     ///< per unit of matrix gain
  double elastin_weight = 0;  ///< elastin gain counted against collagen gain
  double scar_penalty = 0;    ///< endpoint units per unit of scar-type matrix
};

struct HairParameters {
  double hairs_per_growth_factor_dose_m2 = 0;  ///< hairs/m^2 per unit-day of PDGF + TGF-beta
  double max_needling_gain_m2 = 0;
  double minoxidil_max_gain_m2 = 0;
  double minoxidil_time_constant_s = 0;
  double minoxidil_half_effect_kg_m2_s = 0;
};

struct CohortParameters {
  double response_cv = 0;
  double age_sd_years = 0;
  double severity_cv = 0;
};

/// Visible redness and swelling after a session (data/outcomes.toml, [downtime]).
struct DowntimeParameters {
  double epidermal_s = 0;          ///< the breached epidermis and its superficial erythema
  double dermal_fill_m_per_s = 0;  ///< rate at which a channel's dermal wound fills
};

struct PihParameters {
  double intercept = 0;
  double per_fitzpatrick_type = 0;
  double per_log_inflammation = 0;
};

/// Everything of data/outcomes.toml.
struct OutcomeParameters {
  std::map<std::string, ConcernResponse> concerns;
  HairParameters hair;
  double tranexamic_half_effect_kg_m2 = 0;
  double tranexamic_max_fraction = 0;
  CohortParameters cohort;
  DowntimeParameters downtime;
  PihParameters pih;

  /// Reads data/outcomes.toml; every concern of the catalogue needs its entry.
  static OutcomeParameters read(const std::filesystem::path& data_dir,
                                const ConcernCatalog& concerns);
};

/// The topical's part in an endpoint, from the transport stage.
struct TopicalExposure {
  std::string molecule;          ///< molecule id ("" without a topical)
  double delivered_kg_m2 = 0;    ///< past the stratum corneum over the whole protocol
  double per_session_kg_m2 = 0;  ///< mean per session
  double duration_s = 0;         ///< from the first application to the assessment
  bool daily = false;            ///< also applied at home between sessions
};

/// Whether the endpoint model gives a topical molecule an effect of its own on a concern
/// (tranexamic acid on pigment, minoxidil on hair); other molecules act only through needling.
bool topical_acts_on(const std::string& molecule, const std::string& concern);

/// One concern's endpoint for one (virtual) patient at the assessment time.
double predict_endpoint(const OutcomeParameters& parameters, const ConcernScale& scale,
                        double baseline, const healing::HealingModel& model,
                        const healing::HealingTrajectory& trajectory, double assessment_s,
                        const TopicalExposure& topical);

/// Days of visible redness and swelling after a session: the epidermal breach plus the time the
/// channels' dermal wounds take to fill at their mean depth (0 when no channel opened).
double downtime_days(const OutcomeParameters& parameters, const healing::InjuryDose& dose);

/// Probability of post-inflammatory hyperpigmentation from one session: logistic in the
/// Fitzpatrick type and the log of the session's inflammation (unit-days of neutrophils and
/// macrophages over those of the reference injury).
double pih_risk(const OutcomeParameters& parameters, int fitzpatrick, double inflammation_dose_rel);

}  // namespace citsim::outcome
