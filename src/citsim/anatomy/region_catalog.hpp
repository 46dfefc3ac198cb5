// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::anatomy {

/// Age and sex modifiers of data/regions.toml `[modifiers]` (docs/model.md, "Anatomy").
struct AnatomyModifiers {
  double reference_age_years = 35;
  double dermis_thinning_per_year = 0;
  double epidermis_thinning_per_year = 0;
  double young_modulus_young_pa = 0;
  double young_modulus_old_pa = 0;
  double female_dermis_factor = 1;
  double collagen_loss_per_year = 0;
};

/// The regions of data/regions.toml: reference skin per region, and the patient's skin built
/// from it with the age and sex modifiers.
class RegionCatalog {
 public:
  explicit RegionCatalog(const std::filesystem::path& data_dir);

  [[nodiscard]] std::vector<std::string> ids() const { return m_file.ids(); }
  /// The reference adult's skin of a region. `asked_at`/`key` name the scenario line for the
  /// error on an unknown region.
  [[nodiscard]] const SkinModel& reference(const std::string& region,
                                           const core::SourceLocation& asked_at = {},
                                           const std::string& key = "region") const;
  /// The patient's skin in a region (age and sex applied).
  [[nodiscard]] SkinModel skin_for(const std::string& region, const core::Patient& patient,
                                   const core::SourceLocation& asked_at = {},
                                   const std::string& key = "region") const;
  [[nodiscard]] const AnatomyModifiers& modifiers() const { return m_modifiers; }
  /// Source (citation or estimate text) of a region's value, e.g. ("cheek", "stratum_corneum_um").
  [[nodiscard]] std::string source(const std::string& region, const std::string& key) const;
  /// The citation ids of [sources] behind a region's values (estimates left out), sorted.
  [[nodiscard]] std::vector<std::string> cited_sources(const std::string& region) const;
  [[nodiscard]] const core::DataFile& file() const { return m_file; }

 private:
  core::DataFile m_file;
  AnatomyModifiers m_modifiers;
  std::map<std::string, SkinModel, std::less<>> m_regions;
  std::map<std::string, std::map<std::string, std::string>, std::less<>> m_sources;
};

}  // namespace citsim::anatomy
