// SPDX-License-Identifier: MIT
#include "citsim/core/data_table.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "citsim/core/text.hpp"

namespace citsim::core {

namespace {
constexpr std::string_view k_estimate_prefix = "estimate:";
}

DataFile::DataFile(const std::filesystem::path& path, std::string entry_kind)
    : m_file(path.string()), m_entry_kind(std::move(entry_kind)), m_table(parse_toml_file(path)) {
  TableReader reader(m_table, m_file);
  reader.integer("schema", 1, 1);
  if (auto sources = reader.optional_table("sources")) {
    for (const auto& key : sources->keys()) m_sources[key] = sources->string(key);
  }
  m_entries = m_table[m_entry_kind].as_table();
  if (m_entries == nullptr || m_entries->empty()) {
    reader.fail(m_entry_kind, "(missing)", "needs at least one [" + m_entry_kind + ".<id>] table");
  }
}

std::vector<std::string> DataFile::ids() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : *m_entries) out.emplace_back(key.str());
  return out;
}

bool DataFile::contains(const std::string& id) const {
  return m_entries->contains(id);
}

DataFile::Entry DataFile::entry(const std::string& id, const SourceLocation& asked_at,
                                const std::string& asking_key) const {
  const auto* table = m_entries->get_as<toml::table>(id);
  if (table == nullptr) {
    const std::vector<std::string> known = ids();
    const std::string message = fmt::format("unknown {} \"{}\"{}; known: {} (see {})", m_entry_kind,
                                            id, did_you_mean(id, known), join(known), m_file);
    if (asking_key.empty()) throw InputError(format_location(asked_at) + message);
    throw InputError(format_location(asked_at) + "key '" + asking_key + "': " + message);
  }
  return Entry(*this, *table, m_entry_kind + "." + id);
}

DataFile::Entry DataFile::section(const std::string& name) const {
  const auto* table = m_table.get_as<toml::table>(name);
  if (table == nullptr) {
    throw InputError(fmt::format("{}: the table [{}] is missing", m_file, name));
  }
  return Entry(*this, *table, name);
}

std::string DataFile::citation(const std::string& source) const {
  const auto found = m_sources.find(source);
  return found == m_sources.end() ? source : found->second;
}

DataFile::Entry::Entry(const DataFile& file, const toml::table& table, std::string path)
    : m_file(&file), m_reader(table, file.file(), std::move(path)) {
  m_source_table = table["source"].as_table();
  if (m_source_table != nullptr) {
    m_reader.optional_table("source");
  } else if (table.contains("source")) {
    m_entry_source = m_reader.string("source");  // one source for every value of the entry
  }
}

std::string DataFile::Entry::source_of(std::string_view key) const {
  if (m_source_table != nullptr) {
    if (const auto* text = m_source_table->get_as<std::string>(key)) return text->get();
  }
  const std::string sibling = std::string(key) + "_source";
  if (m_reader.has(sibling)) {
    // Read through a copy: the sibling is marked known by require_source().
    TableReader copy = m_reader;
    return copy.string(sibling);
  }
  return m_entry_source;
}

void DataFile::Entry::require_source(std::string_view key) {
  const std::string sibling = std::string(key) + "_source";
  if (m_reader.has(sibling)) m_reader.string(sibling);
  const std::string source = source_of(key);
  if (source.empty()) {
    m_reader.fail(key, "(no source)",
                  "every number in data/ needs its source: add it under [" + m_reader.path() +
                      ".source] or as " + sibling);
  }
  const bool is_estimate = source.rfind(k_estimate_prefix, 0) == 0;
  if (!is_estimate && !m_file->sources().contains(source)) {
    m_reader.fail(key, "source \"" + source + "\"",
                  "the source must be an id of [sources] or a text starting with 'estimate:'");
  }
  m_sourced_keys.emplace_back(key);
}

std::optional<double> DataFile::Entry::optional_number(std::string_view key, const Range& range) {
  auto value = m_reader.optional_number(key, range);
  if (value) require_source(key);
  return value;
}

double DataFile::Entry::number(std::string_view key, const Range& range) {
  const double value = m_reader.number(key, range);
  require_source(key);
  return value;
}

std::optional<long long> DataFile::Entry::optional_integer(std::string_view key, long long min,
                                                           long long max) {
  auto value = m_reader.optional_integer(key, min, max);
  if (value) require_source(key);
  return value;
}

long long DataFile::Entry::integer(std::string_view key, long long min, long long max) {
  const long long value = m_reader.integer(key, min, max);
  require_source(key);
  return value;
}

std::vector<double> DataFile::Entry::number_list(std::string_view key, const Range& range) {
  auto values = m_reader.number_list(key, range);
  if (!values.empty()) require_source(key);
  return values;
}

void DataFile::Entry::finish() {
  m_reader.finish();
  if (m_source_table == nullptr) return;
  for (const auto& [key, value] : *m_source_table) {
    if (std::find(m_sourced_keys.begin(), m_sourced_keys.end(), key.str()) ==
        m_sourced_keys.end()) {
      throw InputError(
          format_location({m_file->file(), static_cast<int>(value.source().begin.line)}) +
          fmt::format("key '{}.source.{}': names a source for a value that is not "
                      "there or not a number",
                      m_reader.path(), key.str()));
    }
  }
}

}  // namespace citsim::core
