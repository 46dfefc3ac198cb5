// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "citsim/core/error.hpp"

namespace citsim::core {

/// An allowed closed interval for a number read from a file, in the file's unit.
struct Range {
  double min;
  double max;
  std::string unit;  ///< as written after the number in messages ("mm", "days"); may be empty
};

/// Parses a TOML file; a missing file or a syntax error becomes an InputError naming the file
/// (and line and column for syntax errors).
toml::table parse_toml_file(const std::filesystem::path& path);

/// Parses TOML text; `file` names it in the syntax-error message.
toml::table parse_toml_text(std::string_view text, const std::string& file);

/// Reads one TOML table into typed values, checking type and range of each key, and remembers
/// which keys were asked for so that finish() can reject the unknown ones with a suggestion.
/// Every error names the file, line, key path, value and allowed range (style.md, "Config").
class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string path = {});

  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] bool is_table(std::string_view key) const;

  double number(std::string_view key, const Range& range);
  double number_or(std::string_view key, double fallback, const Range& range);
  std::optional<double> optional_number(std::string_view key, const Range& range);

  long long integer(std::string_view key, long long min, long long max);
  long long integer_or(std::string_view key, long long fallback, long long min, long long max);
  std::optional<long long> optional_integer(std::string_view key, long long min, long long max);

  std::string string(std::string_view key);
  std::string string_or(std::string_view key, std::string_view fallback);
  std::optional<std::string> optional_string(std::string_view key);
  /// A string that must be one of `allowed`; the message suggests the nearest on a typo.
  std::string choice_or(std::string_view key, std::string_view fallback,
                        const std::vector<std::string>& allowed);

  bool boolean_or(std::string_view key, bool fallback);
  /// A list of numbers, each checked against `range`; absent gives an empty list.
  std::vector<double> number_list(std::string_view key, const Range& range);
  std::vector<std::string> string_list_or(std::string_view key,
                                          const std::vector<std::string>& fallback);

  TableReader table(std::string_view key);
  std::optional<TableReader> optional_table(std::string_view key);
  /// `[[key]]` or `key = [{...}, ...]`; an absent key gives an empty list.
  std::vector<TableReader> table_array(std::string_view key);

  /// Rejects every key in the table that no accessor asked for.
  void finish() const;

  /// Every key present in the table, in file order is not guaranteed (sorted).
  [[nodiscard]] std::vector<std::string> keys() const;

  [[nodiscard]] SourceLocation location(std::string_view key) const;
  [[nodiscard]] SourceLocation location() const;
  [[nodiscard]] std::string key_path(std::string_view key) const;
  [[nodiscard]] const std::string& file() const { return m_file; }
  [[nodiscard]] const std::string& path() const { return m_path; }

  /// Throws an InputError about `key` with this reader's file and line.
  [[noreturn]] void fail(std::string_view key, const std::string& value,
                         const std::string& allowed) const;

 private:
  const toml::node* node(std::string_view key);
  [[nodiscard]] std::string printed(const toml::node& node) const;

  const toml::table* m_table;
  std::string m_file;
  std::string m_path;
  std::set<std::string, std::less<>> m_known;
};

}  // namespace citsim::core
