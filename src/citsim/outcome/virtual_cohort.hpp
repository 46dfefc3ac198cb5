// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "citsim/core/scenario.hpp"
#include "citsim/healing/protocol.hpp"
#include "citsim/outcome/concern_catalog.hpp"
#include "citsim/outcome/outcome_model.hpp"

namespace citsim::outcome {

/// One concern's predicted endpoint (design.md §5 `outcomes`).
struct ConcernOutcome {
  std::string concern;
  std::string unit;
  double baseline = 0;
  double predicted = 0;          ///< cohort mean, for this patient's baseline
  double improvement_pct = 0;    ///< change in the good direction, % of baseline (cohort mean)
  std::array<double, 2> ci95{};  ///< 2.5th and 97.5th percentiles of the cohort's prediction
  double assessment_day = 0;
};

/// What the cohort shares: the protocol's injuries and the patient it varies around.
struct CohortInput {
  core::Patient patient;
  std::vector<core::Concern> concerns;
  std::vector<healing::ScheduledInjury> sessions;
  double end_s = 0;
  double assessment_s = 0;
  TopicalExposure topical;
  int size = 200;
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;  ///< first random stream index (one stream per virtual patient)
};

/// Simulates `size` virtual patients like this one (age, response and severity drawn from
/// data/outcomes.toml [cohort]; one random stream each, so the result does not depend on the
/// number of threads) and summarises each concern's endpoint. Parallel with OpenMP.
std::vector<ConcernOutcome> simulate_cohort(const CohortInput& input,
                                            const healing::HealingParameters& healing,
                                            const OutcomeParameters& parameters,
                                            const ConcernCatalog& catalog);

}  // namespace citsim::outcome
