// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "citsim/core/toml_reader.hpp"

namespace citsim::core {

/// A catalogue file of data/ (regions, devices, molecules, concerns): `schema = 1`, a
/// `[sources]` table of citations, and entries `[<kind>.<id>]`. Every number read from an entry
/// must carry its source: in the entry's `source` sub-table under the same key, in a sibling key
/// `<key>_source`, or in a plain `source = "..."` string that covers the whole entry; the source is
/// a citation id of `[sources]` or a text starting with "estimate:" that says how the number was
/// derived. A number without a source is an InputError.
class DataFile {
 public:
  DataFile(const std::filesystem::path& path, std::string entry_kind);

  [[nodiscard]] std::vector<std::string> ids() const;
  [[nodiscard]] bool contains(const std::string& id) const;
  [[nodiscard]] const std::map<std::string, std::string>& sources() const { return m_sources; }
  [[nodiscard]] const std::string& file() const { return m_file; }
  class Entry;
  /// Throws InputError listing the known ids (and the nearest) when `id` is unknown.
  [[nodiscard]] Entry entry(const std::string& id, const SourceLocation& asked_at = {},
                            const std::string& asking_key = {}) const;

  /// A top-level table other than the entries (e.g. regions' `[modifiers]`), read like an entry.
  [[nodiscard]] Entry section(const std::string& name) const;

  /// The full citation for a source id, or the estimate text itself.
  [[nodiscard]] std::string citation(const std::string& source) const;

 private:
  std::string m_file;
  std::string m_entry_kind;
  toml::table m_table;
  const toml::table* m_entries = nullptr;
  std::map<std::string, std::string> m_sources;
};

/// One entry of a DataFile, read key by key; numbers are checked for their source.
class DataFile::Entry {
 public:
  Entry(const DataFile& file, const toml::table& table, std::string path);

  double number(std::string_view key, const Range& range);
  std::optional<double> optional_number(std::string_view key, const Range& range);
  long long integer(std::string_view key, long long min, long long max);
  std::vector<double> number_list(std::string_view key, const Range& range);
  std::optional<long long> optional_integer(std::string_view key, long long min, long long max);
  /// The source text (id or estimate) given for a key.
  [[nodiscard]] std::string source_of(std::string_view key) const;
  TableReader& reader() { return m_reader; }
  /// Unknown keys in the entry or its source table are errors; so are sources for absent keys.
  void finish();

 private:
  void require_source(std::string_view key);

  const DataFile* m_file;
  TableReader m_reader;
  const toml::table* m_source_table = nullptr;
  std::string m_entry_source;
  std::vector<std::string> m_sourced_keys;
};

}  // namespace citsim::core
