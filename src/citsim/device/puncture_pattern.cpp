// SPDX-License-Identifier: MIT
#include "citsim/device/puncture_pattern.hpp"

#include <cmath>
#include <numbers>

#include "citsim/core/error.hpp"

namespace citsim::device {

namespace {

using std::numbers::pi;

/// A frame rotated by the pass direction about the patch centre: u along the stroke, v across.
struct PassFrame {
  double side;
  double cos_a;
  double sin_a;
  double half_extent;  ///< half-size, in u and v, of a square that covers the rotated patch

  PassFrame(double side_m, double angle)
      : side(side_m), cos_a(std::cos(angle)), sin_a(std::sin(angle)) {
    half_extent = 0.5 * side * (std::abs(cos_a) + std::abs(sin_a));
  }

  /// Appends the puncture if (u, v) falls inside the patch.
  void emit(double u, double v, double t_s, int pass, std::vector<Puncture>& out) const {
    const double x = 0.5 * side + u * cos_a - v * sin_a;
    const double y = 0.5 * side + u * sin_a + v * cos_a;
    if (x >= 0 && x < side && y >= 0 && y < side) out.push_back({x, y, t_s, pass});
  }
};

/// Lane centres across [-R, R] at the given spacing with a uniformly random offset, so that the
/// expected density is uniform and equal to the closed form.
std::vector<double> lane_centres(double half_extent, double spacing, core::Rng& rng) {
  std::vector<double> centres;
  const double offset = rng.uniform(0.0, spacing);
  for (double v = -half_extent - spacing + offset; v < half_extent + spacing; v += spacing) {
    centres.push_back(v);
  }
  return centres;
}

void roller_pass(const DeviceSpec& d, const PassFrame& frame, int pass, double t0, core::Rng& rng,
                 std::vector<Puncture>& out) {
  const int per_ring = d.needles / d.rows;
  const double arc = pi * d.drum_diameter_m / per_ring;
  const double ring_spacing = d.drum_width_m / d.rows;
  const double R = frame.half_extent;
  double t_lane = t0;
  for (double lane : lane_centres(R, d.drum_width_m, rng)) {
    for (int ring = 0; ring < d.rows; ++ring) {
      const double v = lane - 0.5 * d.drum_width_m + (ring + 0.5) * ring_spacing;
      // Each ring lands on the skin at its own, random, angular phase.
      for (double u = -R + rng.uniform(0.0, arc); u < R; u += arc) {
        frame.emit(u, v, t_lane + (u + R) / k_roller_hand_speed_m_s, pass, out);
      }
    }
    t_lane += 2 * R / k_roller_hand_speed_m_s;
  }
}

void pen_pass(const DeviceSpec& d, const PassFrame& frame, int pass, double t0, core::Rng& rng,
              std::vector<Puncture>& out) {
  const std::vector<Point2> layout = contact_set(d);
  const double step = d.glide_speed_m_s / d.stamps_per_s;
  const double R = frame.half_extent;
  double t_lane = t0;
  for (double lane : lane_centres(R, d.cartridge_diameter_m, rng)) {
    for (double u = -R - d.cartridge_diameter_m + rng.uniform(0.0, step);
         u < R + d.cartridge_diameter_m; u += step) {
      const double tremor = rng.normal(0.0, k_hand_tremor_sd_m);
      const double t = t_lane + (u + R) / d.glide_speed_m_s;
      for (const auto& needle : layout)
        frame.emit(u + needle.x, lane + tremor + needle.y, t, pass, out);
    }
    t_lane += 2 * R / d.glide_speed_m_s;
  }
}

void stamp_pass(const DeviceSpec& d, const PassFrame& frame, int pass, double t0, core::Rng& rng,
                std::vector<Puncture>& out) {
  const std::vector<Point2> layout = contact_set(d);
  const double R = frame.half_extent;
  const double u_offset = rng.uniform(0.0, d.footprint_width_m);
  double t = t0;
  for (double lane : lane_centres(R, d.footprint_height_m, rng)) {
    for (double u = -R - d.footprint_width_m + u_offset; u < R + d.footprint_width_m;
         u += d.footprint_width_m) {
      const double du = rng.normal(0.0, k_hand_tremor_sd_m);
      const double dv = rng.normal(0.0, k_hand_tremor_sd_m);
      for (const auto& needle : layout)
        frame.emit(u + du + needle.x, lane + dv + needle.y, t, pass, out);
      t += 1.0 / k_stamps_per_s_by_hand;
    }
  }
}

}  // namespace

double PunctureSet::per_m2() const {
  return static_cast<double>(punctures.size()) / (patch_side_m * patch_side_m);
}

double punctures_per_m2_per_pass(const DeviceSpec& d) {
  switch (d.kind) {
    case core::DeviceKind::roller:
      return d.needles / (pi * d.drum_diameter_m * d.drum_width_m);
    case core::DeviceKind::pen:
      return d.needles * d.stamps_per_s / (d.glide_speed_m_s * d.cartridge_diameter_m);
    case core::DeviceKind::stamp:
      return d.needles / (d.footprint_width_m * d.footprint_height_m);
  }
  throw core::InternalError("unknown device kind");
}

double pass_direction_rad(const core::Technique& technique, int pass) {
  if (technique.pattern == core::Pattern::linear) return 0.0;
  constexpr double angles[] = {0.0, 0.5 * pi, 0.25 * pi, 0.75 * pi};
  return angles[pass % 4];
}

std::vector<Point2> contact_set(const DeviceSpec& d) {
  std::vector<Point2> out;
  switch (d.kind) {
    case core::DeviceKind::roller: {
      const double spacing = d.drum_width_m / d.rows;
      for (int ring = 0; ring < d.rows; ++ring) {
        out.push_back({0.0, (ring + 0.5 - 0.5 * d.rows) * spacing});
      }
      break;
    }
    case core::DeviceKind::pen: {
      // A sunflower (Vogel) layout fills the round cartridge evenly for any needle count.
      const double golden = pi * (3.0 - std::sqrt(5.0));
      const double radius = 0.5 * d.cartridge_diameter_m - d.needle.radius_m();
      for (int i = 0; i < d.needles; ++i) {
        const double r = radius * std::sqrt((i + 0.5) / d.needles);
        out.push_back({r * std::cos(i * golden), r * std::sin(i * golden)});
      }
      break;
    }
    case core::DeviceKind::stamp: {
      const double aspect = d.footprint_width_m / d.footprint_height_m;
      const int columns = std::max(1, static_cast<int>(std::lround(std::sqrt(d.needles * aspect))));
      const int rows = (d.needles + columns - 1) / columns;
      const double dx = d.footprint_width_m / columns;
      const double dy = d.footprint_height_m / rows;
      for (int i = 0; i < d.needles; ++i) {
        const int c = i % columns;
        const int r = i / columns;
        out.push_back({(c + 0.5) * dx - 0.5 * d.footprint_width_m,
                       (r + 0.5) * dy - 0.5 * d.footprint_height_m});
      }
      break;
    }
  }
  return out;
}

double insertion_speed_m_s(const DeviceSpec& d) {
  switch (d.kind) {
    case core::DeviceKind::pen:
      // A crank-driven needle moves sinusoidally: peak speed pi * f * stroke.
      return pi * d.stamps_per_s * d.stroke_m;
    case core::DeviceKind::roller: {
      // A tip on a drum of radius R rolling at speed V enters where cos(theta) = R / (R + L),
      // moving down at V (R + L) / R * sin(theta).
      const double r = 0.5 * d.drum_diameter_m;
      const double tip = r + d.needle.length_m;
      const double sin_theta = std::sqrt(1.0 - (r / tip) * (r / tip));
      return k_roller_hand_speed_m_s * tip / r * sin_theta;
    }
    case core::DeviceKind::stamp:
      return k_stamp_press_speed_m_s;
  }
  throw core::InternalError("unknown device kind");
}

PunctureSet generate_punctures(const DeviceSpec& device, const core::Technique& technique,
                               double patch_side_m, core::Rng& rng) {
  PunctureSet out;
  out.patch_side_m = patch_side_m;
  double t0 = 0;
  for (int pass = 0; pass < technique.passes; ++pass) {
    const PassFrame frame(patch_side_m, pass_direction_rad(technique, pass));
    switch (device.kind) {
      case core::DeviceKind::roller:
        roller_pass(device, frame, pass, t0, rng, out.punctures);
        break;
      case core::DeviceKind::pen:
        pen_pass(device, frame, pass, t0, rng, out.punctures);
        break;
      case core::DeviceKind::stamp:
        stamp_pass(device, frame, pass, t0, rng, out.punctures);
        break;
    }
    if (!out.punctures.empty()) t0 = out.punctures.back().t_s + 1.0;
  }
  return out;
}

}  // namespace citsim::device
