// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::device {

/// A solid conical-tipped needle, SI units.
struct NeedleGeometry {
  double length_m = 0;       ///< nominal length (a pen's depth setting)
  double diameter_m = 0;     ///< shaft diameter
  double tip_angle_rad = 0;  ///< full cone angle of the tip
  double tip_radius_m = 0;   ///< radius of curvature at the very tip
  std::string material;
  [[nodiscard]] double radius_m() const { return 0.5 * diameter_m; }
  /// Length of the conical part from the tip to the full shaft diameter.
  [[nodiscard]] double cone_length_m() const;
};

/// A device with its geometry and kinematics resolved (catalogue model + scenario overrides).
struct DeviceSpec {
  std::string id;
  std::string name;
  core::DeviceKind kind = core::DeviceKind::pen;
  NeedleGeometry needle;
  int needles = 0;
  // roller
  int rows = 0;  ///< rings of needles across the drum width
  double drum_diameter_m = 0;
  double drum_width_m = 0;
  // pen
  double cartridge_diameter_m = 0;
  double stamps_per_s = 0;
  double glide_speed_m_s = 0;
  double stroke_m = 0;  ///< needle travel per stamp
  double min_depth_m = 0;
  double max_depth_m = 0;
  // stamp
  double footprint_width_m = 0;
  double footprint_height_m = 0;
};

/// The devices of data/devices.toml.
class DeviceCatalog {
 public:
  explicit DeviceCatalog(const std::filesystem::path& data_dir);

  [[nodiscard]] std::vector<std::string> ids() const;
  [[nodiscard]] const DeviceSpec& spec(const std::string& id, const core::SourceLocation& at = {},
                                       const std::string& key = "device.model") const;
  /// The scenario's device: its model's spec with the inline values laid over it, checked for
  /// consistency (a pen's depth inside its range, a roller's needles divisible into rows...).
  [[nodiscard]] DeviceSpec resolve(const core::DeviceSettings& settings) const;
  [[nodiscard]] const core::DataFile& file() const { return m_file; }

 private:
  core::DataFile m_file;
  std::vector<DeviceSpec> m_devices;
};

}  // namespace citsim::device
