// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>

namespace citsim::app {

/// `citsim run`: simulate a scenario and write DIR/result.json, timeline.csv, config.toml.
int run_command(const std::filesystem::path& scenario, const std::filesystem::path& out_dir);

/// `citsim plan`: screen a patient file, search each area's plan, write DIR/report.html and
/// result.json.
int plan_command(const std::filesystem::path& patient, const std::filesystem::path& out_dir);

/// `citsim list WHAT`: print a catalogue of data/ as a table.
int list_command(const std::string& what);

/// `citsim validate`: run the validation cases (all, or those whose name contains `filter`),
/// print measured against reference; exit 1 if a case that must pass fails.
int validate_command(const std::string& filter, bool calibrate);

}  // namespace citsim::app
