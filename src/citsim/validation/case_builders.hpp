// SPDX-License-Identifier: MIT
// Builders of validation cases shared by the stage files (internal to citsim_validation).
#pragma once

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "citsim/validation/validation.hpp"

namespace citsim::validation::detail {

inline CaseResult within_fraction(std::string name, Role role, std::string quantity,
                                  double measured, double reference, double fraction,
                                  std::string unit, std::string source) {
  CaseResult c{std::move(name),
               role,
               std::move(quantity),
               measured,
               reference,
               std::move(unit),
               fmt::format("±{:g}%", 100 * fraction),
               false,
               std::move(source),
               {}};
  c.passed = std::abs(measured - reference) <= fraction * std::abs(reference);
  return c;
}

inline CaseResult within_range(std::string name, Role role, std::string quantity, double measured,
                               double low, double high, std::string unit, std::string source) {
  CaseResult c{std::move(name),
               role,
               std::move(quantity),
               measured,
               0.5 * (low + high),
               unit,
               fmt::format("in [{:.4g}, {:.4g}] {}", low, high, unit),
               false,
               std::move(source),
               {}};
  c.passed = measured >= low && measured <= high;
  return c;
}

/// The reference injury of data/healing.toml (1.5 mm roller-192 x 15 passes on the cheek, as
/// the injury stage gives it): dermal damage fraction and bleeding fraction.
inline constexpr healing::InjuryDose k_reference_injury{0.0197, 1.0};

/// The healing and outcome cases (healing_validation.cpp).
void healing_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out);

/// The downtime and PIH cases (side_effect_validation.cpp).
void side_effect_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out);
/// The transport cases against closed forms and limits (transport_validation.cpp).
void transport_analytic_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out);

}  // namespace citsim::validation::detail
