// SPDX-License-Identifier: MIT
#include "citsim/core/error.hpp"

#include <fmt/format.h>

namespace citsim::core {

std::string format_location(const SourceLocation& where) {
  if (where.file.empty()) return {};
  if (where.line > 0) return fmt::format("{}:{}: ", where.file, where.line);
  return fmt::format("{}: ", where.file);
}

InputError::InputError(const SourceLocation& where, const std::string& key,
                       const std::string& value, const std::string& allowed)
    : std::runtime_error(
          fmt::format("{}key '{}' = {}: {}", format_location(where), key, value, allowed)) {}

}  // namespace citsim::core
