// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "citsim/simulation/simulation.hpp"

namespace citsim::io {

/// What produced a result: written beside it so that a run can be traced and repeated.
struct Provenance {
  std::string command_line;
  std::filesystem::path data_dir;
};

/// result.json as a JSON document (design.md §5).
nlohmann::ordered_json result_json(const simulation::SimulationResult& result,
                                   const Provenance& provenance);

/// timeline.csv: open channels per cm^2 over time, per area.
std::string timeline_csv(const simulation::SimulationResult& result);

/// Writes DIR/config.toml (the effective scenario), DIR/timeline.csv and, last, DIR/result.json,
/// each atomically: a run that fails midway leaves no result.json of its own.
void write_run_outputs(const std::filesystem::path& dir, const simulation::SimulationResult& result,
                       const Provenance& provenance);

}  // namespace citsim::io
