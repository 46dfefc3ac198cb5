// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::planner {

enum class Severity { absolute, relative };
enum class Scope { patient, area };

/// One flag of data/contraindications.toml.
struct Contraindication {
  std::string id;
  std::string name;
  Severity kind = Severity::absolute;
  Scope scope = Scope::patient;
  std::string effect;
  std::string cite;  ///< a source id of the file
  // How a relative one tightens the plan (absent: no change).
  std::optional<double> depth_factor;
  std::optional<int> max_passes;
  std::optional<double> min_interval_s;
};

enum class CarePhase { pre, sterilization, post };

/// One step of data/care.toml.
struct CareStep {
  std::string id;
  CarePhase phase = CarePhase::pre;
  std::string text;
  std::string timing;  ///< pre
  std::string reason;
  std::string cite;
  double day_from = 0;  ///< post
  double day_to = 0;
  double day_to_per_mm = 0;               ///< longer after deeper needling (per mm beyond 0.5 mm)
  bool until_downtime = false;            ///< at least the plan's predicted downtime
  std::vector<core::DeviceKind> devices;  ///< empty: every kind
  double min_needle_m = 0;
};

/// A concern's rules of data/planner.toml: where it can be treated and the serum it gets.
struct ConcernRule {
  std::string id;
  std::vector<std::string> regions;
  std::string regions_note;
  std::string serum;  ///< a molecule id
  double serum_concentration_fraction = 0;
  int serum_daily_applications = 0;
  std::string serum_note;
};

struct SearchGrid {
  std::vector<double> needle_lengths_m;  ///< sorted
  std::vector<int> passes;
  std::vector<int> sessions;
  std::vector<double> intervals_s;
  double ramp_from_m = 0;
  double follow_up_s = 0;
  double serum_dose_kg_m2 = 0;
  double serum_exposure_s = 0;
};

struct SkinOfColour {
  int from_type = 4;
  double depth_factor = 1;
  int max_passes = 20;
  double min_interval_s = 0;
};

/// The ranking score's weights (docs/model.md §9).
struct ScoreWeights {
  double downtime_per_day = 0;
  double pih = 0;
  double per_session = 0;
};

/// data/contraindications.toml, data/care.toml and data/planner.toml.
class PlannerCatalog {
 public:
  explicit PlannerCatalog(const std::filesystem::path& data_dir);

  [[nodiscard]] const std::vector<Contraindication>& contraindications() const {
    return m_contraindications;
  }
  /// nullptr when the flag is unknown.
  [[nodiscard]] const Contraindication* find(const std::string& flag) const;
  [[nodiscard]] const std::vector<CareStep>& care() const { return m_care; }
  /// The rule of a concern; InputError when data/planner.toml lacks it.
  [[nodiscard]] const ConcernRule& concern(const std::string& id) const;
  [[nodiscard]] const SearchGrid& search() const { return m_search; }
  [[nodiscard]] const std::vector<std::string>& devices() const { return m_devices; }
  [[nodiscard]] double dermis_fraction() const { return m_dermis_fraction; }
  /// The practice cap of a region's needle length (m); InputError when the region has none.
  [[nodiscard]] double region_cap_m(const std::string& region) const;
  [[nodiscard]] const SkinOfColour& skin_of_colour() const { return m_skin_of_colour; }
  [[nodiscard]] const ScoreWeights& score() const { return m_score; }

  [[nodiscard]] const core::DataFile& contraindications_file() const { return m_contra_file; }
  [[nodiscard]] const core::DataFile& care_file() const { return m_care_file; }
  [[nodiscard]] const core::DataFile& planner_file() const { return m_planner_file; }

 private:
  core::DataFile m_contra_file;
  core::DataFile m_care_file;
  core::DataFile m_planner_file;
  std::vector<Contraindication> m_contraindications;
  std::vector<CareStep> m_care;
  std::map<std::string, ConcernRule> m_concerns;
  SearchGrid m_search;
  std::vector<std::string> m_devices;
  double m_dermis_fraction = 0;
  std::map<std::string, double> m_region_caps_m;
  SkinOfColour m_skin_of_colour;
  ScoreWeights m_score;
};

/// "Alster 2018" from a full reference; the text itself when no author and year are found.
std::string short_citation(const std::string& reference);

std::string to_string(Severity kind);
std::string to_string(Scope scope);

}  // namespace citsim::planner
