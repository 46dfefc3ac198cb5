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

/// The keys every result.json starts with: version, git hash, `command` ("run" or "plan"), the
/// disclaimer and the scenario as read with every default filled.
nlohmann::ordered_json result_header(const core::Scenario& scenario, std::string_view command);

/// One area of result.json: region, skin, sessions, timeline, outcomes (and absorption with a
/// topical), exactly as `run` writes it.
nlohmann::ordered_json area_json(const simulation::AreaResult& area);

/// result.json's `sources` from the citations.
nlohmann::ordered_json sources_json(const std::vector<simulation::Citation>& sources);

/// result.json's `device`.
nlohmann::ordered_json device_json(const device::DeviceSpec& device);

/// timeline.csv: open channels per cm^2 over time, per area.
std::string timeline_csv(const simulation::SimulationResult& result);

/// Writes DIR/config.toml (the effective scenario), DIR/timeline.csv, DIR/report.html (the
/// `report_template` of load_report_template() with result.json's document embedded) and, last,
/// DIR/result.json, each atomically. An old result.json and report.html are removed first, so a
/// run that fails midway leaves neither of its own.
void write_run_outputs(const std::filesystem::path& dir, const simulation::SimulationResult& result,
                       std::string_view report_template);

}  // namespace citsim::io
