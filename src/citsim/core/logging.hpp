// SPDX-License-Identifier: MIT
#pragma once

#include <spdlog/spdlog.h>

namespace citsim::core {

enum class Verbosity { quiet, normal, verbose };

/// Sends citsim's log to stderr (stdout stays for results) at the chosen level.
void setup_logging(Verbosity verbosity);

}  // namespace citsim::core
