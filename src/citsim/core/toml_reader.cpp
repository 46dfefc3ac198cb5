// SPDX-License-Identifier: MIT
#include "citsim/core/toml_reader.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "citsim/core/text.hpp"

namespace citsim::core {

namespace {

std::string format_number(double value) {
  return fmt::format("{:g}", value);
}

std::string range_text(const Range& range) {
  const std::string unit = range.unit.empty() ? std::string{} : " " + range.unit;
  return fmt::format("must be a number from {} to {}{}", format_number(range.min),
                     format_number(range.max), unit);
}

}  // namespace

toml::table parse_toml_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    throw InputError(
        fmt::format("{}: cannot read the file ({})", path.string(),
                    exists ? "permission denied or not a regular file" : "no such file"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_toml_text(buffer.str(), path.string());
}

toml::table parse_toml_text(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw InputError(fmt::format("{}:{}:{}: TOML syntax error: {}", file, begin.line, begin.column,
                                 error.description()));
  }
}

TableReader::TableReader(const toml::table& table, std::string file, std::string path)
    : m_table(&table), m_file(std::move(file)), m_path(std::move(path)) {}

bool TableReader::has(std::string_view key) const {
  return m_table->contains(key);
}

bool TableReader::is_table(std::string_view key) const {
  const toml::node* found = m_table->get(key);
  return found != nullptr && found->is_table();
}

const toml::node* TableReader::node(std::string_view key) {
  m_known.emplace(key);
  return m_table->get(key);
}

std::string TableReader::printed(const toml::node& value) const {
  std::ostringstream out;
  value.visit([&out](const auto& concrete) { out << concrete; });
  std::string text = out.str();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string TableReader::key_path(std::string_view key) const {
  return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

SourceLocation TableReader::location() const {
  return {m_file, static_cast<int>(m_table->source().begin.line)};
}

SourceLocation TableReader::location(std::string_view key) const {
  const toml::node* found = m_table->get(key);
  if (found == nullptr) return location();
  return {m_file, static_cast<int>(found->source().begin.line)};
}

void TableReader::fail(std::string_view key, const std::string& value,
                       const std::string& allowed) const {
  throw InputError(location(key), key_path(key), value, allowed);
}

std::optional<double> TableReader::optional_number(std::string_view key, const Range& range) {
  const toml::node* found = node(key);
  if (found == nullptr) return std::nullopt;
  std::optional<double> value;
  if (const auto* as_float = found->as_floating_point()) value = as_float->get();
  if (const auto* as_int = found->as_integer()) value = static_cast<double>(as_int->get());
  if (!value || !std::isfinite(*value)) fail(key, printed(*found), range_text(range));
  if (*value < range.min || *value > range.max) fail(key, printed(*found), range_text(range));
  return value;
}

double TableReader::number(std::string_view key, const Range& range) {
  const auto value = optional_number(key, range);
  if (!value) fail(key, "(missing)", "is required; " + range_text(range));
  return *value;
}

double TableReader::number_or(std::string_view key, double fallback, const Range& range) {
  return optional_number(key, range).value_or(fallback);
}

std::optional<long long> TableReader::optional_integer(std::string_view key, long long min,
                                                       long long max) {
  const toml::node* found = node(key);
  if (found == nullptr) return std::nullopt;
  const std::string allowed = fmt::format("must be a whole number from {} to {}", min, max);
  const auto* as_int = found->as_integer();
  if (as_int == nullptr) fail(key, printed(*found), allowed);
  const long long value = as_int->get();
  if (value < min || value > max) fail(key, printed(*found), allowed);
  return value;
}

long long TableReader::integer(std::string_view key, long long min, long long max) {
  const auto value = optional_integer(key, min, max);
  if (!value) {
    fail(key, "(missing)", fmt::format("is required; a whole number from {} to {}", min, max));
  }
  return *value;
}

long long TableReader::integer_or(std::string_view key, long long fallback, long long min,
                                  long long max) {
  return optional_integer(key, min, max).value_or(fallback);
}

std::optional<std::string> TableReader::optional_string(std::string_view key) {
  const toml::node* found = node(key);
  if (found == nullptr) return std::nullopt;
  const auto* as_string = found->as_string();
  if (as_string == nullptr) fail(key, printed(*found), "must be a string");
  return as_string->get();
}

std::string TableReader::string(std::string_view key) {
  const auto value = optional_string(key);
  if (!value) fail(key, "(missing)", "is required; a string");
  return *value;
}

std::string TableReader::string_or(std::string_view key, std::string_view fallback) {
  return optional_string(key).value_or(std::string(fallback));
}

std::string TableReader::choice_or(std::string_view key, std::string_view fallback,
                                   const std::vector<std::string>& allowed) {
  const std::string value = string_or(key, fallback);
  for (const auto& candidate : allowed) {
    if (candidate == value) return value;
  }
  fail(key, fmt::format("\"{}\"", value),
       "must be one of " + join(allowed) + did_you_mean(value, allowed));
}

bool TableReader::boolean_or(std::string_view key, bool fallback) {
  const toml::node* found = node(key);
  if (found == nullptr) return fallback;
  const auto* as_bool = found->as_boolean();
  if (as_bool == nullptr) fail(key, printed(*found), "must be true or false");
  return as_bool->get();
}

std::vector<double> TableReader::number_list(std::string_view key, const Range& range) {
  const toml::node* found = node(key);
  if (found == nullptr) return {};
  const auto* as_array = found->as_array();
  const std::string allowed = "must be a list of numbers, each " + range_text(range).substr(5);
  if (as_array == nullptr) fail(key, printed(*found), allowed);
  std::vector<double> out;
  for (const auto& element : *as_array) {
    std::optional<double> value;
    if (const auto* as_float = element.as_floating_point()) value = as_float->get();
    if (const auto* as_int = element.as_integer()) value = static_cast<double>(as_int->get());
    if (!value || !std::isfinite(*value) || *value < range.min || *value > range.max) {
      fail(key, printed(*found), allowed);
    }
    out.push_back(*value);
  }
  return out;
}

std::vector<std::string> TableReader::string_list_or(std::string_view key,
                                                     const std::vector<std::string>& fallback) {
  const toml::node* found = node(key);
  if (found == nullptr) return fallback;
  const auto* as_array = found->as_array();
  if (as_array == nullptr) fail(key, printed(*found), "must be a list of strings");
  std::vector<std::string> out;
  for (const auto& element : *as_array) {
    const auto* as_string = element.as_string();
    if (as_string == nullptr) fail(key, printed(*found), "must be a list of strings");
    out.push_back(as_string->get());
  }
  return out;
}

TableReader TableReader::table(std::string_view key) {
  auto found = optional_table(key);
  if (!found) fail(key, "(missing)", "is required; a table");
  return std::move(*found);
}

std::optional<TableReader> TableReader::optional_table(std::string_view key) {
  const toml::node* found = node(key);
  if (found == nullptr) return std::nullopt;
  const auto* as_table = found->as_table();
  if (as_table == nullptr) fail(key, printed(*found), "must be a table");
  return TableReader(*as_table, m_file, key_path(key));
}

std::vector<TableReader> TableReader::table_array(std::string_view key) {
  const toml::node* found = node(key);
  if (found == nullptr) return {};
  const auto* as_array = found->as_array();
  if (as_array == nullptr) fail(key, printed(*found), "must be a list of tables ([[...]])");
  std::vector<TableReader> out;
  for (std::size_t i = 0; i < as_array->size(); ++i) {
    const auto* element = as_array->get(i)->as_table();
    if (element == nullptr) fail(key, printed(*found), "must be a list of tables ([[...]])");
    out.emplace_back(*element, m_file, fmt::format("{}[{}]", key_path(key), i + 1));
  }
  return out;
}

std::vector<std::string> TableReader::keys() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : *m_table) out.emplace_back(key.str());
  return out;
}

void TableReader::finish() const {
  const std::vector<std::string> known(m_known.begin(), m_known.end());
  for (const auto& [key, value] : *m_table) {
    if (m_known.contains(key.str())) continue;
    throw InputError(format_location({m_file, static_cast<int>(value.source().begin.line)}) +
                     fmt::format("unknown key '{}'{}; known keys here: {}", key_path(key.str()),
                                 did_you_mean(key.str(), known), join(known)));
  }
}

}  // namespace citsim::core
