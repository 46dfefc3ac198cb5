// SPDX-License-Identifier: MIT
#include "citsim/core/data_dir.hpp"

#include <cstdlib>

#include "citsim/core/error.hpp"
#include "citsim/core/version.hpp"

namespace citsim::core {

std::filesystem::path data_dir() {
  std::filesystem::path dir = k_source_data_dir;
  if (const char* from_env = std::getenv("CITSIM_DATA_DIR"); from_env && *from_env) {
    dir = from_env;
  }
  std::error_code ec;
  if (!std::filesystem::exists(dir / "regions.toml", ec)) {
    throw InputError(dir.string() +
                     ": no regions.toml here; set CITSIM_DATA_DIR to citsim's data/ folder");
  }
  return dir;
}

}  // namespace citsim::core
