// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>

namespace citsim::core {

/// The folder holding regions.toml, devices.toml, ...: $CITSIM_DATA_DIR if set, else the source
/// tree's data/. Throws InputError if neither has regions.toml.
std::filesystem::path data_dir();

}  // namespace citsim::core
