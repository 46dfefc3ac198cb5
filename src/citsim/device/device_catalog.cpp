// SPDX-License-Identifier: MIT
#include "citsim/device/device_catalog.hpp"

#include <cmath>

#include <fmt/format.h>

#include "citsim/core/units.hpp"

namespace citsim::device {

namespace {

using core::Range;
namespace units = citsim::units;

double mm(core::DataFile::Entry& entry, std::string_view key, double min, double max) {
  return entry.number(key, {min, max, "mm"}) * units::mm;
}

DeviceSpec read_device(const core::DataFile& file, const std::string& id) {
  auto entry = file.entry(id);
  auto& reader = entry.reader();
  DeviceSpec spec;
  spec.id = id;
  spec.name = reader.string("name");
  const std::string kind = reader.choice_or("kind", "", {"pen", "roller", "stamp"});
  spec.kind = kind == "pen"      ? core::DeviceKind::pen
              : kind == "roller" ? core::DeviceKind::roller
                                 : core::DeviceKind::stamp;
  spec.needles = static_cast<int>(entry.integer("needles", 1, 2000));
  spec.needle.length_m = mm(entry, "needle_length_mm", 0.1, 3.0);
  spec.needle.diameter_m = mm(entry, "needle_diameter_mm", 0.05, 0.6);
  spec.needle.tip_angle_rad = entry.number("tip_angle_deg", {5, 90, "degrees"}) * units::degree;
  spec.needle.tip_radius_m = entry.number("tip_radius_um", {0.5, 100, "um"}) * units::um;
  spec.needle.material = reader.string("material");
  switch (spec.kind) {
    case core::DeviceKind::roller:
      spec.rows = static_cast<int>(entry.integer("rows", 1, 100));
      spec.drum_diameter_m = mm(entry, "drum_diameter_mm", 5, 100);
      spec.drum_width_m = mm(entry, "drum_width_mm", 5, 100);
      break;
    case core::DeviceKind::pen:
      spec.cartridge_diameter_m = mm(entry, "cartridge_diameter_mm", 1, 30);
      spec.stamps_per_s = entry.number("stamps_per_s", {1, 300, "per second"});
      spec.glide_speed_m_s = mm(entry, "glide_speed_mm_s", 1, 500);
      spec.stroke_m = mm(entry, "stroke_mm", 0.5, 10);
      spec.min_depth_m = mm(entry, "min_depth_mm", 0.0, 3.0);
      spec.max_depth_m = mm(entry, "max_depth_mm", 0.1, 3.0);
      break;
    case core::DeviceKind::stamp:
      spec.footprint_width_m = mm(entry, "footprint_width_mm", 1, 100);
      spec.footprint_height_m = mm(entry, "footprint_height_mm", 1, 100);
      break;
  }
  entry.finish();
  return spec;
}

void check_consistent(const DeviceSpec& spec, const core::SourceLocation& where,
                      const std::string& what) {
  auto fail = [&](const std::string& key, const std::string& value, const std::string& allowed) {
    throw core::InputError(where, what + "." + key, value, allowed);
  };
  if (spec.kind == core::DeviceKind::roller && spec.needles % spec.rows != 0) {
    fail("needles", std::to_string(spec.needles),
         fmt::format("a roller's needles must divide evenly into its {} rows", spec.rows));
  }
  if (spec.kind == core::DeviceKind::pen && (spec.needle.length_m < spec.min_depth_m - 1e-12 ||
                                             spec.needle.length_m > spec.max_depth_m + 1e-12)) {
    fail("needle_length_mm", fmt::format("{:g}", spec.needle.length_m / units::mm),
         fmt::format("this pen's depth setting must be from {:g} to {:g} mm",
                     spec.min_depth_m / units::mm, spec.max_depth_m / units::mm));
  }
  // A cone longer than the needle would leave no shaft: the geometry is impossible.
  if (spec.needle.cone_length_m() > spec.needle.length_m * 1.5) {
    fail("tip_angle_deg", fmt::format("{:g}", spec.needle.tip_angle_rad / units::degree),
         "the tip cone would be far longer than the needle; use a wider tip angle");
  }
}

}  // namespace

double NeedleGeometry::cone_length_m() const {
  return std::max(0.0, radius_m() - tip_radius_m) / std::tan(0.5 * tip_angle_rad);
}

DeviceCatalog::DeviceCatalog(const std::filesystem::path& data_dir)
    : m_file(data_dir / "devices.toml", "device") {
  for (const auto& id : m_file.ids()) {
    m_devices.push_back(read_device(m_file, id));
    check_consistent(m_devices.back(), {m_file.file(), 0}, "device." + id);
  }
}

std::vector<std::string> DeviceCatalog::ids() const {
  return m_file.ids();
}

const DeviceSpec& DeviceCatalog::spec(const std::string& id, const core::SourceLocation& at,
                                      const std::string& key) const {
  for (const auto& device : m_devices) {
    if (device.id == id) return device;
  }
  (void)m_file.entry(id, at, key);  // throws with the known ids and a suggestion
  throw core::InternalError("unreachable: unknown device " + id);
}

DeviceSpec DeviceCatalog::resolve(const core::DeviceSettings& settings) const {
  const std::string where_key = "device";
  std::string model = settings.model;
  if (model.empty()) {
    // Fully inline geometry starts from the kind's first catalogue model; the result records it.
    for (const auto& device : m_devices) {
      if (device.kind == settings.kind) {
        model = device.id;
        break;
      }
    }
  }
  DeviceSpec resolved = spec(model, settings.model_where, "device.model");
  if (resolved.kind != settings.kind) {
    throw core::InputError(
        settings.where, "device.model", "\"" + model + "\"",
        fmt::format("is a {}, but device.kind is {}", core::to_string(resolved.kind),
                    core::to_string(settings.kind)));
  }
  auto only_for = [&](bool present, core::DeviceKind kind, const char* key) {
    if (present && resolved.kind != kind) {
      throw core::InputError(settings.where, std::string("device.") + key, "(given)",
                             fmt::format("applies only to a {}, not a {}", core::to_string(kind),
                                         core::to_string(resolved.kind)));
    }
  };
  only_for(settings.rows.has_value(), core::DeviceKind::roller, "rows");
  only_for(settings.drum_diameter_m.has_value(), core::DeviceKind::roller, "drum_diameter_mm");
  only_for(settings.drum_width_m.has_value(), core::DeviceKind::roller, "drum_width_mm");
  only_for(settings.stamps_per_s.has_value(), core::DeviceKind::pen, "stamps_per_s");
  only_for(settings.glide_speed_m_s.has_value(), core::DeviceKind::pen, "glide_speed_mm_s");

  resolved.needle.length_m = settings.needle_length_m.value_or(resolved.needle.length_m);
  resolved.needle.diameter_m = settings.needle_diameter_m.value_or(resolved.needle.diameter_m);
  resolved.needle.tip_angle_rad = settings.tip_angle_rad.value_or(resolved.needle.tip_angle_rad);
  resolved.needles = settings.needles.value_or(resolved.needles);
  resolved.rows = settings.rows.value_or(resolved.rows);
  resolved.drum_diameter_m = settings.drum_diameter_m.value_or(resolved.drum_diameter_m);
  resolved.drum_width_m = settings.drum_width_m.value_or(resolved.drum_width_m);
  resolved.stamps_per_s = settings.stamps_per_s.value_or(resolved.stamps_per_s);
  resolved.glide_speed_m_s = settings.glide_speed_m_s.value_or(resolved.glide_speed_m_s);
  check_consistent(resolved, settings.where, where_key);
  return resolved;
}

}  // namespace citsim::device
