// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "citsim/core/error.hpp"

namespace citsim::core {

enum class Sex { unspecified, female, male };
enum class DeviceKind { pen, roller, stamp };
enum class Pattern { linear, crosshatch };
enum class Pressure { light, moderate, firm };
enum class TransportFidelity { homogenized, voxel3d };
/// Living skin (perfused: capillary clearance) or excised skin in vitro (none).
enum class TissueState { living, excised };

struct Patient {
  double age_years = 0;
  int fitzpatrick = 0;  ///< 1..6
  Sex sex = Sex::unspecified;
  std::vector<std::string> history;  ///< contraindication flags, checked by the planner
};

struct Concern {
  std::string kind;
  double severity = 0;  ///< in the concern's own scale (data/concerns.toml)
  SourceLocation where;
};

struct Area {
  std::string region;  ///< an id of data/regions.toml; checked against it by anatomy
  SourceLocation region_where;
  double area_m2 = 0;
  std::vector<Concern> concerns;
  /// Area-scope contraindication flags (e.g. active acne or herpes in this area; planner).
  std::vector<std::string> history;
  SourceLocation history_where;
};

/// The planner's limits (`[constraints]` of a patient file; `citsim plan` only).
struct Constraints {
  int max_sessions = 6;
  double max_downtime_days = 14;  ///< visible redness and swelling after any one session
  SourceLocation where;
};

/// The device as the scenario names it: a catalogue model and/or inline geometry.
/// Inline values override the model's; what is left unset comes from the model.
struct DeviceSettings {
  DeviceKind kind = DeviceKind::pen;
  std::string model;           ///< empty: fully inline
  SourceLocation where;        ///< the [device] table
  SourceLocation model_where;  ///< the model key (the table when absent)
  std::optional<double> needle_length_m;
  std::optional<double> needle_diameter_m;
  std::optional<double> tip_angle_rad;
  std::optional<int> needles;
  std::optional<int> rows;
  std::optional<double> drum_diameter_m;
  std::optional<double> drum_width_m;
  std::optional<double> stamps_per_s;
  std::optional<double> glide_speed_m_s;
};

struct Technique {
  int passes = 4;
  Pattern pattern = Pattern::crosshatch;
  Pressure pressure = Pressure::moderate;
};

/// A molecule given inline in the scenario instead of by catalogue name.
struct InlineMolecule {
  std::string name;
  double molecular_weight_da = 0;
  double log_p = 0;
};

struct Topical {
  std::string product;  ///< a molecule id of data/molecules.toml (or the inline name)
  SourceLocation product_where;
  std::optional<InlineMolecule> inline_molecule;
  double dose_kg_m2 = 0;              ///< of the product (vehicle and active)
  double concentration_fraction = 0;  ///< mass fraction of the active in the product
  bool infinite_dose = false;         ///< the product never depletes (a large reservoir)
  bool occluded = false;
  double exposure_s = 0;
  int daily_applications = 0;
};

struct Protocol {
  int sessions = 1;
  double interval_s = 0;
  double follow_up_s = 0;
};

struct SimulationSettings {
  std::uint64_t seed = 1;
  TransportFidelity transport = TransportFidelity::homogenized;
  /// Excised: no capillary clearance (a Franz cell; the receptor below the dermis stays a sink).
  TissueState tissue = TissueState::living;
  double patch_side_m = 0;        ///< side of the square skin patch where punctures are simulated
  double voxel_patch_side_m = 0;  ///< side of the voxel3d transport domain (a corner of the patch)
  double voxel_m = 0;             ///< lateral voxel size of voxel3d
  int cohort_size = 200;          ///< virtual patients behind each outcome's mean and interval
};

/// A scenario as read and validated, in SI units (design.md §3).
struct Scenario {
  std::filesystem::path file;
  std::string title;
  std::string description;
  Patient patient;
  SourceLocation history_where;  ///< the [patient] history key (the table when absent)
  std::vector<Area> areas;
  std::optional<DeviceSettings> device;
  Technique technique;
  std::optional<Topical> topical;
  Protocol protocol;
  SimulationSettings simulation;
  std::optional<Constraints> constraints;
  /// The treatment tables the file gave ([device], [technique], [topical], [protocol]) and
  /// where: a planner input must not choose the treatment itself.
  std::vector<std::pair<std::string, SourceLocation>> treatment_tables;
};

/// Reads and validates a scenario file. Throws InputError on any bad input.
Scenario load_scenario(const std::filesystem::path& path);

/// Same, from TOML text (for tests); `file` names it in messages.
Scenario parse_scenario(std::string_view text, const std::string& file);

/// The scenario back in file units with every default filled: what the run actually used.
toml::table effective_config(const Scenario& scenario);

std::string to_string(DeviceKind kind);
std::string to_string(Pattern pattern);
std::string to_string(Pressure pressure);
std::string to_string(Sex sex);
std::string to_string(TransportFidelity fidelity);
std::string to_string(TissueState tissue);

}  // namespace citsim::core
