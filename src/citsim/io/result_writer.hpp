// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "citsim/simulation/simulation.hpp"

namespace citsim::io {

/// result.json as a JSON document (design.md §5). It names the citsim version and git hash and
/// holds nothing that varies between runs of the same scenario (no paths, no clock), so the
/// same scenario and seed give the same bytes.
nlohmann::ordered_json result_json(const simulation::SimulationResult& result);

/// timeline.csv: open channels per cm^2 over time, per area.
std::string timeline_csv(const simulation::SimulationResult& result);

/// Writes DIR/config.toml (the effective scenario), DIR/timeline.csv and, last, DIR/result.json,
/// each atomically: a run that fails midway leaves no result.json of its own.
void write_run_outputs(const std::filesystem::path& dir,
                       const simulation::SimulationResult& result);

}  // namespace citsim::io
