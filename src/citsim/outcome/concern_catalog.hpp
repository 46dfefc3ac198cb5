// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::outcome {

/// One concern's severity scale (data/concerns.toml).
struct ConcernScale {
  std::string id;
  std::string name;
  std::string scale;
  std::string unit;
  double severity_min = 0;
  double severity_max = 0;
  bool lower_is_better = true;
  std::vector<std::string> levels;
  std::vector<double> typical_depth_mm;  ///< practice depth range, [min, max]
  std::string source;
};

/// The concerns of data/concerns.toml.
class ConcernCatalog {
 public:
  explicit ConcernCatalog(const std::filesystem::path& data_dir);

  [[nodiscard]] const std::vector<ConcernScale>& concerns() const { return m_concerns; }
  [[nodiscard]] const ConcernScale& scale(const std::string& id) const;
  /// Checks a scenario concern's severity against its scale; InputError naming the line if not.
  void check(const core::Concern& concern, const std::string& key) const;
  [[nodiscard]] const core::DataFile& file() const { return m_file; }

 private:
  core::DataFile m_file;
  std::vector<ConcernScale> m_concerns;
};

}  // namespace citsim::outcome
