// SPDX-License-Identifier: MIT
#include "citsim/outcome/virtual_cohort.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include "citsim/core/rng.hpp"
#include "citsim/core/units.hpp"

namespace citsim::outcome {

namespace {

constexpr healing::SamplingPlan k_cohort_sampling{30 * 86400.0, 86400.0, 0.0};
constexpr numerics::OdeTolerances k_cohort_tolerances{1e-5, 1e-8, 20000};

/// Linear-interpolated percentile of sorted values (q in [0, 1]).
double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

std::vector<ConcernOutcome> simulate_cohort(const CohortInput& input,
                                            const healing::HealingParameters& healing,
                                            const OutcomeParameters& parameters,
                                            const ConcernCatalog& catalog) {
  const std::size_t n_concerns = input.concerns.size();
  const int size = std::max(1, input.size);
  // improvement[c][i]: fraction of patient i's own severity gained on concern c (good direction).
  std::vector<std::vector<double>> improvement(n_concerns, std::vector<double>(size, 0.0));

  // An exception must not leave an OpenMP region: keep the first and rethrow after it.
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 4)
  for (int i = 0; i < size; ++i) {
    try {
      core::Rng rng = core::Rng::stream(input.seed, input.stream + static_cast<std::uint64_t>(i));
      const double age =
          std::max(18.0, input.patient.age_years + parameters.cohort.age_sd_years * rng.normal());
      const double response =
          healing.age_response(age) * rng.lognormal_median_cv(1.0, parameters.cohort.response_cv);
      const healing::HealingModel model(healing, response);
      // Only the state at the assessment is used: no fine sampling, and a looser (still
      // well-resolved) tolerance than the patient's own timeline.
      const auto trajectory = healing::simulate_protocol(model, input.sessions, input.end_s,
                                                         k_cohort_sampling, k_cohort_tolerances);
      for (std::size_t c = 0; c < n_concerns; ++c) {
        const auto& scale = catalog.scale(input.concerns[c].kind);
        const double severity =
            std::clamp(input.concerns[c].severity *
                           rng.lognormal_median_cv(1.0, parameters.cohort.severity_cv),
                       scale.severity_min, scale.severity_max);
        const double predicted = predict_endpoint(parameters, scale, severity, model, trajectory,
                                                  input.assessment_s, input.topical);
        const double change = scale.lower_is_better ? severity - predicted : predicted - severity;
        improvement[c][i] = severity > 0 ? change / severity : 0.0;
      }
    } catch (...) {
#pragma omp critical(citsim_cohort_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);

  std::vector<ConcernOutcome> out;
  for (std::size_t c = 0; c < n_concerns; ++c) {
    const auto& scale = catalog.scale(input.concerns[c].kind);
    const double baseline = input.concerns[c].severity;
    // Each virtual patient's relative gain, applied to this patient's baseline.
    std::vector<double> predicted;
    predicted.reserve(size);
    double sum = 0;
    for (double f : improvement[c]) {
      const double value = scale.lower_is_better ? baseline * (1 - f) : baseline * (1 + f);
      predicted.push_back(std::clamp(value, scale.severity_min, scale.severity_max));
      sum += f;
    }
    std::sort(predicted.begin(), predicted.end());
    ConcernOutcome o;
    o.concern = scale.id;
    o.unit = scale.unit;
    o.baseline = baseline;
    o.improvement_pct = 100 * sum / size;
    o.predicted = scale.lower_is_better ? baseline * (1 - sum / size) : baseline * (1 + sum / size);
    o.ci95 = {percentile(predicted, 0.025), percentile(predicted, 0.975)};
    o.assessment_day = input.assessment_s / units::day;
    out.push_back(o);
  }
  return out;
}

}  // namespace citsim::outcome
