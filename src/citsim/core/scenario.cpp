// SPDX-License-Identifier: MIT
#include "citsim/core/scenario.hpp"

#include <array>
#include <limits>

#include <fmt/format.h>

#include "citsim/core/toml_reader.hpp"
#include "citsim/core/units.hpp"

namespace citsim::core {

namespace {

const std::vector<std::string> k_concern_kinds = {
    "fine_lines",         "laxity",        "texture",           "enlarged_pores",
    "atrophic_acne_scar", "surgical_scar", "hyperpigmentation", "melasma",
    "stretch_marks",      "hair_loss"};

template <typename Enum, std::size_t N>
Enum parse_enum(TableReader& reader, std::string_view key, Enum fallback,
                const std::array<Enum, N>& values) {
  std::vector<std::string> names;
  for (Enum value : values) names.push_back(to_string(value));
  const std::string chosen = reader.choice_or(key, to_string(fallback), names);
  for (Enum value : values) {
    if (to_string(value) == chosen) return value;
  }
  return fallback;
}

Patient read_patient(TableReader reader) {
  Patient patient;
  patient.age_years = reader.number("age_years", {12, 100, "years"});
  patient.fitzpatrick = static_cast<int>(reader.integer("fitzpatrick", 1, 6));
  patient.sex = parse_enum(reader, "sex", Sex::unspecified,
                           std::array{Sex::unspecified, Sex::female, Sex::male});
  patient.history = reader.string_list_or("history", {});
  reader.finish();
  return patient;
}

Area read_area(TableReader reader) {
  Area area;
  area.region = reader.string("region");
  area.region_where = reader.location("region");
  area.area_m2 = reader.number("area_cm2", {0.1, 2000, "cm2"}) * units::cm2;
  for (auto& concern_reader : reader.table_array("concerns")) {
    Concern concern;
    concern.kind = concern_reader.choice_or("kind", "", k_concern_kinds);
    concern.severity = concern_reader.number("severity", {0, 1000, "(in the concern's scale)"});
    concern.where = concern_reader.location("severity");
    concern_reader.finish();
    area.concerns.push_back(concern);
  }
  area.history_where = reader.location("history");
  area.history = reader.string_list_or("history", {});
  reader.finish();
  return area;
}

DeviceSettings read_device(TableReader reader) {
  DeviceSettings device;
  device.where = reader.location();
  if (!reader.has("kind")) reader.fail("kind", "(missing)", "is required; pen, roller or stamp");
  device.kind = parse_enum(reader, "kind", DeviceKind::pen,
                           std::array{DeviceKind::pen, DeviceKind::roller, DeviceKind::stamp});
  device.model = reader.string_or("model", "");
  device.model_where = reader.location("model");
  auto millimetres = [&reader](std::string_view key, double min, double max) {
    const auto value = reader.optional_number(key, {min, max, "mm"});
    return value ? std::optional<double>(*value * units::mm) : std::nullopt;
  };
  device.needle_length_m = millimetres("needle_length_mm", 0.1, 3.0);
  device.needle_diameter_m = millimetres("needle_diameter_mm", 0.05, 0.6);
  device.drum_diameter_m = millimetres("drum_diameter_mm", 5, 100);
  device.drum_width_m = millimetres("drum_width_mm", 5, 100);
  if (auto angle = reader.optional_number("tip_angle_deg", {5, 90, "degrees"})) {
    device.tip_angle_rad = *angle * units::degree;
  }
  if (auto needles = reader.optional_integer("needles", 1, 2000)) {
    device.needles = static_cast<int>(*needles);
  }
  if (auto rows = reader.optional_integer("rows", 1, 100)) device.rows = static_cast<int>(*rows);
  device.stamps_per_s = reader.optional_number("stamps_per_s", {1, 300, "per second"});
  if (auto glide = reader.optional_number("glide_speed_mm_s", {1, 500, "mm/s"})) {
    device.glide_speed_m_s = *glide * units::mm;
  }
  reader.finish();
  return device;
}

Technique read_technique(TableReader reader) {
  Technique technique;
  technique.passes = static_cast<int>(reader.integer_or("passes", technique.passes, 1, 20));
  technique.pattern = parse_enum(reader, "pattern", technique.pattern,
                                 std::array{Pattern::linear, Pattern::crosshatch});
  technique.pressure = parse_enum(reader, "pressure", technique.pressure,
                                  std::array{Pressure::light, Pressure::moderate, Pressure::firm});
  reader.finish();
  return technique;
}

Topical read_topical(TableReader reader) {
  Topical topical;
  topical.product_where = reader.location("product");
  if (reader.is_table("product")) {
    TableReader molecule = reader.table("product");
    InlineMolecule inline_molecule;
    inline_molecule.name = molecule.string("name");
    inline_molecule.molecular_weight_da = molecule.number("molecular_weight_da", {10, 1e7, "Da"});
    inline_molecule.log_p = molecule.number("log_p", {-10, 10, ""});
    molecule.finish();
    topical.product = inline_molecule.name;
    topical.inline_molecule = inline_molecule;
  } else {
    topical.product = reader.string("product");
  }
  topical.dose_kg_m2 =
      reader.number_or("dose_mg_cm2", 2.0, {0.01, 100, "mg/cm2"}) * units::mg / units::cm2;
  topical.concentration_fraction =
      reader.number_or("concentration_pct", 1.0, {0.001, 100, "% w/w"}) / 100.0;
  topical.infinite_dose = reader.boolean_or("infinite_dose", false);
  topical.occluded = reader.boolean_or("occluded", false);
  topical.exposure_s = reader.number_or("exposure_h", 24, {0.01, 168, "h"}) * units::hour;
  topical.daily_applications = static_cast<int>(reader.integer_or("daily_applications", 0, 0, 6));
  reader.finish();
  return topical;
}

Protocol read_protocol(TableReader reader) {
  Protocol protocol;
  protocol.sessions = static_cast<int>(reader.integer_or("sessions", 1, 1, 24));
  protocol.interval_s = reader.number_or("interval_days", 28, {1, 365, "days"}) * units::day;
  protocol.follow_up_s = reader.number_or("follow_up_days", 180, {0, 3650, "days"}) * units::day;
  reader.finish();
  return protocol;
}

Constraints read_constraints(TableReader reader) {
  Constraints constraints;
  constraints.where = reader.location();
  // Zero sessions or no downtime at all leave no plan to make: out of range, not a plan.
  constraints.max_sessions =
      static_cast<int>(reader.integer_or("max_sessions", constraints.max_sessions, 1, 24));
  constraints.max_downtime_days = reader.number_or(
      "max_downtime_days", constraints.max_downtime_days, {0.5, 90, "days per session"});
  reader.finish();
  return constraints;
}

SimulationSettings read_simulation(TableReader reader) {
  SimulationSettings settings;
  settings.seed = static_cast<std::uint64_t>(
      reader.integer_or("seed", 1, 0, std::numeric_limits<long long>::max()));
  settings.transport =
      parse_enum(reader, "transport", TransportFidelity::homogenized,
                 std::array{TransportFidelity::homogenized, TransportFidelity::voxel3d});
  settings.tissue = parse_enum(reader, "tissue", TissueState::living,
                               std::array{TissueState::living, TissueState::excised});
  settings.patch_side_m = reader.number_or("patch_mm", 10, {1, 50, "mm"}) * units::mm;
  settings.voxel_patch_side_m = reader.number_or("voxel_patch_mm", 2, {0.1, 50, "mm"}) * units::mm;
  settings.voxel_m = reader.number_or("voxel_um", 10, {1, 200, "um"}) * units::um;
  settings.cohort_size = static_cast<int>(reader.integer_or("cohort_size", 200, 1, 100000));
  if (settings.voxel_patch_side_m > settings.patch_side_m) {
    reader.fail("voxel_patch_mm", fmt::format("{:g}", settings.voxel_patch_side_m / units::mm),
                fmt::format("must not exceed patch_mm ({:g} mm): the voxel domain is a corner of "
                            "the puncture patch",
                            settings.patch_side_m / units::mm));
  }
  reader.finish();
  return settings;
}

Scenario read_scenario(const toml::table& table, const std::string& file) {
  TableReader reader(table, file);
  Scenario scenario;
  scenario.file = file;
  scenario.title = reader.string_or("title", "");
  scenario.description = reader.string_or("description", "");
  {
    TableReader patient = reader.table("patient");
    scenario.history_where = patient.location("history");
    scenario.patient = read_patient(std::move(patient));
  }
  for (auto& area_reader : reader.table_array("area")) {
    scenario.areas.push_back(read_area(std::move(area_reader)));
  }
  if (scenario.areas.empty()) {
    reader.fail("area", "(missing)", "at least one [[area]] table is required");
  }
  for (const char* name : {"device", "technique", "topical", "protocol"}) {
    if (reader.has(name)) scenario.treatment_tables.emplace_back(name, reader.location(name));
  }
  if (auto device = reader.optional_table("device")) scenario.device = read_device(*device);
  if (auto technique = reader.optional_table("technique")) {
    scenario.technique = read_technique(*technique);
  }
  if (auto topical = reader.optional_table("topical")) scenario.topical = read_topical(*topical);
  if (auto protocol = reader.optional_table("protocol")) {
    scenario.protocol = read_protocol(*protocol);
  } else {
    scenario.protocol = read_protocol(TableReader(toml::table{}, file, "protocol"));
  }
  if (auto constraints = reader.optional_table("constraints")) {
    scenario.constraints = read_constraints(*constraints);
  }
  if (auto simulation = reader.optional_table("simulation")) {
    scenario.simulation = read_simulation(*simulation);
  } else {
    scenario.simulation = read_simulation(TableReader(toml::table{}, file, "simulation"));
  }
  reader.finish();
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& path) {
  const toml::table table = parse_toml_file(path);
  return read_scenario(table, path.string());
}

Scenario parse_scenario(std::string_view text, const std::string& file) {
  const toml::table table = parse_toml_text(text, file);
  return read_scenario(table, file);
}

toml::table effective_config(const Scenario& scenario) {
  toml::array history;
  for (const auto& flag : scenario.patient.history) history.push_back(flag);
  toml::table out;
  if (!scenario.title.empty()) out.insert("title", scenario.title);
  if (!scenario.description.empty()) out.insert("description", scenario.description);
  out.insert("patient", toml::table{{"age_years", scenario.patient.age_years},
                                    {"fitzpatrick", scenario.patient.fitzpatrick},
                                    {"sex", to_string(scenario.patient.sex)},
                                    {"history", history}});
  toml::array areas;
  for (const auto& area : scenario.areas) {
    toml::array concerns;
    for (const auto& concern : area.concerns) {
      concerns.push_back(toml::table{{"kind", concern.kind}, {"severity", concern.severity}});
    }
    toml::table table{
        {"region", area.region}, {"area_cm2", area.area_m2 / units::cm2}, {"concerns", concerns}};
    if (!area.history.empty()) {
      toml::array flags;
      for (const auto& flag : area.history) flags.push_back(flag);
      table.insert("history", flags);
    }
    areas.push_back(std::move(table));
  }
  out.insert("area", areas);
  if (scenario.device) {
    const auto& device = *scenario.device;
    toml::table table{{"kind", to_string(device.kind)}};
    if (!device.model.empty()) table.insert("model", device.model);
    auto put = [&table](const char* key, const std::optional<double>& value, double unit) {
      if (value) table.insert(key, *value / unit);
    };
    put("needle_length_mm", device.needle_length_m, units::mm);
    put("needle_diameter_mm", device.needle_diameter_m, units::mm);
    put("tip_angle_deg", device.tip_angle_rad, units::degree);
    put("drum_diameter_mm", device.drum_diameter_m, units::mm);
    put("drum_width_mm", device.drum_width_m, units::mm);
    put("stamps_per_s", device.stamps_per_s, 1.0);
    put("glide_speed_mm_s", device.glide_speed_m_s, units::mm);
    if (device.needles) table.insert("needles", *device.needles);
    if (device.rows) table.insert("rows", *device.rows);
    out.insert("device", table);
  }
  out.insert("technique", toml::table{{"passes", scenario.technique.passes},
                                      {"pattern", to_string(scenario.technique.pattern)},
                                      {"pressure", to_string(scenario.technique.pressure)}});
  if (scenario.topical) {
    const auto& topical = *scenario.topical;
    toml::table table;
    if (topical.inline_molecule) {
      table.insert("product", toml::table{{"name", topical.inline_molecule->name},
                                          {"molecular_weight_da",
                                           topical.inline_molecule->molecular_weight_da},
                                          {"log_p", topical.inline_molecule->log_p}});
    } else {
      table.insert("product", topical.product);
    }
    table.insert("dose_mg_cm2", topical.dose_kg_m2 / (units::mg / units::cm2));
    table.insert("concentration_pct", topical.concentration_fraction * 100.0);
    table.insert("infinite_dose", topical.infinite_dose);
    table.insert("occluded", topical.occluded);
    table.insert("exposure_h", topical.exposure_s / units::hour);
    table.insert("daily_applications", topical.daily_applications);
    out.insert("topical", table);
  }
  out.insert("protocol",
             toml::table{{"sessions", scenario.protocol.sessions},
                         {"interval_days", scenario.protocol.interval_s / units::day},
                         {"follow_up_days", scenario.protocol.follow_up_s / units::day}});
  out.insert("simulation",
             toml::table{{"seed", static_cast<std::int64_t>(scenario.simulation.seed)},
                         {"transport", to_string(scenario.simulation.transport)},
                         {"tissue", to_string(scenario.simulation.tissue)},
                         {"patch_mm", scenario.simulation.patch_side_m / units::mm},
                         {"voxel_patch_mm", scenario.simulation.voxel_patch_side_m / units::mm},
                         {"voxel_um", scenario.simulation.voxel_m / units::um},
                         {"cohort_size", scenario.simulation.cohort_size}});
  if (scenario.constraints) {
    out.insert("constraints",
               toml::table{{"max_sessions", scenario.constraints->max_sessions},
                           {"max_downtime_days", scenario.constraints->max_downtime_days}});
  }
  return out;
}

std::string to_string(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::pen:
      return "pen";
    case DeviceKind::roller:
      return "roller";
    case DeviceKind::stamp:
      return "stamp";
  }
  return "?";
}

std::string to_string(Pattern pattern) {
  return pattern == Pattern::linear ? "linear" : "crosshatch";
}

std::string to_string(Pressure pressure) {
  switch (pressure) {
    case Pressure::light:
      return "light";
    case Pressure::moderate:
      return "moderate";
    case Pressure::firm:
      return "firm";
  }
  return "?";
}

std::string to_string(Sex sex) {
  switch (sex) {
    case Sex::unspecified:
      return "unspecified";
    case Sex::female:
      return "female";
    case Sex::male:
      return "male";
  }
  return "?";
}

std::string to_string(TransportFidelity fidelity) {
  return fidelity == TransportFidelity::homogenized ? "homogenized" : "voxel3d";
}

std::string to_string(TissueState tissue) {
  return tissue == TissueState::living ? "living" : "excised";
}

}  // namespace citsim::core
