// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "citsim/simulation/simulation.hpp"

namespace citsim::io {

/// result.json as a JSON document (design.md §5). It names the citsim version and git hash and
/// holds nothing that varies between runs of the same scenario (no paths, no clock), so the
/// same scenario and seed give the same bytes.
nlohmann::ordered_json result_json(const simulation::SimulationResult& result);

/// timeline.csv: open channels per cm^2 over time, per area.
std::string timeline_csv(const simulation::SimulationResult& result);

/// Writes DIR/config.toml (the effective scenario), DIR/timeline.csv, DIR/report.html (the
/// `report_template` of load_report_template() with result.json's document embedded) and, last,
/// DIR/result.json, each atomically. An old result.json and report.html are removed first, so a
/// run that fails midway leaves neither of its own.
void write_run_outputs(const std::filesystem::path& dir, const simulation::SimulationResult& result,
                       std::string_view report_template);

}  // namespace citsim::io
