// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>

namespace citsim::core {

/// Where a value came from: a file and a 1-based line (0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
};

/// Bad input from the user or a data file. The CLI maps it to exit status 2.
/// The message names the file, line, key, value and what would have been allowed.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
  InputError(const SourceLocation& where, const std::string& key, const std::string& value,
             const std::string& allowed);
};

/// A broken invariant inside citsim (a bug, not the user's fault). The CLI maps it to exit 1.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Formats "file:line: " or "file: " when the line is unknown.
std::string format_location(const SourceLocation& where);

}  // namespace citsim::core
