// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include "citsim/core/rng.hpp"
#include "citsim/core/scenario.hpp"
#include "citsim/device/device_catalog.hpp"

namespace citsim::device {

/// One needle entry into the skin: where (in the patch, metres), when (seconds from the start of
/// the session) and in which pass.
struct Puncture {
  double x_m = 0;
  double y_m = 0;
  double t_s = 0;
  int pass = 0;
};

/// The punctures of one session over a square patch [0, side) x [0, side).
struct PunctureSet {
  double patch_side_m = 0;
  std::vector<Puncture> punctures;
  [[nodiscard]] double per_m2() const;
};

struct Point2 {
  double x = 0;
  double y = 0;
};

/// Hand speeds that set only the time stamps of punctures and a roller's insertion speed.
/// Estimates (no published measurement found): docs/model.md, "Device".
inline constexpr double k_roller_hand_speed_m_s = 0.02;
inline constexpr double k_stamp_press_speed_m_s = 0.015;
inline constexpr double k_stamps_per_s_by_hand = 2.0;
/// Lateral hand tremor of a gliding pen or a placed stamp, standard deviation (estimate from the
/// 0.1-0.2 mm amplitude of physiological hand tremor).
inline constexpr double k_hand_tremor_sd_m = 0.1e-3;

/// Closed-form punctures per m^2 that one pass leaves: roller N/(pi D W); pen n f/(v w) with the
/// lane spacing w equal to the cartridge diameter; stamp n/(W H).
double punctures_per_m2_per_pass(const DeviceSpec& device);

/// The direction of travel of a pass, radians from the x axis: crosshatch cycles through
/// 0, 90, 45 and 135 degrees; linear strokes all run along x.
double pass_direction_rad(const core::Technique& technique, int pass);

/// Needle positions, relative to the device's centre, of the needles that enter the skin
/// together: a pen's cartridge, a stamp's face, one line of a roller's rings.
std::vector<Point2> contact_set(const DeviceSpec& device);

/// Speed of a needle tip as it enters the skin (pen: peak of its reciprocating stroke; roller:
/// rim kinematics at the hand speed; stamp: a hand press).
double insertion_speed_m_s(const DeviceSpec& device);

/// The punctures of one session: `technique.passes` passes over the patch, each covering it in
/// lanes with a random offset, following the device's kinematics.
PunctureSet generate_punctures(const DeviceSpec& device, const core::Technique& technique,
                               double patch_side_m, core::Rng& rng);

}  // namespace citsim::device
