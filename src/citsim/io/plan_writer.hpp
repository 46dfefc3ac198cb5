// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "citsim/planner/planner.hpp"

namespace citsim::io {

/// result.json of `citsim plan` (the contract of docs/scenario.md, "citsim plan"): the keys of
/// `run` plus candidate, reasons, screening, constraints and per area the plan, alternatives,
/// precautions and care; the chosen plan's sessions, timeline and outcomes as `run` writes them.
nlohmann::ordered_json plan_json(const planner::PlanResult& result);

/// Writes DIR/report.html and, last, DIR/result.json, each atomically (old ones removed first).
void write_plan_outputs(const std::filesystem::path& dir, const planner::PlanResult& result,
                        std::string_view report_template);

}  // namespace citsim::io
